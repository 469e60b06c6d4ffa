import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../../../src-main/core/files/state-store';
import { emptyAppState, type SsoRoleProfile } from '../../../../src-shared/profile';

let root: string;
let dir: string;
let paths: { stateFile: string; locksDir: string };
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rc-state-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  dir = path.join(root, `case-${n++}`);
  paths = { stateFile: path.join(dir, 'state.json'), locksDir: path.join(dir, 'locks') };
});

const role = (name: string): SsoRoleProfile => ({ kind: 'sso-role', name, ssoSession: 'acme', accountId: '123456789012', roleName: 'Admin' });

describe('StateStore.load', () => {
  it('gives the empty state when there is no file yet', async () => {
    expect(await new StateStore(paths).load()).toEqual(emptyAppState());
  });

  it.each([
    ['trailing comma', '{"version": 1,\n"profiles": []\n,}', /state\.json is not valid JSON \(line 3\)/],
    ['double comma on line 2 of 4', '{\n"version": 1,,\n"profiles": []\n}', /state\.json is not valid JSON \(line 2\)$/],
    ['not JSON', 'SOMETHING-PRIVATE', /state\.json is not valid JSON$/],
    ['empty', '', /state\.json is not valid JSON/],
    ['wrong version', '{"version": 2}', /state\.json \(version\)/],
    ['bad profile', '{"version":1,"profiles":[{"kind":"sso-role","name":"bad name","ssoSession":"a","accountId":"123456789012","roleName":"R"}]}', /state\.json \(profiles\.0\.name\): a profile name is/],
  ])('refuses a broken file (%s) with a clear error, and leaves it as it was', async (_, text, message) => {
    const store = new StateStore(paths);
    await store.update(() => undefined); // creates the directories
    await writeFile(paths.stateFile, text);
    await expect(store.load()).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: expect.stringMatching(message), hint: 'fix or move the file; Rolecall has left it as it was' });
    await expect(store.update((s) => void s.profiles.push(role('x')))).rejects.toMatchObject({ code: 'file' });
    expect(await readFile(paths.stateFile, 'utf8')).toBe(text);
  });
  it('refuses a state file it cannot read (here a directory), naming it, instead of taking it for no state at all', async () => {
    // Taken for "no file yet", the next update would write an empty state over the user's profiles.
    const store = new StateStore(paths);
    await mkdir(paths.stateFile, { recursive: true });
    await expect(store.load()).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: `Cannot read ${paths.stateFile}: EISDIR` });
    await expect(store.update((s) => void s.profiles.push(role('x')))).rejects.toMatchObject({ code: 'file' });
  });
});

describe('StateStore.update', () => {
  it('saves the change with mode 0600 and reads it back', async () => {
    const store = new StateStore(paths);
    const saved = await store.update((s) => void s.profiles.push(role('dev')));
    expect(saved.profiles.map((p) => p.name)).toEqual(['dev']);
    await store.update((s) => ({ ...s, profiles: [...s.profiles, role('prod')] }));
    expect((await store.load()).profiles.map((p) => p.name)).toEqual(['dev', 'prod']);
    expect((await stat(paths.stateFile)).mode & 0o777).toBe(0o600);
    // A text file, as editors and diff expect it: ends with a line break.
    expect(await readFile(paths.stateFile, 'utf8')).toMatch(/\}\n$/);
    expect(await readdir(dir)).toEqual(['locks', 'state.json']);
  });

  it('refuses a change that makes the state invalid, and writes nothing', async () => {
    const store = new StateStore(paths);
    await store.update((s) => void s.profiles.push(role('dev')));
    const before = await readFile(paths.stateFile, 'utf8');
    await expect(store.update((s) => void s.profiles.push({ ...role('x'), accountId: '12' }))).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^the new state \(profiles\.1\.accountId\): .*12 digits/),
    });
    expect(await readFile(paths.stateFile, 'utf8')).toBe(before);
  });

  it('loses nothing when many processes update at once', async () => {
    const script = path.join(root, 'updater.mjs');
    const source = fileURLToPath(new URL('../../../../src-main/core/files/state-store.ts', import.meta.url));
    await build({
      stdin: {
        contents: `import { StateStore } from ${JSON.stringify(source)};
          const [stateFile, locksDir, name] = process.argv.slice(2);
          await new StateStore({ stateFile, locksDir }, { pollMs: 5 }).update((s) => void s.profiles.push(
            { kind: 'sso-role', name, ssoSession: 'acme', accountId: '123456789012', roleName: 'Admin' }));`,
        loader: 'ts',
        resolveDir: root,
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
    const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
    const codes = await Promise.all(
      names.map(
        (name) =>
          new Promise<number | null>((resolve) =>
            spawn(process.execPath, [script, paths.stateFile, paths.locksDir, name], { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', resolve),
          ),
      ),
    );
    expect(codes).toEqual(names.map(() => 0));
    const state = await new StateStore(paths).load();
    expect(state.profiles.map((p) => p.name).sort()).toEqual([...names].sort());
  });
});
