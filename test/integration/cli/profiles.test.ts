// Managing profiles from the command line: add/edit/remove with their checks (unique names,
// sources that exist, no loops, no removing what others build on), IAM users with the secret
// key from stdin only, `list`, and `doctor`.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { iamUserEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { ALICE_KEY, parseJson, READ_ONLY_ROLE as READ_ONLY, useCliHarness } from './harness';


const h = useCliHarness();

const addAlice = () => h().rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId], { input: `${ALICE_KEY.secretAccessKey}\n` });
const state = async () => JSON.parse(await readFile(h().core.paths.stateFile, 'utf8')) as { profiles: Record<string, unknown>[] };

describe('rolecall iam-user', () => {
  it('stores the secret key in the keychain and the profile in the state file (never the secret)', async () => {
    expect(await addAlice()).toEqual({ code: 0, stdout: "Added IAM user profile 'alice' (secret key in the OS keychain)\n", stderr: '' });
    expect(JSON.parse((await h().core.secrets.get(iamUserEntryName('alice')))!)).toEqual({ accessKeyId: ALICE_KEY.accessKeyId, secretAccessKey: ALICE_KEY.secretAccessKey });
    expect((await state()).profiles).toEqual([{ name: 'alice', kind: 'iam-user', accessKeyId: ALICE_KEY.accessKeyId }]);
    expect(await readFile(h().core.paths.stateFile, 'utf8')).not.toContain(ALICE_KEY.secretAccessKey);

    expect(await h().rolecall(['iam-user', 'remove', 'alice'])).toEqual({ code: 0, stdout: "Removed IAM user profile 'alice'\n", stderr: '' });
    expect(await h().core.secrets.get(iamUserEntryName('alice'))).toBeNull();
    expect((await state()).profiles).toEqual([]);
  });

  it('refuses bad input with one line, writing nothing', async () => {
    const add = (args: string[], input = ALICE_KEY.secretAccessKey) => h().rolecall(['iam-user', 'add', ...args], { input });
    expect(await add(['bob', '--access-key-id', 'AKIA123'])).toEqual({
      code: 2, stdout: '', stderr: "rolecall: profile 'bob' (accessKeyId): an access key id looks like AKIA followed by letters and digits\n",
    });
    expect(await add(['bob', '--access-key-id', ALICE_KEY.accessKeyId], '')).toEqual({
      code: 2, stdout: '', stderr: 'rolecall: no secret access key on stdin: pipe it in, or run this at a terminal to be asked\n',
    });
    expect(await add(['bob', '--access-key-id', ALICE_KEY.accessKeyId], 'too-short')).toEqual({
      code: 2, stdout: '', stderr: "rolecall: profile 'bob': the secret access key is not 40 characters of letters, digits and / + =\n",
    });
    expect(await add(['bob', '--access-key-id', ALICE_KEY.accessKeyId, '--secret-access-key', 'x'])).toEqual({
      code: 2, stdout: '', stderr: "rolecall: unknown option '--secret-access-key'\n",
    });
    expect(await add(['b"ob', '--access-key-id', ALICE_KEY.accessKeyId])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^rolecall: invalid profile name "b\\"ob": a profile name is [^\n]*\n$/) });
    expect(await h().core.secrets.get(iamUserEntryName('bob'))).toBeNull();
    await addAlice();
    expect(await add(['alice', '--access-key-id', ALICE_KEY.accessKeyId], 'B'.repeat(40))).toEqual({
      code: 1, stdout: '', stderr: "rolecall: profile 'alice' already exists; choose another name, or remove it first: rolecall profile remove alice\n",
    });
    // The first alice keeps her own secret.
    expect(JSON.parse((await h().core.secrets.get(iamUserEntryName('alice')))!).secretAccessKey).toBe(ALICE_KEY.secretAccessKey);
  });
});

describe('rolecall profile', () => {
  it('adds, edits and removes assume-role profiles, with the checks between them', async () => {
    await addAlice();
    const ok = async (args: string[], stdout: string) => expect(await h().rolecall(args)).toEqual({ code: 0, stdout, stderr: '' });
    const fails = async (args: string[], code: number, stderr: string) => expect(await h().rolecall(args)).toEqual({ code, stdout: '', stderr });

    await ok(['profile', 'add', 'dev', '--source', 'alice', '--role-arn', READ_ONLY, '--duration', '7200', '--region', 'eu-west-1'], "Added profile 'dev'; to use it from AWS tools: rolecall config write\n");
    await ok(['profile', 'add', 'dev2', '--source', 'dev', '--role-arn', READ_ONLY, '--external-id', 'ext-123'], "Added profile 'dev2'; to use it from AWS tools: rolecall config write\n");
    await fails(['profile', 'add', 'dev', '--source', 'alice', '--role-arn', READ_ONLY], 1, "rolecall: profile 'dev' already exists; choose another name, or: rolecall profile edit dev\n");
    await fails(['profile', 'add', 'x', '--source', 'ghost', '--role-arn', READ_ONLY], 1, "rolecall: profile 'x': its source profile 'ghost' does not exist; run: rolecall list\n");
    await fails(['profile', 'add', 'x', '--source', 'alice', '--role-arn', 'arn:aws:iam::1:role/X'], 2, "rolecall: profile 'x' (roleArn): a role ARN looks like arn:aws:iam::123456789012:role/Name\n");
    await fails(['profile', 'add', 'x', '--source', 'alice', '--role-arn', READ_ONLY, '--duration', '10h'], 2, 'rolecall: --duration: expected a whole number of seconds, got "10h"\n');
    await fails(['profile', 'add', 'x', '--source', 'alice', '--role-arn', READ_ONLY, '--duration', '60'], 2, "rolecall: profile 'x' (durationSeconds): Too small: expected number to be >=900\n");
    await fails(['profile', 'add', 'x', '--role-arn', READ_ONLY], 2, "rolecall: required option '--source <profile>' not specified\n");
    await fails(['profile', 'edit', 'dev', '--source', 'dev2'], 2, "rolecall: profile 'dev': its source profiles would form a loop (dev -> dev2 -> dev)\n");
    await fails(['profile', 'edit', 'dev'], 2, 'rolecall: nothing to change: give at least one option (see rolecall profile edit --help)\n');
    await fails(['profile', 'edit', 'ghost', '--region', 'us-east-1'], 1, "rolecall: profile 'ghost' does not exist; run: rolecall list\n");
    await ok(['profile', 'edit', 'dev2', '--session-name', 'me-here', '--region', 'us-west-2'], "Updated profile 'dev2'\n");
    await fails(['profile', 'remove', 'dev'], 1, "rolecall: profile 'dev' is the source of 'dev2'; remove that one first, or give it another source (rolecall profile edit NAME --source OTHER)\n");
    await fails(['profile', 'remove', 'alice'], 1, "rolecall: profile 'alice' is the source of 'dev'; remove that one first, or give it another source (rolecall profile edit NAME --source OTHER)\n");

    expect((await state()).profiles).toEqual([
      { name: 'alice', kind: 'iam-user', accessKeyId: ALICE_KEY.accessKeyId },
      { name: 'dev', kind: 'assume-role', sourceProfile: 'alice', roleArn: READ_ONLY, durationSeconds: 7200, region: 'eu-west-1' },
      { name: 'dev2', kind: 'assume-role', sourceProfile: 'dev', roleArn: READ_ONLY, externalId: 'ext-123', roleSessionName: 'me-here', region: 'us-west-2' },
    ]);
    await ok(['profile', 'remove', 'dev2'], "Removed profile 'dev2'\n");
    await ok(['profile', 'remove', 'dev'], "Removed profile 'dev'\n");
    expect((await state()).profiles.map((p) => p.name)).toEqual(['alice']);
  });

  it("editing a profile drops its cached session, so the next credentials follow the new settings", async () => {
    await addAlice();
    await h().rolecall(['profile', 'add', 'dev', '--source', 'alice', '--role-arn', READ_ONLY]);
    const before = parseJson((await h().rolecall(['credential-process', 'dev'], { secretOutput: true })).stdout);
    await h().rolecall(['profile', 'edit', 'dev', '--session-name', 'renamed']);
    const after = parseJson((await h().rolecall(['credential-process', 'dev'], { secretOutput: true })).stdout);
    expect(after.AccessKeyId).not.toBe(before.AccessKeyId);
    const { getCallerIdentity } = await import('../../../src-main/core/aws/sts');
    const arn = await getCallerIdentity({ region: 'us-east-1', env: h().env }, { accessKeyId: after.AccessKeyId as string, secretAccessKey: after.SecretAccessKey as string, sessionToken: after.SessionToken as string });
    expect(arn.Arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/renamed');
  });
});

describe('rolecall list', () => {
  it('lists every profile with its session', async () => {
    expect((await h().rolecall(['list', '--json'])).stdout).toBe('[]\n');
    await addAlice();
    await h().rolecall(['profile', 'add', 'dev/ReadOnly', '--source', 'alice', '--role-arn', READ_ONLY, '--region', 'eu-west-1']);
    await h().rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true });
    const rows = parseJson<Record<string, unknown>[]>((await h().rolecall(['list', '--json'])).stdout);
    expect(rows).toEqual([
      { name: 'alice', kind: 'iam-user', accountId: null, roleName: null, roleArn: null, region: null, source: null, expiresAt: null },
      { name: 'dev/ReadOnly', kind: 'assume-role', accountId: '444455556666', roleName: 'ReadOnly', roleArn: READ_ONLY, region: 'eu-west-1', source: 'alice', expiresAt: expect.stringMatching(/Z$/) },
    ]);
    expect(Date.parse(rows[1]!.expiresAt as string)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const table = (await h().rolecall(['list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME +KIND +ACCOUNT +ROLE +REGION +SOURCE +SESSION$/);
    expect(table[1]).toMatch(/^alice +iam-user +- +- +- +- +-$/);
    expect(table[2]).toMatch(/^dev\/ReadOnly +assume-role +444455556666 +ReadOnly +eu-west-1 +alice +(59|60)m left \(until \S+Z\)$/);
  });
});

describe('rolecall doctor', () => {
  it('reports each hop, and the likely cause where one fails', async () => {
    await addAlice();
    await h().rolecall(['profile', 'add', 'dev', '--source', 'alice', '--role-arn', READ_ONLY]);
    await h().rolecall(['profile', 'add', 'prod', '--source', 'dev', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer']);
    const good = await h().rolecall(['doctor', 'dev']);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("Profile 'dev': every hop works\n");
    expect(good.stdout).toContain('identity: arn:aws:sts::444455556666:assumed-role/ReadOnly/alice');
    const bad = await h().rolecall(['doctor', 'prod']);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n')[0]).toMatch(/^Profile 'prod': hop \d \('prod'\) fails$/);
    expect(bad.stdout).toMatch(/ \d\. prod \(assume-role arn:aws:iam::777788889999:role\/Deployer\): FAILED\n {4}error: [^\n]+\n {4}likely cause: [^\n]+/);
  });
});
