// Bundles the `rolecall` CLI into dist/cli/rolecall.mjs (ESM). npm packages stay external so the AWS SDK
// is loaded from node_modules only when a code path imports it (the credential-process hot path never does).
// Code splitting keeps that true: without it esbuild hoists every external import of a lazily
// imported module to the top of the one file, and `import('./program')` would load commander,
// zod and the AWS SDK on every run. Lazily imported modules become chunks under dist/cli/chunks.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

// An optional argument builds elsewhere (tests build a private copy, so a rebuild never pulls
// chunks from under a CLI another test is running).
const outdir = process.argv[2] ?? 'dist/cli';
const outfile = `${outdir}/rolecall.mjs`;
// Chunk names carry a hash: drop the previous build's so they do not pile up.
rmSync(`${outdir}/chunks`, { recursive: true, force: true });
await build({
  entryPoints: { rolecall: 'src-main/cli/main.ts' },
  outdir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
