// The packaging configuration, checked without electron-builder or Electron's binary: the targets
// per OS, what goes in (the app bundles, the CLI as a resource), the rolecall:// protocol, and the
// CLI wrapper that runs the CLI on the app's own runtime, and the icons (read from their PNG headers).
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const run = promisify(execFile);
const tmps: string[] = [];
afterAll(async () => Promise.all(tmps.map((t) => rm(t, { recursive: true, force: true }))));

interface BuilderConfig {
  appId: string;
  files: string[];
  extraResources: { from: string; to: string }[];
  protocols: { schemes: string[] }[];
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  linux: { target: string[]; executableName: string; icon: string };
}

/** A PNG's size and whether it has an alpha channel, from its IHDR chunk; undefined when it is no PNG. */
async function pngHeader(file: string): Promise<{ width: number; height: number; alpha: boolean } | undefined> {
  const b = await readFile(file);
  if (!b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) || b.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  // Colour type 6: RGBA, 4: grey with alpha.
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), alpha: b[25] === 6 || b[25] === 4 };
}

/** The share of an 8-bit RGBA PNG's pixels that are mostly opaque (filters undone): 0 is an invisible image. */
async function opaqueShare(file: string): Promise<number> {
  const b = await readFile(file);
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let o = 8; o < b.length; o += 12 + b.readUInt32BE(o)) if (b.toString('ascii', o + 4, o + 8) === 'IDAT') chunks.push(b.subarray(o + 8, o + 8 + b.readUInt32BE(o)));
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * 4;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const r = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? px[y * stride + x - 4]! : 0;
      const up = y ? px[(y - 1) * stride + x]! : 0;
      const ul = y && x >= 4 ? px[(y - 1) * stride + x - 4]! : 0;
      const p = a + up - ul;
      const paeth = Math.abs(p - a) <= Math.abs(p - up) && Math.abs(p - a) <= Math.abs(p - ul) ? a : Math.abs(p - up) <= Math.abs(p - ul) ? up : ul;
      px[y * stride + x] = (r + [0, a, up, (a + up) >> 1, paeth][filter]!) & 255;
    }
  }
  let opaque = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i]! > 128) opaque++;
  return opaque / (width * height);
}

describe('electron-builder configuration', () => {
  it('builds a dmg, an NSIS installer, an AppImage and a deb of the built app, with the CLI and rolecall:// links', async () => {
    const c = JSON.parse(await readFile(path.join(root, 'electron-builder.json'), 'utf8')) as BuilderConfig;
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.files).toContain('out/**');
    // package.json's main is the electron-vite bundle the files include.
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toMatch(/^out\//);
    expect(c.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'dist/cli', to: 'cli' }), { from: 'build/packaging/rolecall', to: 'cli/rolecall' }]));
    expect(c.protocols.flatMap((p) => p.schemes)).toEqual(['rolecall']);
  });

  it('has an app icon of 512 x 512 for every OS (electron-builder derives .icns and .ico from it)', async () => {
    const c = JSON.parse(await readFile(path.join(root, 'electron-builder.json'), 'utf8')) as BuilderConfig;
    expect([c.mac.icon, c.win.icon, c.linux.icon]).toEqual(['build/icon.png', 'build/icon.png', 'build/icon.png']);
    expect(await pngHeader(path.join(root, c.mac.icon))).toEqual({ width: 512, height: 512, alpha: true });
  });

  it('ships the tray images beside the app: 16 and 32 px, coloured and as a macOS Template, all with transparency', async () => {
    const c = JSON.parse(await readFile(path.join(root, 'electron-builder.json'), 'utf8')) as BuilderConfig;
    expect(c.extraResources).toContainEqual(expect.objectContaining({ from: 'build/tray', to: 'tray' }));
    for (const name of ['tray', 'trayTemplate']) {
      expect(await pngHeader(path.join(root, 'build/tray', `${name}.png`))).toEqual({ width: 16, height: 16, alpha: true });
      expect(await pngHeader(path.join(root, 'build/tray', `${name}@2x.png`))).toEqual({ width: 32, height: 32, alpha: true });
      // A key one can see, on a transparent ground: neither an empty image nor a filled square.
      for (const file of [`${name}.png`, `${name}@2x.png`]) {
        const share = await opaqueShare(path.join(root, 'build/tray', file));
        expect(share, file).toBeGreaterThan(0.15);
        expect(share, file).toBeLessThan(0.6);
      }
    }
  });

  it('the packaged rolecall runs the CLI with the app binary as Node (ELECTRON_RUN_AS_NODE)', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'rolecall-pkg-'));
    tmps.push(tmp);
    const cli = path.join(tmp, 'resources', 'cli');
    await mkdir(cli, { recursive: true });
    await copyFile(path.join(root, 'build/packaging/rolecall'), path.join(cli, 'rolecall'));
    await chmod(path.join(cli, 'rolecall'), 0o755);
    await writeFile(path.join(cli, 'rolecall.cjs'), 'console.log(JSON.stringify({ args: process.argv.slice(2), asNode: process.env.ELECTRON_RUN_AS_NODE }));\n');
    // The app's binary, standing in: node, refusing to run unless told to act as Node.
    await writeFile(path.join(tmp, 'rolecall-app'), `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "started as the app" >&2; exit 9; }\nexec "${process.execPath}" "$@"\n`);
    await chmod(path.join(tmp, 'rolecall-app'), 0o755);
    const { stdout } = await run(path.join(cli, 'rolecall'), ['list', '--json']);
    expect(JSON.parse(stdout)).toEqual({ args: ['list', '--json'], asNode: '1' });

    await rm(path.join(tmp, 'rolecall-app'));
    const failed = await run(path.join(cli, 'rolecall'), ['list']).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1, stderr: `rolecall: the Rolecall app's runtime was not found beside ${cli}\n` });
  });
});
