// importAwsConfig case by case where aws-config-import.test.ts has one example: how aws-vault's and
// granted's credential_process lines are read (every flag that takes a value, quoted programs,
// no profile named), static keys with and without --take-over (every reason, never a key in a
// message), legacy sso_start_url profiles (each missing setting, the synthesized Identity Center's
// name), and numbers that are not numbers.
import { describe, expect, it } from 'vitest';
import { credentialProcessTool, importAwsConfig } from '../../../../src-main/core/files/aws-config-import';

const ini = (...l: string[]) => l.join('\n') + '\n';
const KEY = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const STATIC_KEYS = 'static keys: rolecall config import --take-over moves them into the keychain (or rolecall iam-user add, then import again)';
const DEV = ini('[profile dev]', 'source_profile = base', 'role_arn = arn:aws:iam::444455556666:role/Dev', 'region = us-east-1');
const BASE_KEYS = ini('[base]', `aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}`);

describe('credentialProcessTool', () => {
  it.each([
    ['aws-vault exec --region eu-west-1 dev', 'dev'],
    ['aws-vault exec -d 1h dev', 'dev'],
    ['aws-vault exec --mfa-token 123456 dev --json', 'dev'],
    ['aws-vault exec -t 123456 dev', 'dev'],
    ['aws-vault exec --prompt terminal dev', 'dev'],
    ['aws-vault exec --backend file dev', 'dev'],
    ['aws-vault exec --no-session dev', 'dev'],
    ['aws-vault export --format=json dev', 'dev'],
    ['  "/usr/local/bin/aws-vault"  exec   dev  ', 'dev'],
    ["'aws-vault' exec dev", 'dev'],
  ])('%s: aws-vault, for %s', (line, profile) => {
    expect(credentialProcessTool(line)).toEqual({ tool: 'aws-vault', profile });
  });

  it.each([
    ['aws-vault exec --json', { tool: 'aws-vault' }],
    ['aws-vault exec --json -- dev', { tool: 'aws-vault' }],
    ['aws-vault exec --region', { tool: 'aws-vault' }],
    ['granted credential-process', { tool: 'granted' }],
    ['granted credential-process --profile', { tool: 'granted' }],
    ['granted credential-process --url https://x.example --profile ops', { tool: 'granted', profile: 'ops' }],
    ['/opt/granted/granted credential-process --profile=ops --auto-login', { tool: 'granted', profile: 'ops' }],
  ])('%s', (line, found) => {
    expect(credentialProcessTool(line)).toStrictEqual(found);
  });

  it.each(['', 'aws-vault', 'aws-vault login dev', 'granted sso login', 'my-aws-vault exec dev', 'aws-vault-helper exec dev', 'grantedx credential-process --profile ops'])(
    'not aws-vault or granted: %j',
    (line) => {
      expect(credentialProcessTool(line)).toBeUndefined();
    },
  );
});

describe('aws-vault and granted profiles are imported as what they stand for', () => {
  it('takes the named profile\'s settings, its region when the profile sets none, even without --take-over', async () => {
    const r = await importAwsConfig(ini('[profile base]') + DEV + ini('[profile v]', 'credential_process = granted credential-process --profile dev'), BASE_KEYS);
    expect(r.profiles).toEqual([
      { kind: 'assume-role', name: 'dev', sourceProfile: 'base', roleArn: 'arn:aws:iam::444455556666:role/Dev', region: 'us-east-1' },
      { kind: 'assume-role', name: 'v', sourceProfile: 'base', roleArn: 'arn:aws:iam::444455556666:role/Dev', region: 'us-east-1' },
    ]);
    expect(r.adopted).toEqual([{ name: 'v', tool: 'granted', target: 'dev' }]);
  });

  it('uses its own settings when the line names no other profile', async () => {
    const r = await importAwsConfig(ini('[profile base]') + ini('[profile v]', 'credential_process = aws-vault exec --json', 'source_profile = base', 'role_arn = arn:aws:iam::444455556666:role/V'), BASE_KEYS);
    expect(r.profiles).toEqual([{ kind: 'assume-role', name: 'v', sourceProfile: 'base', roleArn: 'arn:aws:iam::444455556666:role/V' }]);
    expect(r.adopted).toEqual([{ name: 'v', tool: 'aws-vault', target: 'v' }]);
  });

  it('says so when the profile it names is not there', async () => {
    const r = await importAwsConfig(ini('[profile v]', 'region = eu-west-1', 'credential_process = aws-vault exec ghost --json'));
    expect(r.skipped).toEqual([{ name: 'v', reason: 'no credential settings (only settings such as region)' }]);
    expect(r.adopted).toEqual([{ name: 'v', tool: 'aws-vault', target: 'ghost' }]);
  });

  it('leaves other tools\' credential_process profiles, saying why', async () => {
    const r = await importAwsConfig(ini('[profile p]', 'credential_process = /usr/bin/other-tool --profile dev'));
    expect(r.skipped).toEqual([{ name: 'p', reason: 'credential_process: another tool provides these credentials' }]);
    expect(r.adopted).toEqual([]);
  });
});

describe('static keys', () => {
  const keys = (...l: string[]) => ini('[k]', ...l);

  it.each([
    ['an access key id alone', keys(`aws_access_key_id = ${KEY.id}`)],
    ['a secret key alone', keys(`aws_secret_access_key = ${KEY.secret}`)],
    ['a session token alone', keys('aws_session_token = FwoGZXIvYXdzEXAMPLE')],
  ])('without --take-over, %s is skipped with how to bring it along', async (_, credentials) => {
    const r = await importAwsConfig('', credentials);
    expect(r.skipped).toEqual([{ name: 'k', reason: STATIC_KEYS }]);
    expect(r.secretKeys).toEqual([]);
  });

  it.each([
    ['a secret key alone', keys(`aws_secret_access_key = ${KEY.secret}`), 'aws_access_key_id and aws_secret_access_key are both needed'],
    ['a session token alone', keys('aws_session_token = FwoGZXIvYXdzEXAMPLE'), 'temporary keys (aws_session_token): nothing lasting to take over'],
    ['a temporary key id without its token', keys('aws_access_key_id = ASIAIOSFODNN7EXAMPLE', `aws_secret_access_key = ${KEY.secret}`), "aws_access_key_id: an IAM user's access key id starts with AKIA"],
    ['a secret one character short', keys(`aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret.slice(1)}`), 'aws_secret_access_key: not 40 characters of letters, digits and / + ='],
    ['a secret one character long', keys(`aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}A`), 'aws_secret_access_key: not 40 characters of letters, digits and / + ='],
    ['a secret with another character', keys(`aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret.slice(1)}-`), 'aws_secret_access_key: not 40 characters of letters, digits and / + ='],
    ['an access key id that is no key id', keys('aws_access_key_id = AKIA-not-a-key', `aws_secret_access_key = ${KEY.secret}`), 'aws_access_key_id: an access key id looks like AKIA followed by letters and digits'],
    ['a bad mfa_serial', keys(`aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}`, 'mfa_serial = my phone'), expect.stringMatching(/^mfa_serial: /)],
    ['a bad duration', keys(`aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}`, 'duration_seconds = 60'), expect.stringMatching(/^duration_seconds: /)],
  ])('with --take-over, %s is skipped, saying why, with no key in the result', async (_, credentials, reason) => {
    const r = await importAwsConfig('', credentials, {}, { takeOver: true });
    expect(r.skipped).toEqual([{ name: 'k', reason }]);
    expect(r.profiles).toEqual([]);
    expect(r.secretKeys).toEqual([]);
    expect(JSON.stringify(r)).not.toContain(KEY.secret.slice(1, 39));
  });

  it('takes over a secret of any of the 40 characters, with the GetSessionToken duration', async () => {
    const secret = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ/+=9';
    const r = await importAwsConfig('', keys(`aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${secret}`, 'duration_seconds = 129600'), {}, { takeOver: true });
    expect(r.profiles).toEqual([{ kind: 'iam-user', name: 'k', accessKeyId: KEY.id, sessionDurationSeconds: 129600 }]);
    expect(r.secretKeys).toEqual([{ name: 'k', secretAccessKey: secret }]);
  });

  it('returns secret keys only for IAM user profiles', async () => {
    const r = await importAwsConfig(DEV, BASE_KEYS, {}, { takeOver: true });
    expect(r.profiles.map((p) => p.name)).toEqual(['dev', 'base']);
    expect(r.secretKeys).toEqual([{ name: 'base', secretAccessKey: KEY.secret }]);
  });
});

describe('legacy sso_start_url profiles', () => {
  const legacy = (...l: string[]) => ini('[profile s]', ...l);
  const URL_ = 'sso_start_url = https://acme.awsapps.com/start';

  it.each([
    ['an account without a role', legacy(URL_, 'sso_region = us-east-1', 'sso_account_id = 111122223333'), 'no sso_account_id and sso_role_name (a profile only for signing in)'],
    ['a role without an account', legacy(URL_, 'sso_region = us-east-1', 'sso_role_name = Admin'), 'no sso_account_id and sso_role_name (a profile only for signing in)'],
    ['a start URL alone', legacy(URL_), 'no sso_account_id and sso_role_name (a profile only for signing in)'],
    ['a role name alone', legacy('sso_role_name = Admin'), 'no sso_account_id and sso_role_name (a profile only for signing in)'],
    ['an account id alone', legacy('sso_account_id = 111122223333'), 'no sso_account_id and sso_role_name (a profile only for signing in)'],
    ['no start URL', legacy('sso_region = us-east-1', 'sso_account_id = 111122223333', 'sso_role_name = Admin'), 'sso_start_url and sso_region are both needed (or sso_session)'],
    ['no region', legacy(URL_, 'sso_account_id = 111122223333', 'sso_role_name = Admin'), 'sso_start_url and sso_region are both needed (or sso_session)'],
    ['a start URL that is no URL', legacy('sso_start_url = acme', 'sso_region = us-east-1', 'sso_account_id = 111122223333', 'sso_role_name = Admin'), expect.stringMatching(/^sso_start_url: /)],
    ['a bad region', legacy(URL_, 'sso_region = moon', 'sso_account_id = 111122223333', 'sso_role_name = Admin'), expect.stringMatching(/^sso_region: /)],
  ])('%s is skipped, saying why', async (_, config, reason) => {
    const r = await importAwsConfig(config);
    expect(r.skipped).toEqual([{ name: 's', reason }]);
    expect(r.ssoSessions).toEqual([]);
  });

  it('names sso_region, not region, when an Identity Center\'s region is wrong', async () => {
    const r = await importAwsConfig(ini('[sso-session x]', 'sso_start_url = https://x.awsapps.com/start', 'sso_region = moon'));
    expect(r.skipped).toEqual([{ name: 'sso-session x', reason: expect.stringMatching(/^sso_region: /) }]);
  });

  const role = (name: string, url: string, region: string) => ini(`[profile ${name}]`, `sso_start_url = ${url}`, `sso_region = ${region}`, 'sso_account_id = 111122223333', 'sso_role_name = Admin');

  it('names the Identity Center after the start URL\'s first label, numbered when taken', async () => {
    const r = await importAwsConfig(
      role('a', 'https://acme.awsapps.com/start', 'us-east-1') + role('b', 'https://acme.awsapps.com/start', 'eu-west-1') +
        role('c', 'https://acme.awsapps.com/start', 'ap-south-1') + role('d', 'https://acme.example.com/start', 'us-east-1') +
        role('e', 'https://acme.awsapps.com/start', 'us-east-1'),
    );
    expect(r.ssoSessions.map((s) => [s.name, s.startUrl, s.region])).toEqual([
      ['acme', 'https://acme.awsapps.com/start', 'us-east-1'],
      ['acme-2', 'https://acme.awsapps.com/start', 'eu-west-1'],
      ['acme-3', 'https://acme.awsapps.com/start', 'ap-south-1'],
      ['acme-4', 'https://acme.example.com/start', 'us-east-1'],
    ]);
    expect(r.profiles.map((p) => (p.kind === 'sso-role' ? p.ssoSession : ''))).toEqual(['acme', 'acme-2', 'acme-3', 'acme-4', 'acme']);
  });

  it.each([
    ['a label starting with other characters', 'https://--acme--.awsapps.com/start', 'acme--'],
    ['a label of nothing usable', 'https://---.awsapps.com/start', 'sso'],
    ['an IP address', 'https://10.0.0.1/start', '10'],
    ['a label with a character a name cannot have', 'https://my!org.awsapps.com/start', 'my-org'],
    ['a label too long for a numbered name', `https://${'a'.repeat(120)}.awsapps.com/start`, 'a'.repeat(100)],
  ])('names it from %s', async (_, url, name) => {
    const r = await importAwsConfig(role('a', url, 'us-east-1'));
    expect(r.skipped).toEqual([]);
    expect(r.ssoSessions.map((s) => s.name)).toEqual([name]);
  });
});

describe('numbers', () => {
  const web = (duration: string) => ini('[profile w]', 'role_arn = arn:aws:iam::111122223333:role/W', 'web_identity_token_file = /t', `duration_seconds = ${duration}`);

  it('reads duration_seconds as a number', async () => {
    expect((await importAwsConfig(web('3600'))).profiles).toEqual([{ kind: 'web-identity', name: 'w', roleArn: 'arn:aws:iam::111122223333:role/W', webIdentityTokenFile: '/t', durationSeconds: 3600 }]);
  });

  it.each(['1h', '3600s', 'x3600', '3600.5', '-3600'])('refuses %j as a duration, as written', async (duration) => {
    const r = await importAwsConfig(web(duration));
    expect(r.skipped).toEqual([{ name: 'w', reason: 'duration_seconds: Invalid input: expected number, received string' }]);
  });
});

describe('the rest', () => {
  it('reads an Identity Center\'s registration scopes as a list, blanks dropped', async () => {
    const r = await importAwsConfig(ini('[sso-session x]', 'sso_start_url = https://x.awsapps.com/start', 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access , ,codewhisperer:completions,'));
    expect(r.ssoSessions).toEqual([{ name: 'x', startUrl: 'https://x.awsapps.com/start', region: 'us-east-1', registrationScopes: ['sso:account:access', 'codewhisperer:completions'] }]);
  });

  it('names ~/.aws/credentials when a broken credentials text comes without a file name', async () => {
    await expect(importAwsConfig('', '[default]\naws_secret_access_key wJalrXUtnFEMI\n')).rejects.toMatchObject({ code: 'file', message: '~/.aws/credentials line 2: expected "name = value"' });
  });
});
