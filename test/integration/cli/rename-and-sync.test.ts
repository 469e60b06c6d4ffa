// Profile changes reach the AWS config file: `profile rename` (dependents follow, the IAM user's
// key moves with it) and `sync` rewrite the managed block when it is there, as its comment says;
// without one, sync says how AWS tools get the synced profiles.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAliceWithReadOnly, parseJson, repoRoot, useCliHarness } from './harness';

const h = useCliHarness();
const aws = (profile: string) => h().run('/usr/bin/aws', ['--profile', profile, 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json']);

describe('rolecall profile rename', () => {
  it('renames; the profile built on it follows, the key moves, and the managed block follows', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    const r = await h().rolecall(['profile', 'rename', 'alice', 'alice-identity']);
    expect(r).toEqual({ code: 0, stdout: `Renamed profile 'alice' to 'alice-identity'; 'dev/ReadOnly' now uses it as source\nWrote 2 profiles to ${h().env.AWS_CONFIG_FILE}\n`, stderr: '' });
    const list = parseJson<{ name: string; source: string | null }[]>((await h().rolecall(['list', '--json'])).stdout);
    expect(list.map((p) => [p.name, p.source])).toEqual([['alice-identity', null], ['dev/ReadOnly', 'alice-identity']]);
    const config = await readFile(h().env.AWS_CONFIG_FILE!, 'utf8');
    expect(config).toContain('[profile alice-identity]\n');
    expect(config).not.toContain('[profile alice]\n');
    const who = await aws('dev/ReadOnly');
    expect(who.stderr).toBe('');
    expect(parseJson(who.stdout).Arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/alice');
    expect(parseJson((await aws('alice-identity')).stdout).Arn).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('refuses a name that is taken, or a profile that does not exist, changing nothing', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    expect(await h().rolecall(['profile', 'rename', 'alice', 'dev/ReadOnly'])).toEqual({
      code: 1, stdout: '', stderr: "rolecall: profile 'dev/ReadOnly' already exists; choose another name, or remove it first: rolecall profile remove dev/ReadOnly\n",
    });
    expect(await h().rolecall(['profile', 'rename', 'nobody', 'x'])).toEqual({ code: 1, stdout: '', stderr: "rolecall: profile 'nobody' does not exist; run: rolecall list\n" });
    // The key is still where it was.
    expect((await h().rolecall(['credential-process', 'alice'], { secretOutput: true })).code).toBe(0);
  });
});

describe('rolecall sync', () => {
  const signIn = async () => {
    const browser = path.join(h().home, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nexec "${path.join(repoRoot, 'node_modules/.bin/tsx')}" "${path.join(repoRoot, 'test/helpers/approve-url.ts')}" "$1"\n`);
    await chmod(browser, 0o755);
    const env = { BROWSER: browser, ROLECALL_TEST_PERSON: 'alice:demo-password' };
    expect((await h().rolecall(['login', 'sso', 'acme', '--start-url', 'https://d-90677c3a1b.awsapps.com/start', '--region', 'us-east-1'], { env, timeoutMs: 60_000 })).code).toBe(0);
  };

  it('without a managed block, says how AWS tools get the synced profiles', async () => {
    await signIn();
    const r = await h().rolecall(['sync']);
    expect(r.stdout).toMatch(/^acme: 3 accounts, 5 roles; 5 profiles added, 0 removed \(\d+\.\d s\)\nTo use them from AWS tools \(aws --profile NAME\): rolecall config write\n$/);
    expect(await readFile(h().env.AWS_CONFIG_FILE!, 'utf8').catch(() => 'none')).toBe('none');
  });

  it('with config writing on (a managed block), writes the synced profiles, and the AWS CLI finds them at once', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    await signIn();
    const r = await h().rolecall(['sync']);
    expect(r.stdout).toMatch(new RegExp(`^acme: 3 accounts, 5 roles; 5 profiles added, 0 removed \\(\\d+\\.\\d s\\)\\nWrote 7 profiles to ${h().env.AWS_CONFIG_FILE}\\n$`));
    const who = await aws('acme-dev/AdministratorAccess');
    expect(who.stderr).toBe('');
    expect(parseJson(who.stdout).Arn).toMatch(/^arn:aws:sts::444455556666:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]+\/alice$/);
  });
});
