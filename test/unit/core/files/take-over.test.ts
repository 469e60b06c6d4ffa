// The take-over's pure parts: which sections are cut out of the user's files (and which bytes
// stay), which credential_process lines are aws-vault's or granted's, and static keys becoming
// IAM user profiles only when taken over.
import { describe, expect, it } from 'vitest';
import { credentialProcessTool, importAwsConfig } from '../../../../src-main/core/files/aws-config-import';
import { cutSections } from '../../../../src-main/core/files/take-over';

const KEY = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('cutSections', () => {
  it('cuts a section from its header to its last setting, keeping comments and blank lines after it', () => {
    const text = '# top\n[profile a]\nregion = x\n; inside\nrole_arn = y\n\n# about b\n[profile b]\nregion = z\n';
    expect(cutSections(text, 'config', new Set(['a']), 'f')).toEqual({ text: '# top\n\n# about b\n[profile b]\nregion = z\n', headers: ['[profile a]'] });
  });

  it('reads names as the SDK does: [default] and [profile x] in config, [x] in credentials; sso-session never', () => {
    const config = '[default]\nregion = a\n[sso-session x]\nsso_region = b\n[x]\nregion = c\n[profile x]\nregion = d\n';
    expect(cutSections(config, 'config', new Set(['default', 'x']), 'f').text).toBe('[sso-session x]\nsso_region = b\n[x]\nregion = c\n');
    expect(cutSections('[x]\naws_access_key_id = A\r\n[profile x]\nk = v\n', 'credentials', new Set(['x']), 'f').text).toBe('[profile x]\nk = v\n');
  });

  it('leaves Rolecall\'s managed block alone, and keeps CRLF and non-ASCII bytes of the rest', () => {
    const block = '# BEGIN ROLECALL\n[profile a]\ncredential_process = x\n# END ROLECALL\n';
    const text = 'caf\xe9 = 1\r\n'.replace('caf', '[s]\r\ncaf') + block + '[profile a]\r\nregion = q\r\n\r\n';
    expect(cutSections(text, 'config', new Set(['a']), 'f').text).toBe('[s]\r\ncaf\xe9 = 1\r\n' + block + '\r\n');
  });

  it('cuts every section of a name that appears twice', () => {
    expect(cutSections('[profile a]\nk = 1\n[profile b]\nk = 2\n[profile a]\nk = 3\n', 'config', new Set(['a']), 'f')).toEqual({ text: '[profile b]\nk = 2\n', headers: ['[profile a]', '[profile a]'] });
  });
});

describe('credentialProcessTool', () => {
  it.each([
    ['aws-vault exec dev --json', { tool: 'aws-vault', profile: 'dev' }],
    ['aws-vault exec --duration 1h --json dev', { tool: 'aws-vault', profile: 'dev' }],
    ['/opt/homebrew/bin/aws-vault export --format json prod', { tool: 'aws-vault', profile: 'prod' }],
    ['granted credential-process --profile=ops', { tool: 'granted', profile: 'ops' }],
    ['granted credential-process --profile ops', { tool: 'granted', profile: 'ops' }],
  ])('%s', (line, found) => {
    expect(credentialProcessTool(line)).toEqual(found);
  });

  it('leaves other tools alone', () => {
    expect(credentialProcessTool('/usr/bin/other-tool exec dev')).toBeUndefined();
    expect(credentialProcessTool('aws-vault list')).toBeUndefined();
  });
});

describe('importAwsConfig with takeOver', () => {
  const ini = (...l: string[]) => l.join('\n') + '\n';

  it('makes static keys an IAM user profile with its mfa_serial; the secret only in secretKeys', async () => {
    const r = await importAwsConfig(ini('[profile k]', 'mfa_serial = arn:aws:iam::111122223333:mfa/k', 'region = eu-west-1'), ini('[k]', `aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}`), {}, { takeOver: true });
    expect(r.profiles).toEqual([{ kind: 'iam-user', name: 'k', accessKeyId: KEY.id, mfaSerial: 'arn:aws:iam::111122223333:mfa/k', region: 'eu-west-1' }]);
    expect(r.secretKeys).toEqual([{ name: 'k', secretAccessKey: KEY.secret }]);
    expect(JSON.stringify({ ...r, secretKeys: [] })).not.toContain(KEY.secret);
  });

  it.each([
    ['temporary keys', ini('[t]', 'aws_access_key_id = ASIAIOSFODNN7EXAMPLE', `aws_secret_access_key = ${KEY.secret}`, 'aws_session_token = x'), 'temporary keys (aws_session_token): nothing lasting to take over'],
    ['a key without its secret', ini('[t]', `aws_access_key_id = ${KEY.id}`), 'aws_access_key_id and aws_secret_access_key are both needed'],
    ['a mangled secret', ini('[t]', `aws_access_key_id = ${KEY.id}`, 'aws_secret_access_key = short'), 'aws_secret_access_key: not 40 characters of letters, digits and / + ='],
  ])('skips %s, never quoting a key', async (_, credentials, reason) => {
    const r = await importAwsConfig('', credentials, {}, { takeOver: true });
    expect(r.skipped).toEqual([{ name: 't', reason }]);
    expect(r.secretKeys).toEqual([]);
  });

  it("gives aws-vault's profile the settings of the one it names, keeping its own region", async () => {
    const r = await importAwsConfig(
      ini('[profile base]', 'region = us-east-1', '[profile dev]', 'source_profile = base', 'role_arn = arn:aws:iam::444455556666:role/Dev', '[profile v]', 'region = eu-west-2', 'credential_process = aws-vault exec dev --json'),
      ini('[base]', `aws_access_key_id = ${KEY.id}`, `aws_secret_access_key = ${KEY.secret}`),
      {},
      { takeOver: true },
    );
    expect(r.profiles.find((p) => p.name === 'v')).toEqual({ kind: 'assume-role', name: 'v', sourceProfile: 'base', roleArn: 'arn:aws:iam::444455556666:role/Dev', region: 'eu-west-2' });
    expect(r.adopted).toEqual([{ name: 'v', tool: 'aws-vault', target: 'dev' }]);
  });
});
