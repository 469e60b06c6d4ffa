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
    const refused = { name: 'RolecallError', code: 'file', message: expect.stringMatching(message), hint: 'fix or move the file; Rolecall has left it as it was' };
    await expect(store.load()).rejects.toMatchObject(refused);
    await expect(store.read()).rejects.toMatchObject(refused);
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

describe('StateStore.read', () => {
  const edit = async (fn: (s: { profiles: Record<string, unknown>[] }) => void) => {
    const json = JSON.parse(await readFile(paths.stateFile, 'utf8'));
    fn(json);
    await writeFile(paths.stateFile, JSON.stringify(json));
  };

  it('gives what load() gives after another process changes one profile, and the same objects for the profiles it did not change', async () => {
    const store = new StateStore(paths);
    await store.update((s) => void s.profiles.push(role('a'), role('b'), { ...role('c'), region: 'eu-west-1' }));
    const first = await store.read();
    // Another process: a new store on the same file.
    await new StateStore(paths).update((s) => {
      s.profiles[1]!.region = 'us-west-2';
      s.profiles.push(role('d'));
    });
    const second = await store.read();
    expect(second).toEqual(await store.load());
    expect(second.profiles.map((p) => [p.name, p.region])).toEqual([['a', undefined], ['b', 'us-west-2'], ['c', 'eu-west-1'], ['d', undefined]]);
    expect(second.profiles[0]).toBe(first.profiles[0]);
    expect(second.profiles[1]).not.toBe(first.profiles[1]);
    expect(second.profiles[2]).toBe(first.profiles[2]);
  });

  it('refuses a profile edited by hand into a bad one, though a good profile of that name was read before, naming the field', async () => {
    const store = new StateStore(paths);
    await store.update((s) => void s.profiles.push(role('a'), role('b')));
    await store.read();
    await edit((s) => (s.profiles[1]!.accountId = '12345'));
    await expect(store.read()).rejects.toMatchObject({ code: 'file', message: expect.stringMatching(/state\.json \(profiles\.1\.accountId\)/) });
  });

  it('drops unknown keys and fills defaults as load() does, and sees a profile whose only change is an added or removed key', async () => {
    const store = new StateStore(paths);
    await store.update((s) => void s.profiles.push(role('a')));
    await store.read();
    await edit((s) => (s.profiles[0]!.favorite = true));
    expect((await store.read()).profiles[0]!.favorite).toBe(true);
    await edit((s) => Object.assign(s.profiles[0]!, { fromTheFuture: 1 }));
    const read = await store.read();
    expect(read).toEqual(await store.load());
    expect(read.profiles[0]).not.toHaveProperty('fromTheFuture');
    await edit((s) => delete s.profiles[0]!.favorite);
    expect((await store.read()).profiles[0]!.favorite).toBeUndefined();
  });

  it('hands out frozen profiles, so a reader that changes one fails at once instead of changing the next read', async () => {
    const store = new StateStore(paths);
    await store.update((s) => void s.profiles.push(role('a')));
    const read = await store.read();
    expect(() => {
      (read.profiles[0] as { region?: string }).region = 'eu-west-1';
    }).toThrow(TypeError);
    expect((await store.read()).profiles[0]!.region).toBeUndefined();
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
