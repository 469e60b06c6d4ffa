// The data dir's launcher, in process: the script it writes really runs the install it names (with
// every argument, through sh's quoting), says what to do once that install is gone, runs a packaged
// app's Electron as Node only when told to, and refuses a path it cannot write on one line; it is
// written where the credential_process lines point, private to the user, with the native
// helper's copy beside it. (The CLI's process test, test/integration/cli/launcher.test.ts, runs
// it from an AWS tool.)
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installLauncher, launcherDir, launcherPaths, launcherScript } from '../../../../src-main/core/files/launcher';

const run = promisify(execFile);

/** Runs a launcher script with sh, as an AWS tool runs credential_process: exit code and output. */
async function sh(launcher: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv = { PATH: process.env.PATH, ...env };
  try {
    const { stdout, stderr } = await run('/bin/sh', [launcher, ...args], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

// Stands in for the CLI entry: prints what it was started with.
const ECHO_CLI = 'console.log(JSON.stringify({ argv: process.argv.slice(2), electronAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }));\n';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-launcher-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function writeLauncher(text: string): Promise<string> {
  const file = path.join(dir, 'launcher');
  await writeFile(file, text);
  return file;
}

describe('launcherScript', () => {
  it('runs the install it names with Node, passing every argument as it was given', async () => {
    // Quotes, spaces, $(...) and a non-ASCII letter in the path: sh must take it as one word.
    const cliDir = path.join(dir, "o'brien $(touch pwned) zoë");
    await mkdir(cliDir);
    const script = path.join(cliDir, 'rolecall.cjs');
    await writeFile(script, ECHO_CLI);
    const launcher = await writeLauncher(launcherScript({ nodePath: process.execPath, script }));
    const r = await sh(launcher, ['credential-process', '--profile', "dev/Read Only's", '$HOME', '']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ argv: ['credential-process', '--profile', "dev/Read Only's", '$HOME', ''], electronAsNode: null });
    expect(await readdir(dir)).not.toContain('pwned');
    expect(await readdir(process.cwd())).not.toContain('pwned');
  });

  it('tells Electron to run as Node only for the packaged app', async () => {
    const script = path.join(dir, 'rolecall.cjs');
    await writeFile(script, ECHO_CLI);
    const asNode = await writeLauncher(launcherScript({ nodePath: process.execPath, script, electronAsNode: true }));
    expect(JSON.parse((await sh(asNode, ['x'])).stdout)).toEqual({ argv: ['x'], electronAsNode: '1' });
    const plain = await writeLauncher(launcherScript({ nodePath: process.execPath, script, electronAsNode: false }));
    expect(JSON.parse((await sh(plain, ['x'])).stdout)).toEqual({ argv: ['x'], electronAsNode: null });
  });

  it('says what to do, and fails, when the install it names is gone', async () => {
    const script = path.join(dir, 'gone', 'rolecall.cjs');
    const launcher = await writeLauncher(launcherScript({ nodePath: process.execPath, script }));
    const r = await sh(launcher, ['credential-process', '--profile', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rolecall: the Rolecall install your AWS profiles use is gone (${script}): run 'rolecall config write' with Rolecall where it is now\n`);
  });

  it('says the install is gone when only a directory is left where its script was', async () => {
    const script = path.join(dir, 'rolecall.cjs');
    await mkdir(script);
    const r = await sh(await writeLauncher(launcherScript({ nodePath: process.execPath, script })), []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the Rolecall install your AWS profiles use is gone');
  });

  it('is a sh script that says who wrote it', () => {
    const text = launcherScript({ nodePath: '/usr/bin/node', script: '/opt/rolecall/rolecall.cjs' });
    expect(text.startsWith('#!/bin/sh\n# Written by `rolecall config write`')).toBe(true);
    expect(text.endsWith(`exec '/usr/bin/node' "$script" "$@"\n`)).toBe(true);
  });

  it.each([
    ['a relative Node.js path', { nodePath: 'node', script: '/x/rolecall.cjs' }, 'Cannot write a launcher for the Node.js path "node": it must be absolute and on one line'],
    ['a relative script path', { nodePath: '/usr/bin/node', script: 'dist/cli/rolecall.cjs' }, 'Cannot write a launcher for the rolecall script path "dist/cli/rolecall.cjs": it must be absolute and on one line'],
    ['a line break', { nodePath: '/usr/bin/node', script: '/a\nb' }, 'rolecall script path "/a\\nb"'],
    ['a NUL', { nodePath: '/usr/bin/no\0de', script: '/x' }, 'Node.js path "/usr/bin/no\\u0000de"'],
    ['the last control character', { nodePath: '/usr/bin/node', script: '/a\x1fb' }, 'rolecall script path "/a\\u001fb"'],
    ['DEL', { nodePath: '/usr/bin/node\x7f', script: '/x' }, 'Node.js path "/usr/bin/node\x7f"'],
  ])('refuses %s, naming the path', (_, install, message) => {
    expect(() => launcherScript(install)).toThrow(expect.objectContaining({ name: 'RolecallError', code: 'invalid-input', message: expect.stringContaining(message) }));
  });

  it('takes printable characters next to the refused ones (space, ~)', () => {
    expect(launcherScript({ nodePath: '/opt/my node/~node', script: '/x y/rolecall.cjs' })).toContain(`script='/x y/rolecall.cjs'\n`);
  });
});

describe('launcherPaths', () => {
  const paths = { dataDir: '/home/ann/.config/rolecall' };
  const install = { nodePath: '/usr/bin/node', script: '/opt/rolecall/rolecall.cjs' };

  it("puts the launcher, and the helper's copy when there is a helper, in the data dir's bin", () => {
    expect(launcherDir(paths)).toBe('/home/ann/.config/rolecall/bin');
    expect(launcherPaths(paths, install, 'linux')).toStrictEqual({ launcher: '/home/ann/.config/rolecall/bin/rolecall' });
    expect(launcherPaths(paths, { ...install, helper: '/opt/rolecall/native/rolecall-credential-process' }, 'darwin')).toStrictEqual({
      launcher: '/home/ann/.config/rolecall/bin/rolecall',
      helper: '/home/ann/.config/rolecall/bin/rolecall-credential-process',
    });
  });

  it('has none on Windows, which runs Node directly', () => {
    expect(launcherPaths(paths, { ...install, helper: 'C:\\h.exe' }, 'win32')).toBeUndefined();
  });
});

describe('installLauncher', () => {
  const mode = async (p: string) => (await stat(p)).mode & 0o777;

  it("writes the launcher and the helper's copy, private to the user, where launcherPaths says", async () => {
    const script = path.join(dir, 'rolecall.cjs');
    await writeFile(script, ECHO_CLI);
    const helper = path.join(dir, 'helper-built');
    const helperBytes = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0x0a]);
    await writeFile(helper, helperBytes, { mode: 0o755 });
    const paths = { dataDir: path.join(dir, 'data') };
    const install = { nodePath: process.execPath, script, helper };
    await installLauncher(paths, install, 'linux');

    const at = launcherPaths(paths, install, 'linux')!;
    expect(await mode(launcherDir(paths))).toBe(0o700);
    expect(await readFile(at.launcher, 'utf8')).toBe(launcherScript(install));
    expect(await mode(at.launcher)).toBe(0o700);
    expect(await readFile(at.helper!)).toEqual(helperBytes);
    expect(await mode(at.helper!)).toBe(0o700);
    // Runnable as it is, as an AWS tool runs it.
    const { stdout } = await run(at.launcher, ['credential-process']);
    expect(JSON.parse(stdout).argv).toEqual(['credential-process']);
  });

  it('makes an existing bin dir private, and rewrites a launcher naming another install', async () => {
    const paths = { dataDir: path.join(dir, 'data') };
    await mkdir(launcherDir(paths), { recursive: true });
    await chmod(launcherDir(paths), 0o755);
    await writeFile(path.join(launcherDir(paths), 'rolecall'), launcherScript({ nodePath: '/old/node', script: '/old/rolecall.cjs' }), { mode: 0o755 });
    const install = { nodePath: '/usr/bin/node', script: '/new/rolecall.cjs' };
    await installLauncher(paths, install, 'linux');
    expect(await mode(launcherDir(paths))).toBe(0o700);
    expect(await readFile(path.join(launcherDir(paths), 'rolecall'), 'utf8')).toBe(launcherScript(install));
    expect(await mode(path.join(launcherDir(paths), 'rolecall'))).toBe(0o700);
    expect(await readdir(launcherDir(paths))).toEqual(['rolecall']); // no helper's copy without a helper
  });

  it('writes nothing on Windows', async () => {
    const paths = { dataDir: path.join(dir, 'data') };
    await installLauncher(paths, { nodePath: 'C:\\node.exe', script: 'C:\\rolecall.cjs' }, 'win32');
    await expect(stat(paths.dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an install it cannot name in a script, leaving no launcher', async () => {
    const paths = { dataDir: path.join(dir, 'data') };
    await expect(installLauncher(paths, { nodePath: 'node', script: '/x' }, 'linux')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(stat(path.join(launcherDir(paths), 'rolecall'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
