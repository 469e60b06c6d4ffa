// `rolecall config write` and `config import` with the real consumers of ~/.aws/config: Debian's
// AWS CLI v2, boto3 and the AWS SDK for JavaScript v3 (fromIni) all run Rolecall through
// credential_process and see the assumed role.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAliceWithReadOnly, parseJson, useCliHarness } from './harness';

const READ_ONLY_ARN = /^arn:aws:sts::444455556666:assumed-role\/ReadOnly\/alice$/;
const USER_TEXT = '# my own settings\r\n[default]\r\nregion = eu-central-1\r\n\r\n[profile mine]\r\noutput = text\r\n';

let configFile: string;
const h = useCliHarness(async (h) => {
  configFile = h.env.AWS_CONFIG_FILE!;
  await addAliceWithReadOnly(h, 'us-east-1');
});

describe('rolecall config write', () => {
  it('writes a managed block the AWS CLI, boto3 and the JS SDK use, keeping the rest of the file byte for byte', async () => {
    await writeFile(configFile, USER_TEXT);
    const r = await h().rolecall(['config', 'write']);
    expect(r).toEqual({ code: 0, stdout: `Wrote 2 profiles to ${configFile}\n`, stderr: '' });
    const text = await readFile(configFile, 'utf8');
    expect(text.startsWith(USER_TEXT)).toBe(true);
    const bin = path.join(h().dataDir, 'bin');
    const cp = `${bin}/rolecall-credential-process ${bin}/rolecall credential-process --profile`;
    expect(text.slice(USER_TEXT.length)).toBe(
      [
        '',
        '# BEGIN ROLECALL',
        '# Managed by Rolecall: changes between these markers are replaced on the next sync.',
        '[profile alice]',
        `credential_process = ${cp} alice`,
        'region = us-east-1',
        '',
        '[profile dev/ReadOnly]',
        `credential_process = ${cp} dev/ReadOnly`,
        'region = us-east-1',
        '',
        '# END ROLECALL',
        '',
      ].join('\r\n'),
    );
    // Unchanged state: nothing to write.
    expect((await h().rolecall(['config', 'write'])).stdout).toBe(`${configFile} is up to date (2 profiles)\n`);

    const aws = await h().run('/usr/bin/aws', ['--profile', 'dev/ReadOnly', 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json']);
    expect(aws.stderr).toBe('');
    expect(parseJson(aws.stdout).Arn).toMatch(READ_ONLY_ARN);

    const python = process.env.ROLECALL_TEST_PYTHON || 'python3';
    const boto = await h().run(python, ['-c', 'import boto3; print(boto3.Session(profile_name="dev/ReadOnly").client("sts").get_caller_identity()["Arn"])']);
    expect(boto.stderr).toBe('');
    expect(boto.stdout.trim()).toMatch(READ_ONLY_ARN);

    // fromIni runs credential_process with this process's environment.
    const saved = { ...process.env };
    Object.assign(process.env, h().env);
    try {
      const { fromIni } = await import('@aws-sdk/credential-providers');
      const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const sts = new STSClient({ region: 'us-east-1', endpoint: h().sandbox.url, credentials: fromIni({ profile: 'dev/ReadOnly' }) });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(READ_ONLY_ARN);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    // One STS AssumeRole for all three tools: the broker's cache served the rest.
    expect(h().sandbox.knobs.count('sts:AssumeRole')).toBe(1);
  });

  it("writes the default profile as [default], and keeps a [default] of the user's own, saying so", async () => {
    const stateFile = h().core.paths.stateFile;
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { settings: Record<string, unknown> };
    await writeFile(stateFile, JSON.stringify({ ...state, settings: { ...state.settings, defaultProfile: 'dev/ReadOnly' } }));
    await writeFile(configFile, '[profile mine]\noutput = text\n');
    expect((await h().rolecall(['config', 'write'])).stdout).toBe(`Wrote 3 profiles to ${configFile}\n`);
    expect(await readFile(configFile, 'utf8')).toMatch(/\n\[default\]\ncredential_process = \S+ \S+ credential-process --profile dev\/ReadOnly\nregion = us-east-1\n/);
    // The AWS CLI with no --profile gets the default's role.
    const arn = await h().run('/usr/bin/aws', ['sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--query', 'Arn', '--output', 'text']);
    expect(arn.stdout.trim()).toMatch(READ_ONLY_ARN);

    await writeFile(configFile, USER_TEXT);
    const kept = await h().rolecall(['config', 'write']);
    expect(kept).toEqual({
      code: 0,
      stdout: `Wrote 2 profiles to ${configFile}\nKept your own [default] in ${configFile}: Rolecall's default profile 'dev/ReadOnly' is not written there (remove that section to use it, or run with AWS_PROFILE=dev/ReadOnly)\n`,
      stderr: '',
    });
    const text = await readFile(configFile, 'utf8');
    expect(text.startsWith(USER_TEXT)).toBe(true);
    expect(text.slice(USER_TEXT.length)).not.toContain('[default]');
  });

  it('keeps bytes that are not UTF-8 outside the block exactly, on the first write and on a rewrite', async () => {
    // \xff\xfe and a Latin-1 é are not UTF-8: a UTF-8 round trip would write U+FFFD instead.
    const before = Buffer.from('\xff\xfe# caf\xe9\n[profile mine]\nregion = eu-west-1\n', 'latin1');
    const after = Buffer.from('\n[profile tools]\n# \x80\xc3 end', 'latin1');
    const bin = path.join(h().dataDir, 'bin');
    const cp = `${bin}/rolecall-credential-process ${bin}/rolecall credential-process --profile`;
    const block = (...names: string[]) =>
      Buffer.from(
        [
          '# BEGIN ROLECALL',
          '# Managed by Rolecall: changes between these markers are replaced on the next sync.',
          ...names.flatMap((n) => [`[profile ${n}]`, `credential_process = ${cp} ${n}`, 'region = us-east-1', '']),
          '# END ROLECALL',
          '',
        ].join('\n'),
      );
    await writeFile(configFile, before);
    expect(await h().rolecall(['config', 'write'])).toEqual({ code: 0, stdout: `Wrote 2 profiles to ${configFile}\n`, stderr: '' });
    const first = Buffer.concat([before, Buffer.from('\n'), block('alice', 'dev/ReadOnly')]);
    expect((await readFile(configFile)).equals(first)).toBe(true);

    // The user adds bytes after the block; a state change rewrites only the block.
    await writeFile(configFile, Buffer.concat([first, after]));
    expect(await h().rolecall(['profile', 'remove', 'dev/ReadOnly'])).toMatchObject({ code: 0 });
    expect(await h().rolecall(['config', 'write'])).toEqual({ code: 0, stdout: `Wrote 1 profile to ${configFile}\n`, stderr: '' });
    expect((await readFile(configFile)).equals(Buffer.concat([before, Buffer.from('\n'), block('alice'), after]))).toBe(true);
  });

  it('refuses a profile of the same name outside the block, leaving the file exactly as it was', async () => {
    const mine = '[profile alice]\nregion = eu-west-1\n';
    await writeFile(configFile, mine);
    const r = await h().rolecall(['config', 'write']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `rolecall: Profile "alice" is already defined in ${configFile} outside Rolecall's block; remove your [profile alice] section, or rename the Rolecall profile: rolecall profile rename alice NEW-NAME\n`,
    );
    expect(await readFile(configFile, 'utf8')).toBe(mine);
  });
});

describe('rolecall config import', () => {
  it("imports the AWS CLI's role and Identity Center profiles, skipping what it cannot take over", async () => {
    // alice's keys are already in Rolecall (iam-user add); the AWS CLI still has its own copy.
    await writeFile(h().env.AWS_SHARED_CREDENTIALS_FILE!, '[alice]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = not-imported\n');
    await writeFile(
      configFile,
      [
        '[profile base]',
        'region = eu-west-1',
        '[profile audit]',
        'role_arn = arn:aws:iam::210987654321:role/Auditor',
        'source_profile = alice',
        'external_id = acme-audit-7f3',
        '[profile orphan]',
        'role_arn = arn:aws:iam::210987654321:role/Auditor',
        'source_profile = base',
        '[sso-session acme]',
        'sso_start_url = https://acme.awsapps.com/start',
        'sso_region = us-east-1',
        '[profile acme-dev]',
        'sso_session = acme',
        'sso_account_id = 444455556666',
        'sso_role_name = Developer',
        '',
      ].join('\n'),
    );
    const r = await h().rolecall(['config', 'import']);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(`Imported 2 profiles (audit, acme-dev) and Identity Center acme from ${configFile}`);
    expect(r.stdout).toContain('  skipped base: no credential settings (only settings such as region)\n');
    expect(r.stdout).toContain('  skipped alice: static keys: rolecall config import --take-over moves them into the keychain (or rolecall iam-user add, then import again)\n');
    expect(r.stdout).toContain("  skipped orphan: its source profile 'base' was not imported; import again once it is in Rolecall (rolecall config import --take-over brings static keys along)\n");
    const list = parseJson<{ name: string; kind: string; accountId: string | null; roleName: string | null; source: string | null }[]>((await h().rolecall(['list', '--json'])).stdout);
    expect(list.map((p) => [p.name, p.kind, p.accountId, p.roleName, p.source])).toEqual([
      ['alice', 'iam-user', null, null, null],
      ['dev/ReadOnly', 'assume-role', '444455556666', 'ReadOnly', 'alice'],
      ['audit', 'assume-role', '210987654321', 'Auditor', 'alice'],
      ['acme-dev', 'sso-role', '444455556666', 'Developer', 'acme'],
    ]);
    // Again: nothing new, nothing overwritten.
    const again = await h().rolecall(['config', 'import']);
    expect(again.stdout).toContain('Imported 0 profiles from');
    expect(again.stdout).toContain('  skipped audit: a Rolecall profile of that name exists (kept as it is)\n');
  });

  it('says which file is missing, and changes nothing', async () => {
    const r = await h().rolecall(['config', 'import', '--file', '/nonexistent/config']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'rolecall: cannot read /nonexistent/config: no such file\n' });
  });
});
