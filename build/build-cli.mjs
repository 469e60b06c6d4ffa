// Bundles the `rolecall` CLI into dist/cli/rolecall.cjs (+ lib/, ESM). npm packages stay external so the AWS SDK
// is loaded from node_modules only when a code path imports it (the credential-process hot path never does).
//
// Two builds, because the hot path is timed against `node -e 0`:
// 1. rolecall.cjs: the entry and everything it imports statically, in ONE file (measured: each
//    extra ESM module on the hot path costs about 1.5 ms here). Its dynamic import()s of local
//    modules (the full program, the core, the keychain reader) stay dynamic and point into lib/.
//    CommonJS, not ESM: an ESM entry starts Node's ESM loader, which costs ~5.5 ms before the
//    first line runs (`node empty.mjs` 36.9 ms against `node empty.cjs` 31.0 ms, interleaved
//    medians, clean environment); the lazily loaded lib/ stays ESM.
// 2. lib/: those lazily imported modules, code-split. Without splitting esbuild would inline
//    them and hoist their imports (commander, zod, the AWS SDK) to the top of the one file.
// The two builds share no module instances: nothing may rely on `instanceof` across them
// (src-main/cli/output.ts adopts errors coming back from lib/).
// In the first, `import ... from 'node:x'` becomes process.getBuiltinModule('node:x'): an ESM
// import of a built-in builds a facade module of all its exports (about 1 ms each, measured),
// and a named function import is bound lazily, so node:crypto loads only if it is called.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// An optional argument builds elsewhere (tests build a private copy, so a rebuild never pulls
// chunks from under a CLI another test is running).
const outdir = process.argv[2] ?? 'dist/cli';
const outfile = `${outdir}/rolecall.cjs`;
const libdir = `${outdir}/lib`;
// Chunk names carry a hash: drop the previous build's so they do not pile up.
rmSync(libdir, { recursive: true, force: true });
rmSync(`${outdir}/chunks`, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};

/** Local modules the entry imports dynamically: name in lib/ -> source file. */
const lazy = new Map();
const lazyImports = {
  name: 'lazy-imports',
  setup(b) {
    b.onResolve({ filter: /^\./, namespace: 'file' }, async (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const resolved = await b.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir });
      if (resolved.errors.length) return { errors: resolved.errors };
      const name = path.basename(resolved.path).replace(/\.[cm]?[jt]s$/, '');
      if (lazy.has(name) && lazy.get(name) !== resolved.path) return { errors: [{ text: `two lazily imported modules are named ${name}` }] };
      lazy.set(name, resolved.path);
      return { path: `./lib/${name}.mjs`, external: true };
    });
  },
};

const builtins = {
  name: 'builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, async (args) => {
      const id = JSON.stringify(args.path);
      const mod = await import(args.path);
      const lines = [`let m; const get = () => (m ??= process.getBuiltinModule(${id})); const pick = (k) => get()[k];`, 'export default /* @__PURE__ */ get();'];
      for (const [name, value] of Object.entries(mod)) {
        if (name === 'default' || !/^[A-Za-z_$][\w$]*$/.test(name)) continue;
        // Functions are bound on first call; classes and values on first import (unused ones are tree-shaken).
        const plainFunction = typeof value === 'function' && /^[a-z]/.test(name) && !/^class\b/.test(Function.prototype.toString.call(value));
        lines.push(plainFunction ? `export function ${name}(...a) { return get().${name}(...a); }` : `export const ${name} = /* @__PURE__ */ pick(${JSON.stringify(name)});`);
      }
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

await build({
  ...common,
  format: 'cjs',
  entryPoints: ['src-main/cli/main.ts'],
  outfile,
  plugins: [lazyImports, builtins],
  // The source is ESM; the few uses of import.meta.url get this file's URL.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: '#!/usr/bin/env node\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// The entry's earlier name, so credential_process lines written before it was CommonJS still work.
writeFileSync(`${outdir}/rolecall.mjs`, "#!/usr/bin/env node\n// Earlier name of the CLI entry: see rolecall.cjs.\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./rolecall.cjs');\n");
await build({
  ...common,
  entryPoints: Object.fromEntries(lazy),
  outdir: libdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
chmodSync(outfile, 0o755);
chmodSync(`${outdir}/rolecall.mjs`, 0o755);

// 3. The native credential_process helper (src-main/cli/hot/native): where a C compiler, OpenSSL's
// libcrypto and jansson are installed (Debian: gcc libssl-dev libjansson-dev), and libsecret's
// headers for its keychain-cache reads (libsecret-1-dev; the library is opened only when used).
// Without them the CLI works as before, `rolecall config write` then writes plain Node lines (or
// the helper leaves the keychain cache to the CLI), and this says so.
const helper = `${outdir}/rolecall-credential-process`;
rmSync(helper, { force: true });
if (process.platform !== 'win32') {
  const cc = process.env.CC || 'cc';
  const libs = process.platform === 'darwin' ? ['-ljansson'] : ['-lcrypto', '-ljansson', '-ldl'];
  const secret = process.platform === 'linux' ? spawnSync('pkg-config', ['--cflags', 'libsecret-1'], { encoding: 'utf8' }) : undefined;
  const secretFlags = secret?.status === 0 ? ['-DROLECALL_LIBSECRET', ...secret.stdout.trim().split(/\s+/)] : [];
  if (secret && secret.status !== 0) console.warn('build-cli: no libsecret-1 headers (pkg-config libsecret-1): the native helper leaves the keychain cache to the Node CLI');
  const built = spawnSync(cc, ['-O2', '-std=c11', '-Wall', '-Wextra', '-Werror', ...secretFlags, '-o', helper, 'src-main/cli/hot/native/credential-process.c', ...libs], { encoding: 'utf8' });
  if (built.status !== 0) {
    const why = built.error ? `${cc}: ${built.error.code}` : built.stderr.trim().split('\n').slice(-3).join(' ');
    console.warn(`build-cli: the native credential_process helper was not built (${why}); AWS tools will run the Node CLI`);
  }
}
