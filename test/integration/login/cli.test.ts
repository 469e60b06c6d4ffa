// `rolecall login aws` as a person runs it: the browser ($BROWSER) signs in at the sandbox's
// sign-in page, or the code is pasted (--remote); a role chained on the sign-in serves Debian's
// AWS CLI v2 through credential_process; 100 concurrent credential-process runs on a cold cache
// cause one CreateOAuth2Token call; bad input is one line.
import { spawn } from 'node:child_process';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { readAwsLoginSecret } from '../../../src-main/core/login/store';
import { parseJson, READ_ONLY_ROLE, repoRoot, useCliHarness, type CliHarness, type RunResult } from '../cli/harness';
import { authorizeUrlIn, DEMO_ROOT, DEMO_ROOT_ARN, signInAt } from './person';

const AWS = '/usr/bin/aws';
const TOKEN_CALLS = 'signin:CreateOAuth2Token';
const RUNS = 100;

const h = useCliHarness();

async function browserAs(x: CliHarness): Promise<NodeJS.ProcessEnv> {
  const browser = path.join(x.home, 'browser.sh');
  await writeFile(browser, `#!/bin/sh\nexec "${path.join(repoRoot, 'node_modules/.bin/tsx')}" "${path.join(repoRoot, 'test/integration/login/browser.ts')}" "$1"\n`);
  await chmod(browser, 0o755);
  return { BROWSER: browser, ROLECALL_TEST_AWS_SIGNIN: JSON.stringify(DEMO_ROOT) };
}

async function loginAws(x: CliHarness, args: string[] = []): Promise<RunResult> {
  const r = await x.rolecall(['login', 'aws', 'me', ...args], { env: await browserAs(x), timeoutMs: 60_000 });
  expect(r.stdout).toBe(`Signed in as ${DEMO_ROOT_ARN}: profile 'me' serves its credentials (the sign-in lasts up to 12 hours)\n`);
  expect(r.code).toBe(0);
  return r;
}

/** --remote: reads the URL from stderr, signs in elsewhere, and pastes the code on stdin. */
function loginRemote(x: CliHarness): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [x.script, 'login', 'aws', 'me', '--remote'], { env: x.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let started = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (started || !/v1\/authorize\?\S+\n/.test(stderr)) return;
    started = true;
    void signInAt(authorizeUrlIn(stderr), DEMO_ROOT).then((r) => child.stdin.end(`${r.verificationCode}\n`));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      x.outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('rolecall login aws', () => {
  it('signs in through $BROWSER; a role chained on it serves the AWS CLI v2 through credential_process; no secret is printed', { timeout: 120_000 }, async () => {
    await loginAws(h());
    expect((await h().rolecall(['profile', 'add', 'dev/ReadOnly', '--source', 'me', '--role-arn', READ_ONLY_ROLE])).code).toBe(0);
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    const aws = (profile: string) => h().run(AWS, ['--profile', profile, 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json'], { timeoutMs: 60_000 });
    const role = await aws('dev/ReadOnly');
    expect(role.stderr).toBe('');
    expect(parseJson<{ Arn: string }>(role.stdout).Arn).toMatch(/^arn:aws:sts::444455556666:assumed-role\/ReadOnly\//);
    expect(parseJson<{ Arn: string }>((await aws('me')).stdout).Arn).toBe(DEMO_ROOT_ARN);
    const secret = await readAwsLoginSecret(h().core.secrets, 'me');
    const printed = h().outputs.join('\n');
    expect(printed).not.toContain(secret!.refreshToken);
    expect(printed).not.toContain('PRIVATE KEY');
    // Nothing of the sign-in in files: the state file names the login session only.
    const state = await readFile(path.join(h().dataDir, 'state.json'), 'utf8').catch(() => '');
    expect(state).not.toContain(secret!.refreshToken);
  });

  it('--remote: the person signs in on another device and pastes the code the page shows', { timeout: 90_000 }, async () => {
    const r = await loginRemote(h());
    expect(r.stderr).toMatch(/^Open this URL in a browser on any device and sign in:\nhttp:\/\/127\.0\.0\.1:\d+\/v1\/authorize\?/);
    expect(r.stdout).toBe(`Signed in as ${DEMO_ROOT_ARN}: profile 'me' serves its credentials (the sign-in lasts up to 12 hours)\n`);
    expect(r.code).toBe(0);
    expect((await readAwsLoginSecret(h().core.secrets, 'me'))?.clientId).toBe('arn:aws:signin:::devtools/cross-device');
  });

  it('--write-aws-cache writes the AWS CLI login cache, none is written without it; profile remove takes the sign-in out of the keychain', { timeout: 90_000 }, async () => {
    await loginAws(h());
    const cacheDir = path.join(h().home, '.aws', 'login', 'cache');
    await expect(readdir(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
    const r = await loginAws(h(), ['--write-aws-cache']);
    const file = /^rolecall: wrote the AWS CLI login cache (\S+\/\.aws\/login\/cache\/[0-9a-f]{64}\.json) \(login_session = arn:aws:iam::111122223333:root\)$/m.exec(r.stderr)?.[1];
    expect(file, r.stderr).toBeTruthy();
    const cache = parseJson<{ accessToken: { accountId: string }; refreshToken: string }>(await readFile(file!, 'utf8'));
    expect(cache.accessToken.accountId).toBe('111122223333');
    expect(cache.refreshToken).toBe((await readAwsLoginSecret(h().core.secrets, 'me'))?.refreshToken);
    // Removing the profile takes its refresh material out of the keychain.
    expect((await h().rolecall(['profile', 'remove', 'me'])).code).toBe(0);
    expect(await readAwsLoginSecret(h().core.secrets, 'me')).toBeNull();
  });

  it('refuses bad input in one line, exit non-zero', async () => {
    for (const args of [
      ['login', 'aws', 'me', '--from-aws-cache', 'not-an-arn'],
      ['login', 'aws', 'me', '--region', 'moon'],
      ['login', 'aws', 'me', '--from-aws-cache', 'arn:aws:iam::111122223333:user/nobody'],
    ]) {
      const r = await h().rolecall(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^rolecall: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe(`${RUNS} concurrent credential-process runs on a cold cache`, () => {
  async function burst(env: NodeJS.ProcessEnv): Promise<void> {
    await loginAws(h());
    await h().core.state.update((s) => {
      s.settings.agentIdleSeconds = 10;
    });
    h().sandbox.knobs.resetCounts();
    const runs = await Promise.all(Array.from({ length: RUNS }, () => h().rolecall(['credential-process', 'me'], { env, secretOutput: true, timeoutMs: 120_000 })));
    const failed = runs.filter((r) => r.code !== 0 || r.stderr !== '');
    expect({ failed: failed.length, first: failed[0]?.stderr.slice(0, 300), calls: h().sandbox.knobs.count(TOKEN_CALLS) }).toEqual({ failed: 0, first: undefined, calls: 1 });
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
    expect(JSON.parse(runs[0]!.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(h().sandbox.knobs.count(TOKEN_CALLS)).toBe(1);
  }

  it('with autostart off: the broker lock makes one CreateOAuth2Token call', { timeout: 180_000 }, async () => {
    await burst({ ROLECALL_NO_AUTOSTART: '1' });
  });

  it('through the background agent: one CreateOAuth2Token call', { timeout: 180_000 }, async () => {
    await burst({ ROLECALL_NO_AUTOSTART: '' });
    expect(await new AgentClient(h().core.paths).alive()).toBe(true);
  });
});
