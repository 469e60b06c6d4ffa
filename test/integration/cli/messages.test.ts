// The CLI forgives mistakes and says exactly what is going on: a mistyped profile name gets
// "did you mean", doctor says when a profile does not exist or AWS cannot be reached, the chain
// cap is told once and plainly, and sso status, login sso, env, exec and list read as a person
// expects. Each message is asserted with its exact text.
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mfaCode } from '../../helpers/harness';
import { freeLoopbackPort } from '../../helpers/net';
import { ALICE_KEY, ALICE_MFA, addAliceWithReadOnly, repoRoot, useCliHarness } from './harness';
import { atTerminal } from './terminal';

const START_URL = 'https://d-90677c3a1b.awsapps.com/start';
const h = useCliHarness();

describe('a mistyped profile name', () => {
  const meant = "rolecall: profile 'dev/ReadOnyl' does not exist; did you mean 'dev/ReadOnly'? (all of them: rolecall list)\n";
  it.each([
    ['credential-process', ['credential-process', 'dev/ReadOnyl']],
    ['credential-process --profile', ['credential-process', '--profile', 'dev/ReadOnyl']],
    ['exec', ['exec', 'dev/ReadOnyl', '--', 'true']],
    ['env', ['env', 'dev/ReadOnyl']],
    ['doctor', ['doctor', 'dev/ReadOnyl']],
  ])('%s says which profile was meant', async (_, args) => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    expect(await h().rolecall(args)).toEqual({ code: 1, stdout: '', stderr: meant });
  });

  it('gets the account/role name for its role part, and no guess when nothing is close', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    expect((await h().rolecall(['env', 'ReadOnly'])).stderr).toBe("rolecall: profile 'ReadOnly' does not exist; did you mean 'dev/ReadOnly'? (all of them: rolecall list)\n");
    expect((await h().rolecall(['doctor', 'production'])).stderr).toBe("rolecall: profile 'production' does not exist; run: rolecall list\n");
  });
});

describe('rolecall doctor', () => {
  it('says the endpoint is unreachable, not that STS refuses the credentials', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    const r = await h().rolecall(['doctor', 'alice'], { env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${await freeLoopbackPort()}` } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe("Profile 'alice': hop 1 ('alice') fails");
    expect(lines.at(-1)).toBe('    likely cause: the endpoint is unreachable (network, or the AWS_ENDPOINT_URL settings); nothing is known about the credentials yet');
  });
});

describe('the chain-cap notice', () => {
  it('reads once and plainly, and is not repeated while the session is served', async () => {
    expect((await h().rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId], { input: ALICE_KEY.secretAccessKey })).code).toBe(0);
    expect((await h().rolecall(['profile', 'add', 'dev', '--source', 'alice', '--role-arn', 'arn:aws:iam::444455556666:role/Developer', '--mfa-serial', ALICE_MFA])).code).toBe(0);
    expect((await h().rolecall(['profile', 'add', 'prod', '--source', 'dev', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer', '--duration', '7200'])).code).toBe(0);
    const first = await h().rolecall(['credential-process', 'prod', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)], { secretOutput: true });
    expect(first.code).toBe(0);
    expect(first.stderr).toBe("rolecall: profile 'prod': asked for 7200 s; AWS caps role chaining at 3600 s, so 3600 s\n");
    const again = await h().rolecall(['credential-process', 'prod'], { secretOutput: true });
    expect(again).toMatchObject({ code: 0, stderr: '' });
    const doctor = await h().rolecall(['doctor', 'prod', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)]);
    expect(doctor.stdout).toContain("\n 3. prod (assume-role arn:aws:iam::777788889999:role/Deployer): ok\n    identity: arn:aws:sts::777788889999:assumed-role/Deployer/alice\n    duration: asked for 7200 s; AWS caps role chaining at 3600 s, so 3600 s\n");
  });
});

describe('rolecall sso status and login sso', () => {
  it('says "not signed in yet" for an instance never signed in, "sign in again" once a sign-in ended', async () => {
    await writeFile(h().env.AWS_CONFIG_FILE!, `[sso-session acme]\nsso_start_url = ${START_URL}\nsso_region = us-east-1\n`);
    expect((await h().rolecall(['config', 'import'])).code).toBe(0);
    expect(await h().rolecall(['sso', 'status'])).toEqual({ code: 0, stdout: `acme\t${START_URL}\tus-east-1\tnot signed in yet: rolecall login sso acme\n`, stderr: '' });
    const browser = path.join(h().home, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nexec "${path.join(repoRoot, 'node_modules/.bin/tsx')}" "${path.join(repoRoot, 'test/helpers/approve-url.ts')}" "$1"\n`);
    await chmod(browser, 0o755);
    expect((await h().rolecall(['login', 'sso', 'acme'], { env: { BROWSER: browser, ROLECALL_TEST_PERSON: 'alice:demo-password' }, timeoutMs: 60_000 })).code).toBe(0);
    expect((await h().rolecall(['logout', 'acme'])).code).toBe(0);
    expect((await h().rolecall(['sso', 'status'])).stdout).toBe(`acme\t${START_URL}\tus-east-1\tsign in again: rolecall login sso acme\n`);
  });

  it('login sso --start-url without --region asks for the region alone (and names only it without a terminal)', async () => {
    expect(await h().rolecall(['login', 'sso', '--start-url', START_URL])).toEqual({
      code: 2, stdout: '', stderr: "rolecall: the Identity Center instance 'd-90677c3a1b' is new to Rolecall; give its --region\n",
    });
    const browser = path.join(h().home, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\nexec "${path.join(repoRoot, 'node_modules/.bin/tsx')}" "${path.join(repoRoot, 'test/helpers/approve-url.ts')}" "$1"\n`);
    await chmod(browser, 0o755);
    Object.assign(h().env, { BROWSER: browser, ROLECALL_TEST_PERSON: 'alice:demo-password' });
    const question = `IAM Identity Center region of ${START_URL} (e.g. us-east-1): `;
    const r = await atTerminal(h(), ['login', 'sso', '--start-url', START_URL], [{ after: question, type: 'us-east-1' }]);
    expect(r.code).toBe(0);
    expect(r.screen.startsWith(`${question}us-east-1\n`)).toBe(true);
    expect(r.screen).toMatch(/\nSigned in to d-90677c3a1b \(access token valid until \S+Z\)\n$/);
  });
});

describe('env, exec and list', () => {
  it('env --format zsh and bash are sh', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    const sh = await h().rolecall(['env', 'alice', '--format', 'sh'], { secretOutput: true });
    expect(sh.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='AKIA/);
    for (const format of ['zsh', 'bash']) expect(await h().rolecall(['env', 'alice', '--format', format], { secretOutput: true })).toEqual(sh);
    expect((await h().rolecall(['env', 'alice', '--format', 'csh'])).stderr).toBe('rolecall: --format: expected one of sh, fish, powershell, json, got "csh"\n');
  });

  it('exec --profile NAME works as credential-process --profile does', async () => {
    await addAliceWithReadOnly(h(), 'us-east-1');
    const r = await h().rolecall(['exec', '--profile', 'dev/ReadOnly', '--', process.execPath, '-e', 'console.log(process.env.ROLECALL_PROFILE)']);
    expect(r).toEqual({ code: 0, stdout: 'dev/ReadOnly\n', stderr: '' });
    expect(await h().rolecall(['exec', '--profile', 'dev/ReadOnly'])).toEqual({ code: 2, stdout: '', stderr: "rolecall: missing required argument 'command'\n" });
  });

  it('list shows the region a profile really uses, inherited from its source, and says so', async () => {
    await addAliceWithReadOnly(h(), 'eu-west-1');
    const r = await h().rolecall(['list']);
    expect(r.stdout).toBe(
      [
        'NAME          KIND         ACCOUNT       ROLE      REGION                  SOURCE  SESSION',
        'alice         iam-user     -             -         eu-west-1               -       -',
        'dev/ReadOnly  assume-role  444455556666  ReadOnly  eu-west-1 (from alice)  alice   -',
        '',
      ].join('\n'),
    );
  });
});
