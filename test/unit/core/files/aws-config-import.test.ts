import { describe, expect, it } from 'vitest';
import { credentialProcessCommand, importAwsConfig, renderManagedBlock } from '../../../../src-main/core/files/aws-config';

const ini = (...lines: string[]) => lines.join('\n') + '\n';
const ACME = ini('[sso-session acme]', 'sso_start_url = https://acme.awsapps.com/start', 'sso_region = eu-west-1', 'sso_registration_scopes = sso:account:access');

describe('importAwsConfig: what is imported', () => {
  it.each([
    [
      'an sso-session and its profile',
      ACME + ini('[profile dev]', 'sso_session = acme', 'sso_account_id = 111122223333', 'sso_role_name = Admin', 'region = us-east-2'),
      [{ kind: 'sso-role', name: 'dev', ssoSession: 'acme', accountId: '111122223333', roleName: 'Admin', region: 'us-east-2' }],
    ],
    [
      'an assume-role profile with every option',
      ini('[profile base]', 'sso_session = acme', 'sso_account_id = 111122223333', 'sso_role_name = Admin') + ACME +
        ini('[profile ops]', 'role_arn = arn:aws:iam::444455556666:role/Ops', 'source_profile = base', 'mfa_serial = arn:aws:iam::111122223333:mfa/ann',
          'external_id = ext-123', 'duration_seconds = 3600', 'role_session_name = ann', 'source_identity = ann', 'region = eu-central-1'),
      [
        { kind: 'sso-role', name: 'base', ssoSession: 'acme', accountId: '111122223333', roleName: 'Admin' },
        { kind: 'assume-role', name: 'ops', sourceProfile: 'base', roleArn: 'arn:aws:iam::444455556666:role/Ops', mfaSerial: 'arn:aws:iam::111122223333:mfa/ann',
          externalId: 'ext-123', durationSeconds: 3600, roleSessionName: 'ann', sourceIdentity: 'ann', region: 'eu-central-1' },
      ],
    ],
    [
      'a web identity profile',
      ini('[profile ci]', 'role_arn = arn:aws:iam::111122223333:role/CI', 'web_identity_token_file = /var/run/token', 'role_session_name = ci-run'),
      [{ kind: 'web-identity', name: 'ci', roleArn: 'arn:aws:iam::111122223333:role/CI', webIdentityTokenFile: '/var/run/token', roleSessionName: 'ci-run' }],
    ],
    [
      '[default] with comments, CRLF and an sso-session',
      (ACME + ini('# my default', '[default] ; the usual', 'sso_session = acme  # inline', 'sso_account_id = 111122223333', 'sso_role_name = Read')).replace(/\n/g, '\r\n'),
      [{ kind: 'sso-role', name: 'default', ssoSession: 'acme', accountId: '111122223333', roleName: 'Read' }],
    ],
  ])('%s', async (_, config, profiles) => {
    const result = await importAwsConfig(config);
    expect(result.profiles).toEqual(profiles);
    expect(result.skipped).toEqual([]);
  });

  it('reads sso-session settings, scopes included', async () => {
    expect((await importAwsConfig(ACME)).ssoSessions).toEqual([
      { name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1', registrationScopes: ['sso:account:access'] },
    ]);
  });

  it('turns legacy sso_start_url profiles into one synthesized sso-session per instance, with unique names', async () => {
    const legacy = (name: string, url: string, region: string, account: string) =>
      ini(`[profile ${name}]`, `sso_start_url = ${url}`, `sso_region = ${region}`, `sso_account_id = ${account}`, 'sso_role_name = Admin');
    const result = await importAwsConfig(
      ACME +
        legacy('a', 'https://acme.awsapps.com/start', 'us-east-1', '111111111111') + // same URL as [sso-session acme], other region
        legacy('b', 'https://acme.awsapps.com/start', 'us-east-1', '222222222222') +
        legacy('c', 'https://acme.awsapps.com/start', 'eu-west-1', '333333333333') + // the explicit session
        legacy('d', 'https://d-90670ca891.awsapps.com/start/', 'us-west-2', '444444444444'),
    );
    expect(result.ssoSessions.map((s) => [s.name, s.startUrl, s.region])).toEqual([
      ['acme', 'https://acme.awsapps.com/start', 'eu-west-1'],
      ['acme-2', 'https://acme.awsapps.com/start', 'us-east-1'],
      ['d-90670ca891', 'https://d-90670ca891.awsapps.com/start/', 'us-west-2'],
    ]);
    expect(result.profiles.map((p) => [p.name, p.kind === 'sso-role' && p.ssoSession])).toEqual([
      ['a', 'acme-2'],
      ['b', 'acme-2'],
      ['c', 'acme'],
      ['d', 'd-90670ca891'],
    ]);
  });

  it('reads the credentials file too, the credentials file winning as in the SDK', async () => {
    const result = await importAwsConfig(
      ini('[profile ops]', 'role_arn = arn:aws:iam::444455556666:role/Ops', 'source_profile = keys', 'region = us-east-1'),
      ini('[keys]', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '[ops]', 'region = eu-west-3'),
    );
    expect(result.profiles).toEqual([{ kind: 'assume-role', name: 'ops', sourceProfile: 'keys', roleArn: 'arn:aws:iam::444455556666:role/Ops', region: 'eu-west-3' }]);
    expect(result.skipped).toEqual([{ name: 'keys', reason: 'static keys: rolecall config import --take-over moves them into the keychain (or rolecall iam-user add, then import again)' }]);
    expect(JSON.stringify(result)).not.toContain('wJalrXUtnFEMI');
  });
});

describe('importAwsConfig: what is skipped, and why', () => {
  const managed = renderManagedBlock([{ name: 'rc-dev', credentialProcess: credentialProcessCommand('/n', '/s', 'rc-dev', 'linux') }]);
  it.each([
    ['static keys', ini('[profile k]', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key = SECRET'), 'k', /^static keys: rolecall config import --take-over moves them into the keychain \(or rolecall iam-user add, then import again\)$/],
    ['credential_process', ini('[profile p]', 'credential_process = /usr/bin/other-tool'), 'p', /credential_process/],
    ['credential_source', ini('[profile e]', 'role_arn = arn:aws:iam::111122223333:role/R', 'credential_source = Ec2InstanceMetadata'), 'e', /credential_source Ec2InstanceMetadata/],
    ['role_arn alone', ini('[profile r]', 'role_arn = arn:aws:iam::111122223333:role/R'), 'r', /role_arn without source_profile/],
    ['an undefined source_profile', ini('[profile r]', 'role_arn = arn:aws:iam::111122223333:role/R', 'source_profile = ghost'), 'r', /source_profile "ghost" is not defined/],
    ['a self-referencing source_profile', ini('[profile r]', 'role_arn = arn:aws:iam::111122223333:role/R', 'source_profile = r', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'), 'r', /names the profile itself/],
    ['an invalid role ARN', ini('[profile b]', 'role_arn = arn:aws:s3:::bucket', 'web_identity_token_file = /t'), 'b', /^role_arn: a role ARN looks like/],
    ['a bad duration', ini('[profile b]', 'role_arn = arn:aws:iam::111122223333:role/R', 'web_identity_token_file = /t', 'duration_seconds = 1h'), 'b', /^duration_seconds:/],
    ['a too-short duration', ini('[profile b]', 'role_arn = arn:aws:iam::111122223333:role/R', 'web_identity_token_file = /t', 'duration_seconds = 60'), 'b', /^duration_seconds:/],
    ['an invalid profile name', ini('[profile team:dev]', 'sso_start_url = https://x.awsapps.com/start'), 'team:dev', /^profile name: a profile name is/],
    ['an unknown sso_session', ini('[profile s]', 'sso_session = nope', 'sso_account_id = 111122223333', 'sso_role_name = R'), 's', /sso_session "nope" has no valid/],
    ['a sign-in-only profile', ACME + ini('[profile s]', 'sso_session = acme'), 's', /no sso_account_id and sso_role_name/],
    ['a bad account id', ACME + ini('[profile s]', 'sso_session = acme', 'sso_account_id = 123', 'sso_role_name = R'), 's', /^sso_account_id: an AWS account id is 12 digits/],
    ['a legacy profile without a region', ini('[profile s]', 'sso_start_url = https://x.awsapps.com/start', 'sso_account_id = 111122223333', 'sso_role_name = R'), 's', /sso_region/],
    ['a profile with only settings', ini('[default]', 'region = us-east-1', 'output = json'), 'default', /no credential settings/],
    ['an invalid sso-session', ini('[sso-session bad]', 'sso_start_url = not a url', 'sso_region = us-east-1'), 'sso-session bad', /^sso_start_url:/],
  ])('%s', async (_, config, name, reason) => {
    const result = await importAwsConfig(config);
    expect(result.skipped).toEqual([{ name, reason: expect.stringMatching(reason) }]);
    expect(result.profiles.map((p) => p.name)).not.toContain(name);
  });

  it('leaves out profiles whose source_profile chain loops, and those built on one, naming the loop', async () => {
    const role = (name: string, source: string) => ini(`[profile ${name}]`, 'role_arn = arn:aws:iam::111122223333:role/R', `source_profile = ${source}`);
    const keys = ini('[profile keys]', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key = SECRET');
    const result = await importAwsConfig(role('a', 'b') + role('b', 'a') + role('x', 'a') + role('ok', 'keys') + keys);
    expect(result.skipped).toEqual(expect.arrayContaining([
      { name: 'a', reason: 'source_profile forms a loop (a -> b -> a)' },
      { name: 'b', reason: 'source_profile forms a loop (b -> a -> b)' },
      { name: 'x', reason: 'source_profile forms a loop (x -> a -> b -> a)' },
    ]));
    expect(result.profiles.map((p) => p.name)).toEqual(['ok']);
  });

  it("leaves out Rolecall's own managed profiles without listing them", async () => {
    const result = await importAwsConfig(ini('[profile mine]', 'role_arn = arn:aws:iam::111122223333:role/R', 'source_profile = rc-dev') + managed);
    expect(result.skipped).toEqual([]);
    expect(result.profiles.map((p) => p.name)).toEqual(['mine']);
  });

  it('never puts a secret into the result', async () => {
    const result = await importAwsConfig(
      ini('[profile k]', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_secret_access_key = TOPSECRET', 'aws_session_token = TOKENSECRET', 'region = us-east-1'),
    );
    expect(JSON.stringify(result)).not.toMatch(/TOPSECRET|TOKENSECRET|AKIAIOSFODNN7EXAMPLE/);
  });
});

describe('importAwsConfig: malformed files', () => {
  it.each([
    ['a setting before any section', 'region = us-east-1\n[profile a]\n', /~\/\.aws\/config line 1: a setting before any \[section\]/],
    ['an unclosed section header', '[profile a]\nregion = us-east-1\n[profile b\n', /line 3: a section header needs a closing "\]"/],
    ['a line that is no setting', '[profile a]\nregion us-east-1\n', /line 2: expected "name = value"/],
    ['a __proto__ profile', '[profile __proto__]\nregion = us-east-1\n', /line 1: "__proto__"/],
  ])('refuses %s, naming the file and line', async (_, config, message) => {
    await expect(importAwsConfig(config)).rejects.toMatchObject({ name: 'RolecallError', code: 'file', message: expect.stringMatching(message) });
  });

  it('names the credentials file without quoting the broken line', async () => {
    const err = await importAwsConfig('', '[default]\naws_secret_access_key wJalrXUtnFEMI\n', { credentials: '/home/ann/.aws/credentials' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'file', message: '/home/ann/.aws/credentials line 2: expected "name = value"' });
  });

  it('refuses broken Rolecall markers', async () => {
    await expect(importAwsConfig('# BEGIN ROLECALL\n[profile a]\n')).rejects.toMatchObject({ code: 'file', message: expect.stringContaining('# END ROLECALL') });
  });
});
