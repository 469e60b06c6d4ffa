// Switching to Rolecall from a hand-written ~/.aws (an IAM user with mfa_serial and keys in
// ~/.aws/credentials, a 3-hop role_arn/source_profile chain with external_id and
// role_session_name, an sso-session, a legacy sso_* profile, aws-vault's and granted's
// credential_process profiles) in one command; then Debian's AWS CLI v2 and boto3 get every
// profile through Rolecall, and the undo puts both files back byte for byte.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, filesUnder, parseJson, repoRoot, useCliHarness } from './harness';
import { atTerminal } from './terminal';

const START_URL = 'https://d-90677c3a1b.awsapps.com/start';
const lines = (...l: string[]) => l.join('\n') + '\n';

// [keep, text]: what stays (byte for byte) and what the take-over replaces.
const CONFIG: [boolean, string][] = [
  [true, lines('# my settings', '[default]', 'region = us-east-1', 'output = json', '', '[sso-session acme]', `sso_start_url = ${START_URL}`, 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access', '')],
  [false, lines('[profile alice]', `mfa_serial = ${ALICE_MFA}`, 'region = us-east-1')],
  [true, lines('', '# the chain: identity -> dev -> prod -> audit')],
  [false, lines('[profile dev]', 'source_profile = alice', 'role_arn = arn:aws:iam::444455556666:role/Developer', `mfa_serial = ${ALICE_MFA}`, 'role_session_name = alice-dev')],
  [true, '\n'],
  [false, lines('[profile prod]', 'source_profile = dev', 'role_arn = arn:aws:iam::777788889999:role/Deployer', '; a comment inside the section', 'role_session_name = alice-prod')],
  [true, '\n'],
  [false, lines('[profile audit]', 'source_profile = prod', 'role_arn = arn:aws:iam::210987654321:role/Auditor', 'external_id = acme-audit-7f3', 'role_session_name = alice-audit')],
  [true, '\n'],
  [false, lines('[profile sso-admin]', 'sso_session = acme', 'sso_account_id = 444455556666', 'sso_role_name = AdministratorAccess', 'region = us-east-1')],
  [true, '\n'],
  [false, lines('[profile legacy-prod]', `sso_start_url = ${START_URL}`, 'sso_region = us-east-1', 'sso_account_id = 777788889999', 'sso_role_name = ReadOnlyAccess', 'region = us-east-1')],
  [true, '\n'],
  [false, lines('[profile vault-dev]', 'credential_process = aws-vault exec dev --json')],
  [true, '\n'],
  [false, lines('[profile granted-audit]', `sso_start_url = ${START_URL}`, 'sso_region = us-east-1', 'sso_account_id = 210987654321', 'sso_role_name = ReadOnlyAccess', 'region = us-east-1', 'credential_process = granted credential-process --profile granted-audit')],
  [true, lines('', '[profile on-ec2]', 'role_arn = arn:aws:iam::444455556666:role/ReadOnly', 'credential_source = Ec2InstanceMetadata', '', '[profile from-ec2]', 'source_profile = on-ec2', 'role_arn = arn:aws:iam::777788889999:role/Deployer')],
];
const CREDENTIALS: [boolean, string][] = [
  [true, lines('# keys for the CLI')],
  [false, lines('[alice]', `aws_access_key_id = ${ALICE_KEY.accessKeyId}`, `aws_secret_access_key = ${ALICE_KEY.secretAccessKey}`)],
];
const whole = (parts: [boolean, string][]) => parts.map(([, t]) => t).join('');
const kept = (parts: [boolean, string][]) => parts.filter(([keep]) => keep).map(([, t]) => t).join('');

const EXPECTED_ARN: Record<string, RegExp> = {
  alice: /^arn:aws:iam::111122223333:user\/alice$/,
  dev: /^arn:aws:sts::444455556666:assumed-role\/Developer\/alice-dev$/,
  prod: /^arn:aws:sts::777788889999:assumed-role\/Deployer\/alice-prod$/,
  audit: /^arn:aws:sts::210987654321:assumed-role\/Auditor\/alice-audit$/,
  'sso-admin': /^arn:aws:sts::444455556666:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]+\/alice$/,
  'legacy-prod': /^arn:aws:sts::777788889999:assumed-role\/AWSReservedSSO_ReadOnlyAccess_[0-9a-f]+\/alice$/,
  'vault-dev': /^arn:aws:sts::444455556666:assumed-role\/Developer\/alice-dev$/,
  'granted-audit': /^arn:aws:sts::210987654321:assumed-role\/AWSReservedSSO_ReadOnlyAccess_[0-9a-f]+\/alice$/,
};

let configFile: string;
let credentialsFile: string;
const h = useCliHarness(async (h) => {
  configFile = h.env.AWS_CONFIG_FILE!;
  credentialsFile = h.env.AWS_SHARED_CREDENTIALS_FILE!;
  await writeFile(configFile, whole(CONFIG));
  await writeFile(credentialsFile, whole(CREDENTIALS), { mode: 0o600 });
});

const PLAN = (home: string) =>
  lines(
    `Rolecall will take over ${home}/.aws/config and ${home}/.aws/credentials:`,
    `  move the access key ${ALICE_KEY.accessKeyId} of 'alice' into the OS keychain (MFA device ${ALICE_MFA})`,
    "  'vault-dev' runs aws-vault: the settings of 'dev' are imported instead",
    "  'granted-audit' runs granted: its own settings are imported instead",
    '  import alice (IAM user with MFA)',
    "  import dev (assume arn:aws:iam::444455556666:role/Developer from 'alice' with MFA)",
    "  import prod (assume arn:aws:iam::777788889999:role/Deployer from 'dev')",
    "  import audit (assume arn:aws:iam::210987654321:role/Auditor from 'prod')",
    '  import sso-admin (Identity Center acme: 444455556666 AdministratorAccess)',
    '  import legacy-prod (Identity Center acme: 777788889999 ReadOnlyAccess)',
    "  import vault-dev (assume arn:aws:iam::444455556666:role/Developer from 'alice' with MFA)",
    '  import granted-audit (Identity Center acme: 210987654321 ReadOnlyAccess)',
    `  import Identity Center acme (${START_URL}, us-east-1)`,
    `  replace [profile alice], [profile dev], [profile prod], [profile audit], [profile sso-admin], [profile legacy-prod], [profile vault-dev], [profile granted-audit] in ${home}/.aws/config and [alice] in ${home}/.aws/credentials with Rolecall's profiles of the same names; every other line stays`,
    '  leave default: no credential settings (only settings such as region)',
    '  leave on-ec2: credential_source Ec2InstanceMetadata takes credentials from the machine the AWS tool runs on (environment, EC2 or ECS metadata); Rolecall cannot import it',
    "  leave from-ec2: its source profile 'on-ec2' is not taken over",
    '  keep a copy of both files in the OS keychain, for: rolecall config import --undo',
  );

describe('rolecall config import --take-over', () => {
  it('without a terminal and without --yes, only shows what it would do', async () => {
    const r = await h().rolecall(['config', 'import', '--take-over']);
    expect(r).toEqual({ code: 0, stdout: PLAN(h().home) + 'Nothing changed: run it again with --yes to do this.\n', stderr: '' });
    expect(await readFile(configFile, 'utf8')).toBe(whole(CONFIG));
    expect(await readFile(credentialsFile, 'utf8')).toBe(whole(CREDENTIALS));
    expect((await h().rolecall(['list', '--json'])).stdout.trim()).toBe('[]');
  });

  it('at a terminal, asks first; anything but yes changes nothing', async () => {
    const r = await atTerminal(h(), ['config', 'import', '--take-over'], [{ after: 'Take over? [y/N] ', type: 'n' }]);
    expect(r).toEqual({ code: 0, screen: PLAN(h().home) + 'Take over? [y/N] n\nNothing changed.\n' });
    expect(await readFile(configFile, 'utf8')).toBe(whole(CONFIG));
    expect(await readFile(credentialsFile, 'utf8')).toBe(whole(CREDENTIALS));
  });

  it('refuses, changing nothing, when Rolecall already has a profile of an imported name', async () => {
    expect((await h().rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId], { input: ALICE_KEY.secretAccessKey })).code).toBe(0);
    const r = await h().rolecall(['config', 'import', '--take-over', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`rolecall: 'alice' is both in Rolecall and in ${configFile}; nothing changed; rename the Rolecall profile (rolecall profile rename alice NEW) or remove it (rolecall profile remove alice), then take over again\n`);
    expect(r.stdout).toContain("  leave alice: Rolecall already has a profile of that name\n");
    expect(await readFile(configFile, 'utf8')).toBe(whole(CONFIG));
    expect(await readFile(credentialsFile, 'utf8')).toBe(whole(CREDENTIALS));
  });

  it.each([
    [['--yes'], 'rolecall: --yes goes with --take-over\n'],
    [['--undo', '--take-over'], 'rolecall: --undo takes no other option\n'],
    [['--take-over', '--file', '/tmp/x'], 'rolecall: --take-over works on the files AWS tools read (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); give no --file\n'],
  ])('refuses config import %j with one line', async (args, stderr) => {
    expect(await h().rolecall(['config', 'import', ...args])).toEqual({ code: 2, stdout: '', stderr });
  });

  it('takes every profile over; the AWS CLI and boto3 get each one through Rolecall; the undo restores both files', { timeout: 120_000 }, async () => {
    const r = await h().rolecall(['config', 'import', '--take-over', '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(PLAN(h().home) + `Took over 8 profiles; 1 access key now in the OS keychain\nWrote 8 profiles to ${configFile}\nUndo: rolecall config import --undo\n`);

    // Outside the replaced sections, byte for byte as before; the block follows.
    const config = await readFile(configFile, 'utf8');
    expect(config.startsWith(kept(CONFIG) + '\n# BEGIN ROLECALL\n')).toBe(true);
    expect(config.endsWith('# END ROLECALL\n')).toBe(true);
    for (const name of Object.keys(EXPECTED_ARN)) expect(config).toContain(`[profile ${name}]\ncredential_process = `);
    expect(await readFile(credentialsFile, 'utf8')).toBe(kept(CREDENTIALS));

    // One MFA code for the whole chain (the sandbox refuses a reused one), one Identity Center sign-in.
    expect((await h().rolecall(['credential-process', 'audit', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)], { secretOutput: true })).code).toBe(0);
    // The AWS CLI no longer finds a key in a file: it asks Rolecall.
    const list = await h().run('/usr/bin/aws', ['configure', 'list', '--profile', 'alice']);
    expect(list.stdout).toMatch(/access_key\s+\*+\S+\s+custom-process/);
    const browser = path.join(h().home, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nexec "${path.join(repoRoot, 'node_modules/.bin/tsx')}" "${path.join(repoRoot, 'test/helpers/approve-url.ts')}" "$1"\n`);
    await chmod(browser, 0o755);
    const login = await h().rolecall(['login', 'sso', 'acme'], { env: { BROWSER: browser, ROLECALL_TEST_PERSON: 'alice:demo-password' }, timeoutMs: 60_000 });
    expect(login.code).toBe(0);

    const python = process.env.ROLECALL_TEST_PYTHON || 'python3';
    const script = `import boto3, sys\nfor p in sys.argv[1:]:\n    print(boto3.Session(profile_name=p).client("sts").get_caller_identity()["Arn"])`;
    const boto = await h().run(python, ['-c', script, ...Object.keys(EXPECTED_ARN)], { timeoutMs: 60_000 });
    expect(boto.stderr).toBe('');
    const botoArns = boto.stdout.trim().split('\n');
    for (const [i, [name, arn]] of Object.entries(EXPECTED_ARN).entries()) {
      const aws = await h().run('/usr/bin/aws', ['--profile', name, 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json']);
      expect(aws.stderr, name).toBe('');
      expect(parseJson(aws.stdout).Arn, name).toMatch(arn);
      expect(botoArns[i], name).toMatch(arn);
    }
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(1);

    const undo = await h().rolecall(['config', 'import', '--undo']);
    expect(undo).toEqual({
      code: 0,
      stdout: `Restored ${configFile} and ${credentialsFile} as they were before the take-over\nRemoved from Rolecall: ${['alice', 'dev', 'prod', 'audit', 'sso-admin', 'legacy-prod', 'vault-dev', 'granted-audit'].join(', ')}\n`,
      stderr: '',
    });
    expect(await readFile(configFile)).toEqual(Buffer.from(whole(CONFIG)));
    expect(await readFile(credentialsFile)).toEqual(Buffer.from(whole(CREDENTIALS)));
    expect(await h().rolecall(['config', 'import', '--undo'])).toEqual({ code: 1, stdout: '', stderr: 'rolecall: there is no take-over to undo; rolecall config import --take-over makes one\n' });
    // The secret key went to the keychain only: no output and no file of the data dir shows it.
    expect(h().outputs.join('\n')).not.toContain(ALICE_KEY.secretAccessKey);
    for (const f of await filesUnder(h().dataDir)) expect(f.text, f.file).not.toContain(ALICE_KEY.secretAccessKey);
  });
});
