// The packaging configuration, checked without electron-builder or Electron's binary: the targets
// per OS, what goes in (the app bundles, the CLI as a resource), the rolecall:// protocol, and the
// CLI wrapper that runs the CLI on the app's own runtime.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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
  mac: { target: string[] };
  win: { target: string[] };
  linux: { target: string[]; executableName: string };
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
