// `rolecall exec` and `rolecall env` with real consumers: Debian's AWS CLI v2 calling the
// sandbox with the variables, and through the container-credentials endpoint of --server.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { addAliceWithReadOnly, parseJson, runProgram, useCliHarness } from './harness';

const require = createRequire(import.meta.url);
const AWS = '/usr/bin/aws';
const READ_ONLY_ARN = /^arn:aws:sts::444455556666:assumed-role\/ReadOnly\/alice$/;

const h = useCliHarness(async (h) => {
  await addAliceWithReadOnly(h, 'eu-west-1');
  // The variables a caller might already have must not win over the profile's.
  Object.assign(h.env, { AWS_PROFILE: 'someone-else', AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1', AWS_SECRET_ACCESS_KEY: 'wrong' });
});

// Debian's AWS CLI (2.9) predates AWS_ENDPOINT_URL, so it is pointed at the sandbox explicitly.
const callerIdentity = () => [AWS, 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json'];

describe('rolecall exec', () => {
  it("runs the AWS CLI with the profile's credentials and region", async () => {
    const r = await h().rolecall(['exec', 'dev/ReadOnly', '--', ...callerIdentity()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout).Arn).toMatch(READ_ONLY_ARN);

    const env = await h().rolecall(['exec', 'dev/ReadOnly', '--', process.execPath, '-e', 'console.log(JSON.stringify(process.env))'], { secretOutput: true });
    const vars = parseJson<Record<string, string>>(env.stdout);
    expect(vars.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(vars.AWS_SESSION_TOKEN).toMatch(/^IQoJb3JpZ2luX2Vj/);
    expect(Date.parse(vars.AWS_CREDENTIAL_EXPIRATION!)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect([vars.AWS_REGION, vars.AWS_DEFAULT_REGION]).toEqual(['eu-west-1', 'eu-west-1']);
    expect(vars.AWS_PROFILE).toBeUndefined();
  });

  it("exits with the command's exit code, and 127 for a command that does not exist", async () => {
    expect(await h().rolecall(['exec', 'alice', '--', 'sh', '-c', 'exit 7'])).toEqual({ code: 7, stdout: '', stderr: '' });
    expect(await h().rolecall(['exec', 'alice', '--', 'no-such-command-xyz'])).toEqual({ code: 127, stdout: '', stderr: "rolecall: cannot run 'no-such-command-xyz': command not found\n" });
    expect(await h().rolecall(['exec', 'nope', '--', 'true'])).toEqual({ code: 1, stdout: '', stderr: "rolecall: profile 'nope' does not exist; run: rolecall list\n" });
    expect(await h().rolecall(['exec', 'alice'])).toEqual({ code: 2, stdout: '', stderr: "rolecall: missing required argument 'command'\n" });
  });

  it('--server: the AWS CLI gets credentials from the local container endpoint', async () => {
    const r = await h().rolecall(['exec', '--server', 'dev/ReadOnly', '--', ...callerIdentity()]);
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout).Arn).toMatch(READ_ONLY_ARN);
    const env = await h().rolecall(['exec', 'dev/ReadOnly', '--server', '--', process.execPath, '-e', 'console.log(JSON.stringify(process.env))']);
    const vars = parseJson<Record<string, string>>(env.stdout);
    expect(vars.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(vars.AWS_CONTAINER_AUTHORIZATION_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect([vars.AWS_ACCESS_KEY_ID, vars.AWS_SECRET_ACCESS_KEY, vars.AWS_PROFILE]).toEqual([undefined, undefined, undefined]);
    expect(vars.AWS_REGION).toBe('eu-west-1');
  });

  it('--server: long-term IAM user keys work for botocore (the AWS CLI) and the AWS SDK for JavaScript', async () => {
    const aws = await h().rolecall(['exec', '--server', 'alice', '--', ...callerIdentity()]);
    expect(aws.stderr).toBe('');
    expect(parseJson(aws.stdout).Arn).toBe('arn:aws:iam::111122223333:user/alice');
    // The SDK's default chain, with nothing but the container endpoint to find.
    const sdk = `
      const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(require.resolve('@aws-sdk/client-sts'))});
      new STSClient({ region: 'eu-west-1', endpoint: ${JSON.stringify(h().sandbox.url)} }).send(new GetCallerIdentityCommand({})).then(
        (r) => console.log(r.Arn),
        (e) => { console.error(e.message); process.exitCode = 1; },
      );`;
    const js = await h().rolecall(['exec', '--server', 'alice', '--', process.execPath, '-e', sdk], { env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    expect(js).toEqual({ code: 0, stdout: 'arn:aws:iam::111122223333:user/alice\n', stderr: '' });
  });

  it('--server: serves what the broker holds now, so a long command sees refreshed credentials; refuses a wrong token', async () => {
    const serve = h().rolecall(['serve'], { timeoutMs: 60_000 });
    const agent = new AgentClient(h().core.paths);
    for (let i = 0; i < 200 && !(await agent.alive()); i++) await new Promise((r) => setTimeout(r, 50));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-exec-'));
    const go = path.join(dir, 'go');
    // The "long command": fetches, waits until the test has refreshed the session, fetches again.
    const script = `
      const fs = require('node:fs');
      const get = (auth) => fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { authorization: auth } });
      (async () => {
        const first = await (await get(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN)).json();
        fs.writeFileSync(${JSON.stringify(path.join(dir, 'first'))}, '');
        while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20));
        const second = await (await get(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN)).json();
        const wrong = (await get('0'.repeat(64))).status;
        console.log(JSON.stringify({ first, second, wrong }));
      })();`;
    const run = h().rolecall(['exec', '--server', 'dev/ReadOnly', '--', process.execPath, '-e', script], { secretOutput: true });
    for (let i = 0; i < 400; i++) {
      if (await readFile(path.join(dir, 'first')).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const refreshed = await h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { secretOutput: true });
    await writeFile(go, '');
    const r = await run;
    expect(r.stderr).toBe('');
    const out = parseJson<{ first: Record<string, string>; second: Record<string, string>; wrong: number }>(r.stdout);
    expect(Object.keys(out.first).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']);
    expect(out.second.AccessKeyId).not.toBe(out.first.AccessKeyId);
    expect(out.second.AccessKeyId).toBe(parseJson(refreshed.stdout).AccessKeyId);
    expect(out.wrong).toBe(403);
    await h().stopAgent();
    await serve;
    await rm(dir, { recursive: true, force: true });
  });
});

describe('rolecall env', () => {
  it('prints variables a shell can evaluate, and JSON', async () => {
    const sh = await h().rolecall(['env', 'dev/ReadOnly'], { secretOutput: true });
    expect(sh.code).toBe(0);
    expect(sh.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]+'\n/);
    const json = await h().rolecall(['env', 'dev/ReadOnly', '--format', 'json'], { secretOutput: true });
    const vars = parseJson<Record<string, string>>(json.stdout);
    expect(Object.keys(vars)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION']);
    // What `eval "$(rolecall env ...)"` gives the AWS CLI in a real shell.
    const r = await runProgram('sh', ['-c', 'eval "$1"; shift; unset AWS_PROFILE; exec "$@"', 'sh', sh.stdout, ...callerIdentity()], { env: h().env });
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout).Arn).toMatch(READ_ONLY_ARN);
    expect(await h().rolecall(['env', 'dev/ReadOnly', '--format', 'csh'])).toEqual({ code: 2, stdout: '', stderr: 'rolecall: --format: expected one of sh, fish, powershell, json, got "csh"\n' });
  });
});
