// The take-over and its undo in the core, on files in a temp dir, with the secrets in memory:
// the undo restores both files byte for byte (a missing one stays missing), removes what the
// take-over added, keeps an imported profile that the user has since built on, and can run once.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../../../src-main/core/files/state-store';
import { planTakeOver, takeOver, TAKE_OVER_BACKUP_ENTRY, undoTakeOver } from '../../../../src-main/core/files/take-over';
import { resolvePaths } from '../../../../src-main/core/paths';
import { MemorySecretStore } from '../../../helpers/memory-secret-store';

const KEY = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const CONFIG = '# mine\n[profile ops]\nsource_profile = keys\nrole_arn = arn:aws:iam::444455556666:role/Ops\n\n[profile keep]\nregion = eu-west-1\n';
const CREDENTIALS = `[keys]\naws_access_key_id = ${KEY.id}\naws_secret_access_key = ${KEY.secret}\n`;

let dir: string;
let files: { configFile: string; credentialsFile: string };
let deps: { state: StateStore; secrets: MemorySecretStore };
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-take-over-'));
  files = { configFile: path.join(dir, 'config'), credentialsFile: path.join(dir, 'credentials') };
  deps = { state: new StateStore(resolvePaths({ ROLECALL_HOME: path.join(dir, 'data') })), secrets: new MemorySecretStore() };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('takeOver and undoTakeOver', () => {
  it('moves the key, cuts the sections, and the undo puts everything back', async () => {
    await writeFile(files.configFile, CONFIG);
    await writeFile(files.credentialsFile, CREDENTIALS, { mode: 0o600 });
    const r = await takeOver(await planTakeOver(files, await deps.state.load()), deps);
    expect(r).toMatchObject({ added: ['keys', 'ops'], keysMoved: ['keys'] });
    expect(JSON.parse(deps.secrets.data.get('iam-user/keys') ?? '{}')).toEqual({ accessKeyId: KEY.id, secretAccessKey: KEY.secret });
    expect(await readFile(files.configFile, 'utf8')).toBe('# mine\n\n[profile keep]\nregion = eu-west-1\n');
    expect(await readFile(files.credentialsFile, 'utf8')).toBe('');
    expect((await stat(files.credentialsFile)).mode & 0o777).toBe(0o600);

    expect(await undoTakeOver(deps)).toEqual({ files: [files.configFile, files.credentialsFile], removedProfiles: ['keys', 'ops'], keptProfiles: [] });
    expect(await readFile(files.configFile, 'utf8')).toBe(CONFIG);
    expect(await readFile(files.credentialsFile, 'utf8')).toBe(CREDENTIALS);
    expect((await deps.state.load()).profiles).toEqual([]);
    expect([...deps.secrets.data.keys()]).toEqual([]);
    await expect(undoTakeOver(deps)).rejects.toMatchObject({ code: 'not-found', message: 'there is no take-over to undo' });
  });

  it('keeps an imported profile that a profile added since builds on, and leaves a file that did not exist absent', async () => {
    await writeFile(files.credentialsFile, CREDENTIALS);
    await takeOver(await planTakeOver(files, await deps.state.load()), deps);
    await deps.state.update((s) => {
      s.profiles.push({ kind: 'assume-role', name: 'mine', sourceProfile: 'keys', roleArn: 'arn:aws:iam::444455556666:role/Mine' });
    });
    const r = await undoTakeOver(deps);
    expect(r).toMatchObject({ removedProfiles: [], keptProfiles: ['keys'] });
    expect((await deps.state.load()).profiles.map((p) => p.name)).toEqual(['keys', 'mine']);
    expect(deps.secrets.data.has('iam-user/keys')).toBe(true);
    expect(deps.secrets.data.has(TAKE_OVER_BACKUP_ENTRY)).toBe(false);
    expect(await readFile(files.credentialsFile, 'utf8')).toBe(CREDENTIALS);
    await expect(stat(files.configFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
