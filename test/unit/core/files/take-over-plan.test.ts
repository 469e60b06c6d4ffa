// What the take-over plans and does beyond the simple case (take-over-undo.test.ts): profiles
// Rolecall already has stay in the files, sources are imported first, a profile whose source
// stays behind keeps its section, bytes that are not UTF-8 survive the cut, a file that does not
// exist is neither read nor written, an unchanged file is not rewritten, a key is never left in
// the keychain for a profile that did not make it in, and the undo takes out the Identity Centers
// and whole chains the take-over added unless something added since still uses them.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../../../src-shared/profile';
import { StateStore } from '../../../../src-main/core/files/state-store';
import { cutSections, planTakeOver, takeOver, TAKE_OVER_BACKUP_ENTRY, undoTakeOver } from '../../../../src-main/core/files/take-over';
import { resolvePaths } from '../../../../src-main/core/paths';
import { MemorySecretStore } from '../../../helpers/memory-secret-store';

const KEY = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const OTHER_KEY = { id: 'AKIAI44QH8DHBEXAMPLE', secret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY' };
const ini = (...l: string[]) => l.join('\n') + '\n';
const role = (name: string, source: string, account = '444455556666') => ini(`[profile ${name}]`, `source_profile = ${source}`, `role_arn = arn:aws:iam::${account}:role/${name}`);
const keys = (name: string, k = KEY) => ini(`[${name}]`, `aws_access_key_id = ${k.id}`, `aws_secret_access_key = ${k.secret}`);
const ACME = ini('[sso-session acme]', 'sso_start_url = https://acme.awsapps.com/start', 'sso_region = eu-west-1');
const BETA = ini('[sso-session beta]', 'sso_start_url = https://beta.awsapps.com/start', 'sso_region = us-east-1');
const sso = (name: string, session: string) => ini(`[profile ${name}]`, `sso_session = ${session}`, 'sso_account_id = 111122223333', 'sso_role_name = Admin');

let dir: string;
let files: { configFile: string; credentialsFile: string };
let deps: { state: StateStore; secrets: MemorySecretStore };
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-take-over-plan-'));
  files = { configFile: path.join(dir, 'config'), credentialsFile: path.join(dir, 'credentials') };
  deps = { state: new StateStore(resolvePaths({ ROLECALL_HOME: path.join(dir, 'data') })), secrets: new MemorySecretStore() };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const text = (b: Buffer | null) => b?.toString('utf8') ?? null;
const addToState = (fn: (s: AppState) => void) => deps.state.update(fn);

describe('planTakeOver', () => {
  it("imports sources first, and leaves the profiles Rolecall already has (and their sections) alone", async () => {
    // Written before their sources: the plan still orders them sources first.
    await writeFile(files.configFile, role('top', 'mid') + role('mid', 'keys'));
    await writeFile(files.credentialsFile, keys('old', OTHER_KEY) + keys('keys'));
    await addToState((s) => {
      s.profiles.push({ kind: 'iam-user', name: 'old', accessKeyId: OTHER_KEY.id });
    });
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.existing).toEqual(['old']);
    expect(plan.willImport.map((p) => p.name)).toEqual(['keys', 'mid', 'top']);
    expect(plan.left).toEqual([]);
    expect(plan.configSections).toEqual(['[profile top]', '[profile mid]']);
    expect(plan.credentialsSections).toEqual(['[keys]']);
    expect(text(plan.nextConfig)).toBe('');
    expect(text(plan.nextCredentials)).toBe(keys('old', OTHER_KEY));
  });

  it("leaves the profiles of an Identity Center Rolecall has under that name with another start URL: they would sign in to another organization", async () => {
    // The file's acme is eu-west-1 at acme's start URL; Rolecall's acme is another organization's.
    await writeFile(files.configFile, ACME + sso('acme-admin', 'acme') + role('acme-chain', 'acme-admin') + BETA + sso('beta-admin', 'beta'));
    await addToState((s) => {
      s.ssoSessions.push({ name: 'acme', startUrl: 'https://other-org.awsapps.com/start', region: 'eu-west-1' });
    });
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.willImport.map((p) => p.name)).toEqual(['beta-admin']);
    expect(plan.left).toEqual([
      { name: 'acme-admin', reason: "Rolecall's Identity Center 'acme' has another start URL or region" },
      { name: 'acme-chain', reason: "its source profile 'acme-admin' is not taken over" },
    ]);
    expect(plan.configSections).toEqual(['[profile beta-admin]']);

    // Taken over: Rolecall's acme is untouched and no profile of the file's acme is in Rolecall.
    const result = await takeOver(plan, deps);
    expect(result.added).toEqual(['beta-admin']);
    expect(result.skipped).toEqual([
      { name: 'sso-session acme', reason: "Rolecall already has an Identity Center 'acme' with another start URL or region" },
      { name: 'acme-admin', reason: "its Identity Center 'acme' differs from Rolecall's of that name (another start URL or region); rename the sso-session in the file and import again" },
      { name: 'acme-chain', reason: "its source profile 'acme-admin' was not imported; import again once it is in Rolecall (rolecall config import --take-over brings static keys along)" },
    ]);
    const after = await deps.state.load();
    expect(after.profiles.map((p) => p.name)).toEqual(['beta-admin']);
    expect(after.ssoSessions.find((x) => x.name === 'acme')?.startUrl).toBe('https://other-org.awsapps.com/start');
    expect(await readFile(files.configFile, 'utf8')).toContain('[profile acme-admin]');
  });

  it('leaves a profile whose source stays behind in the file, and says why', async () => {
    const config = role('app', 'ec2') + ini('[profile ec2]', 'role_arn = arn:aws:iam::444455556666:role/Ec2', 'credential_source = Ec2InstanceMetadata') + role('ok', 'keys');
    await writeFile(files.configFile, config);
    await writeFile(files.credentialsFile, keys('keys'));
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.willImport.map((p) => p.name)).toEqual(['keys', 'ok']);
    expect(plan.left).toEqual([{ name: 'app', reason: "its source profile 'ec2' is not taken over" }]);
    expect(text(plan.nextConfig)).toBe(role('app', 'ec2') + ini('[profile ec2]', 'role_arn = arn:aws:iam::444455556666:role/Ec2', 'credential_source = Ec2InstanceMetadata'));
  });

  it("takes over profiles of an Identity Center the file adds next to one Rolecall already has", async () => {
    await writeFile(files.configFile, ACME + BETA + sso('a', 'acme') + sso('b', 'beta'));
    await addToState((s) => {
      s.ssoSessions.push({ name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' });
    });
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.willImport.map((p) => p.name)).toEqual(['a', 'b']);
    expect(plan.left).toEqual([]);
    expect(text(plan.nextConfig)).toBe(ACME + BETA);
  });

  it('keeps every byte it does not cut, UTF-8 or not, in both files', async () => {
    const config = Buffer.concat([Buffer.from('# zoë\n[profile x]\nregion = '), Buffer.from([0xe9, 0xff]), Buffer.from('\n'), Buffer.from(role('ops', 'keys'))]);
    const credentials = Buffer.concat([Buffer.from('# café '), Buffer.from([0xfe]), Buffer.from('\n'), Buffer.from(keys('keys'))]);
    await writeFile(files.configFile, config);
    await writeFile(files.credentialsFile, credentials);
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.willImport.map((p) => p.name)).toEqual(['keys', 'ops']);
    expect(plan.nextConfig).toEqual(config.subarray(0, config.length - role('ops', 'keys').length));
    expect(plan.nextCredentials).toEqual(credentials.subarray(0, credentials.length - keys('keys').length));
  });

  it('cuts a profile written with a quoted name, which the SDK imports by that name', async () => {
    await writeFile(files.configFile, ini('[profile "dev"]', 'source_profile = keys', 'role_arn = arn:aws:iam::444455556666:role/Dev', '[profile stay]', 'region = eu-west-1'));
    await writeFile(files.credentialsFile, keys('keys'));
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.willImport.map((p) => p.name)).toEqual(['keys', 'dev']);
    expect(plan.configSections).toEqual(['[profile "dev"]']);
    expect(text(plan.nextConfig)).toBe(ini('[profile stay]', 'region = eu-west-1'));
  });

  it('reads no credentials file when there is none, and plans to write none', async () => {
    await writeFile(files.configFile, ini('[profile k]', `aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}`));
    const plan = await planTakeOver(files, await deps.state.load());
    expect(plan.willImport.map((p) => p.name)).toEqual(['k']);
    expect(plan).toMatchObject({ credentials: null, nextCredentials: null, credentialsSections: [], configSections: ['[profile k]'] });
    expect(text(plan.nextConfig)).toBe('');
  });

  it('names the file it cannot read, or that is broken', async () => {
    await mkdir(files.configFile);
    await expect(planTakeOver(files, await deps.state.load())).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: `cannot read ${files.configFile}: EISDIR` });
    await rm(files.configFile, { recursive: true });
    await writeFile(files.credentialsFile, '[keys]\naws_secret_access_key wJalrXUtnFEMI\n');
    await expect(planTakeOver(files, await deps.state.load())).rejects.toMatchObject({ code: 'file', message: `${files.credentialsFile} line 2: expected "name = value"` });
    await writeFile(files.credentialsFile, '');
    await writeFile(files.configFile, 'region = x\n');
    await expect(planTakeOver(files, await deps.state.load())).rejects.toMatchObject({ code: 'file', message: `${files.configFile} line 1: a setting before any [section] header` });
  });
});

describe('cutSections, as the SDK reads a section header', () => {
  it('cuts the last section of a file without a final line break', () => {
    expect(cutSections('[profile b]\nk = 1\n[profile a]\nregion = x', 'config', new Set(['a']), 'f').text).toBe('[profile b]\nk = 1\n');
    expect(cutSections('[profile a]\nregion = x', 'config', new Set(['b']), 'f').text).toBe('[profile a]\nregion = x');
  });

  it('reads a one-character first line as a line', () => {
    expect(cutSections('#\n[profile a]\nk = 1\n', 'config', new Set(['a']), 'f').text).toBe('#\n');
  });

  it('cuts a section before the managed block as well as after it', () => {
    const block = '# BEGIN ROLECALL\n[profile a]\ncredential_process = x\n# END ROLECALL\n';
    expect(cutSections('[profile a]\nk = 1\n' + block + '[a]\nk = 2\n', 'config', new Set(['a']), 'f').text).toBe(block + '[a]\nk = 2\n');
  });

  it('keeps a ; comment after the last setting, and lists the header without its comment', () => {
    expect(cutSections('[profile a] ; mine\nk = 1\n; about b\n[profile b]\n', 'config', new Set(['a']), 'f')).toEqual({ text: '; about b\n[profile b]\n', headers: ['[profile a]'] });
  });

  it('reads a header followed by a comment after several blanks', () => {
    expect(cutSections('[profile a]  \t# mine\nk = 1\n', 'config', new Set(['a']), 'f')).toEqual({ text: '', headers: ['[profile a]'] });
  });

  it('passes over sections of a type the SDK does not know', () => {
    expect(cutSections('[foo bar]\nk = 1\n[profile a]\nk = 2\n', 'config', new Set(['a', 'bar', 'foo.bar']), 'f').text).toBe('[foo bar]\nk = 1\n');
    expect(cutSections('[foo bar]\nk = 1\n[a]\nk = 2\n', 'credentials', new Set(['a', 'bar', 'foo.bar']), 'f').text).toBe('[foo bar]\nk = 1\n');
  });

  it('leaves sections the SDK reads as other names', () => {
    const config = '[profile a b]\nk = 1\n[profile  a]\nk = 2\n[ profile a ]\nk = 3\n[profile a]\nk = 4\n';
    expect(cutSections(config, 'config', new Set(['a']), 'f').text).toBe('[profile a b]\nk = 1\n[profile  a]\nk = 2\n[ profile a ]\nk = 3\n');
    expect(cutSections('[ a ]\nk = 1\n[a]\nk = 2\n', 'credentials', new Set(['a']), 'f').text).toBe('[ a ]\nk = 1\n');
  });

  it('cuts a quoted name, and [profile default], as the SDK reads them', () => {
    expect(cutSections('[profile "q"]\nk = 1\n[profile \'r\']\nk = 2\n[profile default]\nk = 3\n[profile "s\']\nk = 4\n', 'config', new Set(['q', 'r', 'default', 's']), 'f')).toEqual({
      text: '[profile "s\']\nk = 4\n',
      headers: ['[profile "q"]', "[profile 'r']", '[profile default]'],
    });
  });
});

describe('takeOver', () => {
  it('writes neither file when there is nothing to cut, and creates no file that was not there', async () => {
    // Only a config file, and only a section the take-over leaves (no credential settings).
    const config = ini('[profile settings-only]', 'region = eu-west-1') + role('app', 'ec2') + ini('[profile ec2]', 'role_arn = arn:aws:iam::444455556666:role/Ec2', 'credential_source = Environment');
    await writeFile(files.configFile, config, { mode: 0o640 });
    const before = await stat(files.configFile);
    const plan = await planTakeOver(files, await deps.state.load());
    await takeOver(plan, deps);
    const after = await stat(files.configFile);
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
    await expect(stat(files.credentialsFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(JSON.parse(deps.secrets.data.get(TAKE_OVER_BACKUP_ENTRY) ?? '{}')).toMatchObject({ config: { base64: Buffer.from(config).toString('base64') }, credentials: { base64: null } });
  });

  it('writes the credentials file but not an unchanged config', async () => {
    const config = ini('[profile settings-only]', 'region = eu-west-1');
    await writeFile(files.configFile, config);
    await writeFile(files.credentialsFile, keys('keys'));
    const before = await stat(files.configFile);
    const r = await takeOver(await planTakeOver(files, await deps.state.load()), deps);
    expect(r).toMatchObject({ added: ['keys'], keysMoved: ['keys'] });
    expect((await stat(files.configFile)).ino).toBe(before.ino);
    expect(await readFile(files.credentialsFile, 'utf8')).toBe('');
  });

  it("moves no key over one Rolecall already keeps, and leaves none behind for a profile that did not make it in", async () => {
    await writeFile(files.credentialsFile, keys('keys') + keys('late', OTHER_KEY));
    const plan = await planTakeOver(files, await deps.state.load());
    // Between the plan and the take-over, 'keys' became a Rolecall IAM user with its own key, and
    // another process added a profile named 'late'.
    await addToState((s) => {
      s.profiles.push({ kind: 'iam-user', name: 'keys', accessKeyId: 'AKIAOTHERUSEREXAMPLE' });
    });
    await deps.secrets.set('iam-user/keys', 'the existing key');
    const state = { load: () => deps.state.load(), update: async (fn: Parameters<StateStore['update']>[0]) => {
      await deps.state.update((s) => {
        s.profiles.push({ kind: 'assume-role', name: 'late', sourceProfile: 'keys', roleArn: 'arn:aws:iam::444455556666:role/Late' });
      });
      return deps.state.update(fn);
    } };
    const r = await takeOver(plan, { state, secrets: deps.secrets });
    expect(r).toMatchObject({ added: [], keysMoved: [] });
    expect(deps.secrets.data.get('iam-user/keys')).toBe('the existing key');
    expect(deps.secrets.data.has('iam-user/late')).toBe(false);
  });
});

describe('undoTakeOver', () => {
  it('says how to make one when there is none', async () => {
    await expect(undoTakeOver(deps)).rejects.toMatchObject({ code: 'not-found', message: 'there is no take-over to undo', hint: 'rolecall config import --take-over makes one' });
  });

  it('takes out the Identity Centers it added, unless a profile added since uses one; one Rolecall had stays', async () => {
    await addToState((s) => {
      s.ssoSessions.push({ name: 'old', startUrl: 'https://old.awsapps.com/start', region: 'eu-west-1' });
    });
    await writeFile(files.configFile, ACME + BETA + sso('a', 'acme') + sso('b', 'beta'));
    const r = await takeOver(await planTakeOver(files, await deps.state.load()), deps);
    expect(r).toMatchObject({ added: ['a', 'b'], addedSsoSessions: ['acme', 'beta'] });
    await addToState((s) => {
      s.profiles.push({ kind: 'sso-role', name: 'mine', ssoSession: 'beta', accountId: '111122223333', roleName: 'Read' });
    });
    expect(await undoTakeOver(deps)).toMatchObject({ removedProfiles: ['a', 'b'], keptProfiles: [] });
    const state = await deps.state.load();
    expect(state.profiles.map((p) => p.name)).toEqual(['mine']);
    expect(state.ssoSessions.map((s) => s.name)).toEqual(['old', 'beta']);
  });

  it('keeps a whole imported chain under a profile added since', async () => {
    await writeFile(files.configFile, role('ops', 'keys') + role('other', 'keys'));
    await writeFile(files.credentialsFile, keys('keys'));
    await takeOver(await planTakeOver(files, await deps.state.load()), deps);
    await addToState((s) => {
      s.profiles.push({ kind: 'assume-role', name: 'mine', sourceProfile: 'ops', roleArn: 'arn:aws:iam::444455556666:role/Mine' });
    });
    const r = await undoTakeOver(deps);
    expect(r).toMatchObject({ removedProfiles: ['other'], keptProfiles: ['ops', 'keys'] });
    expect((await deps.state.load()).profiles.map((p) => p.name)).toEqual(['keys', 'ops', 'mine']);
    expect(deps.secrets.data.has('iam-user/keys')).toBe(true);
  });

  it('stops, keeping the backup, when a file it must remove cannot be removed', async () => {
    await writeFile(files.credentialsFile, keys('keys'));
    await takeOver(await planTakeOver(files, await deps.state.load()), deps);
    // The config file did not exist before the take-over; now a directory is in its place.
    await mkdir(files.configFile);
    await writeFile(path.join(files.configFile, 'x'), '');
    await expect(undoTakeOver(deps)).rejects.toMatchObject({ code: expect.stringMatching(/^(EISDIR|EPERM)$/) });
    expect(deps.secrets.data.has(TAKE_OVER_BACKUP_ENTRY)).toBe(true);
    expect((await deps.state.load()).profiles.map((p) => p.name)).toEqual(['keys']);
  });
});
