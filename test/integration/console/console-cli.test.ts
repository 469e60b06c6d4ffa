// `rolecall console` as a person uses it, against the sandbox's federation endpoint and stand-in
// console: for an Identity Center role, a role from an IAM user's keys, role chains from an MFA
// session, and IAM users (GetFederationToken), the printed URL signs a browser in as the right
// principal, in the right region, with permissions, and with the console session length AWS
// allows for that kind of credentials (asked for, or left to the credentials' own lifetime).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { createCore } from '../../../src-main/core/core';
import { approve } from '../../sandbox/browser';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, addAliceWithReadOnly, useCliHarness, type CliHarness } from '../cli/harness';

const FAKE_BROWSER = fileURLToPath(new URL('./fake-browser.mjs', import.meta.url));
const DEMO_START_URL = 'https://d-90677c3a1b.awsapps.com/start';
const HOUR = 3600_000;

const h = useCliHarness(async (h) => {
  await addAliceWithReadOnly(h, 'us-east-1');
  const add = (args: string[], input?: string) => h.rolecall(args, { input }).then((r) => expect(r.code, r.stderr).toBe(0));
  await add(['iam-user', 'add', 'alice-mfa', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA, '--region', 'us-east-1'], ALICE_KEY.secretAccessKey);
  await add(['profile', 'add', 'dev/Developer', '--source', 'alice-mfa', '--role-arn', 'arn:aws:iam::444455556666:role/Developer']);
  await add(['profile', 'add', 'prod/Deployer', '--source', 'dev/Developer', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer']);
});

interface ConsolePage {
  status: number;
  signedIn?: string;
  permissions?: string;
  destination?: string;
  /** Milliseconds from now until the console session ends. */
  lastsMs?: number;
  message?: string;
}

/** What a browser without cookies shows after following the URL. */
async function follow(url: string): Promise<ConsolePage> {
  const res = await fetch(url);
  return readPage(res.status, await res.text());
}

function readPage(status: number, body: string): ConsolePage {
  const text = (id: string) => new RegExp(`<p id="${id}">([^<]*)</p>`).exec(body)?.[1]?.replace(/&amp;/g, '&');
  const expires = /Session expires at (\S+)</.exec(body)?.[1];
  return {
    status,
    signedIn: text('signed-in'),
    permissions: text('permissions'),
    destination: text('destination')?.replace(/^Destination: /, ''),
    lastsMs: expires ? Date.parse(expires) - Date.now() : undefined,
    message: text('message'),
  };
}

/** `rolecall console ARGS --print`: its stdout is the secret URL. */
async function printed(args: string[], env?: NodeJS.ProcessEnv) {
  const r = await h().rolecall(['console', ...args, '--print'], { secretOutput: true, env });
  expect(r.stderr === '' || r.code === 0, r.stderr).toBe(true);
  return r;
}

async function signIn(args: string[]): Promise<ConsolePage> {
  const r = await printed(args);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^${h().sandbox.url}/federation\\?Action=login&Issuer=Rolecall&Destination=[^&]+&SigninToken=[\\w-]+\\n$`));
  return follow(r.stdout.trim());
}

async function signInToDemoIdentityCenter(h: CliHarness): Promise<void> {
  const person = { userName: 'alice', password: 'demo-password' };
  const core = await createCore({ env: h.env, ssoIo: { print: () => undefined, browserAvailable: () => true, openBrowser: async (url) => void approve(url, person).catch(() => undefined) } });
  await core.sso.login({ startUrl: DEMO_START_URL, region: 'us-east-1', name: 'demo' });
  await core.sso.sync('demo');
}

describe('rolecall console --print', () => {
  it('an Identity Center role: its assumed-role session, with a 12-hour console session asked for', async () => {
    await signInToDemoIdentityCenter(h());
    const page = await signIn(['acme-dev/AdministratorAccess']);
    expect(page.signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/alice in us-east-1$/);
    expect(page.permissions).toMatch(/^Permissions: those of arn:aws:iam::444455556666:role\/aws-reserved\/sso\.amazonaws\.com\/AWSReservedSSO_AdministratorAccess_/);
    expect(page.destination).toBe('https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1');
    expect(page.lastsMs).toBeGreaterThan(12 * HOUR - 60_000);
  });

  it("a role assumed with an IAM user's keys: SessionDuration asked for (12 hours, or --duration)", async () => {
    const page = await signIn(['dev/ReadOnly']);
    expect(page.signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/ReadOnly\/\S+ in us-east-1$/);
    expect(page.lastsMs).toBeGreaterThan(12 * HOUR - 60_000);
    const short = await signIn(['dev/ReadOnly', '--duration', '1800']);
    expect(short.lastsMs).toBeGreaterThan(1800_000 - 60_000);
    expect(short.lastsMs).toBeLessThan(1800_000 + 1000);
  });

  it('works with a running agent (role credentials come from its broker)', async () => {
    const serve = h().rolecall(['serve'], { timeoutMs: 60_000 });
    const agent = new AgentClient(h().core.paths);
    for (let i = 0; i < 200 && !(await agent.alive()); i++) await new Promise((r) => setTimeout(r, 50));
    const r = await printed(['dev/ReadOnly']);
    expect(r.code, r.stderr).toBe(0);
    expect((await follow(r.stdout.trim())).signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/ReadOnly\//);
    await h().stopAgent();
    await serve;
  });

  it('role chains from an MFA session: no SessionDuration (AWS refuses it), the console lasts as long as the credentials', async () => {
    const dev = await signIn(['dev/Developer', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)]);
    expect(dev.signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/Developer\/\S+ in us-east-1$/);
    expect(dev.lastsMs).toBeLessThanOrEqual(HOUR);
    expect(dev.lastsMs).toBeGreaterThan(HOUR - 120_000);
    const prod = await signIn(['prod/Deployer', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)]);
    expect(prod.signedIn).toMatch(/^Signed in as arn:aws:sts::777788889999:assumed-role\/Deployer\/\S+ in us-east-1$/);
    expect(prod.permissions).toBe('Permissions: those of arn:aws:iam::777788889999:role/Deployer.');
    expect(prod.lastsMs).toBeLessThanOrEqual(HOUR);
  });

  it("IAM users: a GetFederationToken session with the user's own permissions; with MFA, says the session has no MFA context", async () => {
    const plain = await printed(['alice']);
    expect(plain.stderr).toBe('');
    const page = await follow(plain.stdout.trim());
    expect(page.signedIn).toBe('Signed in as arn:aws:sts::111122223333:federated-user/alice in us-east-1');
    expect(page.permissions).toBe('Permissions: the session policy passed to GetFederationToken, within those of arn:aws:iam::111122223333:user/alice.');
    expect(page.lastsMs).toBeGreaterThan(12 * HOUR - 60_000);

    const withMfa = await printed(['alice-mfa', '--duration', '3600']);
    expect(withMfa.code).toBe(0);
    expect(withMfa.stderr).toBe(
      "rolecall: profile 'alice-mfa': the console session comes from GetFederationToken, which carries no MFA context (AWS's rule): permissions that require MFA (aws:MultiFactorAuthPresent) are missing in it\n",
    );
    const mfaPage = await follow(withMfa.stdout.trim());
    expect(mfaPage.signedIn).toBe('Signed in as arn:aws:sts::111122223333:federated-user/alice in us-east-1');
    expect(mfaPage.lastsMs).toBeLessThanOrEqual(HOUR);
    expect(mfaPage.lastsMs).toBeGreaterThan(HOUR - 60_000);
  });

  it('lands on a service page or a console URL, in the profile region or --region', async () => {
    expect((await signIn(['dev/ReadOnly', '--destination', 'ec2'])).destination).toBe('https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1');
    const there = await signIn(['dev/ReadOnly', '--destination', 'lambda', '--region', 'eu-west-1']);
    expect(there.destination).toBe('https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1');
    expect(there.signedIn).toMatch(/ in eu-west-1$/);
    const url = 'https://ap-southeast-2.console.aws.amazon.com/s3/buckets?region=ap-southeast-2';
    const own = await signIn(['alice', '--destination', url]);
    expect([own.destination, own.signedIn]).toEqual([url, 'Signed in as arn:aws:sts::111122223333:federated-user/alice in ap-southeast-2']);
  });

  it('--sign-out-first: the console sign-out first, going on to the login', async () => {
    const r = await printed(['dev/ReadOnly', '--sign-out-first']);
    expect(r.stdout).toMatch(new RegExp(`^${h().sandbox.url}/oauth\\?Action=logout&redirect_uri=${encodeURIComponent(`${h().sandbox.url}/federation?`).replace(/[.?]/g, '\\$&')}`));
    expect((await follow(r.stdout.trim())).signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/ReadOnly\//);
  });
});

describe('rolecall console (browser)', () => {
  it('opens the browser at a one-time address, so the sign-in token is on no command line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-browser-'));
    try {
      const out = path.join(dir, 'browser.json');
      const r = await h().rolecall(['console', 'dev/ReadOnly', '--destination', 's3', '--browser', `${process.execPath} ${FAKE_BROWSER}`], { env: { FAKE_BROWSER_OUT: out } });
      expect(r).toEqual({ code: 0, stdout: '', stderr: "rolecall: opened the aws console for 'dev/ReadOnly' in us-east-1\n" });
      const seen = JSON.parse(await readFile(out, 'utf8')) as { argv: string[]; body: string; status: number };
      expect(seen.argv).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/console\/[\w-]{32}$/)]);
      const page = readPage(seen.status, seen.body);
      expect(page.signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/ReadOnly\/\S+ in us-east-1$/);
      expect(page.destination).toBe('https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1');
      // The address answered once; the process that served it has exited.
      expect(await fetch(seen.argv[0]!).then((x) => x.status, () => 'gone')).toBe('gone');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without a browser that opens, says so in one line and points at --print', async () => {
    const r = await h().rolecall(['console', 'dev/ReadOnly'], { env: { BROWSER: 'false' } });
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'rolecall: could not open a browser (false exited with 1); use --print and open the URL yourself, or --browser CMD\n' });
  });

  it('a browser command that cannot run is one line, exit 2', async () => {
    const r = await h().rolecall(['console', 'dev/ReadOnly', '--browser', '/nonexistent/browser --new-window']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'rolecall: --browser: could not run "/nonexistent/browser": command not found\n' });
  });
});

describe('rolecall console --switch-role-link', () => {
  it("prints the console's Switch Role link for a role profile, with no AWS call", async () => {
    const aws = { AWS_ENDPOINT_URL: '' };
    const r = await h().rolecall(['console', 'dev/ReadOnly', '--switch-role-link'], { env: aws });
    expect(r).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(/^https:\/\/signin\.aws\.amazon\.com\/switchrole\?account=444455556666&roleName=ReadOnly&displayName=dev%2FReadOnly&color=[0-9A-F]{6}\n$/) });
    const colored = await h().rolecall(['console', 'prod/Deployer', '--switch-role-link', '--color', 'red'], { env: aws });
    expect(colored.stdout).toBe('https://signin.aws.amazon.com/switchrole?account=777788889999&roleName=Deployer&displayName=prod%2FDeployer&color=F2B0A9\n');
    // A role in the European Sovereign Cloud: its own partition's sign-in host.
    expect((await h().rolecall(['profile', 'add', 'eusc/Ops', '--source', 'alice', '--role-arn', 'arn:aws-eusc:iam::123456789012:role/team/Ops', '--region', 'eusc-de-east-1'])).code).toBe(0);
    expect((await h().rolecall(['console', 'eusc/Ops', '--switch-role-link', '--color', 'green'], { env: aws })).stdout).toBe(
      'https://signin.amazonaws-eusc.eu/switchrole?account=123456789012&roleName=team%2FOps&displayName=eusc%2FOps&color=B7CA9D\n',
    );
    expect(await h().rolecall(['console', 'alice', '--switch-role-link'], { env: aws })).toEqual({
      code: 2, stdout: '', stderr: "rolecall: profile 'alice': no Switch Role link: an IAM user is signed in to, not switched to; run: rolecall console alice\n",
    });
  });
});

describe('rolecall console refusals', () => {
  it('refuses a Destination outside the partition console, bad input and unknown profiles with one line', async () => {
    const cases: [string[], number, string][] = [
      [['dev/ReadOnly', '--destination', 'https://evil.example/phish'], 2, 'rolecall: --destination: evil.example is not the AWS console of the aws partition (https://console.aws.amazon.com or a subdomain of it); Rolecall signs in to nothing else\n'],
      [['dev/ReadOnly', '--destination', 'https://console.aws.amazon.com.evil.example/'], 2, 'rolecall: --destination: console.aws.amazon.com.evil.example is not the AWS console of the aws partition (https://console.aws.amazon.com or a subdomain of it); Rolecall signs in to nothing else\n'],
      [['dev/ReadOnly', '--destination', 'https://console.amazonaws.cn/ec2/home'], 2, 'rolecall: --destination: console.amazonaws.cn is not the AWS console of the aws partition (https://console.aws.amazon.com or a subdomain of it); Rolecall signs in to nothing else\n'],
      [['dev/ReadOnly', '--destination', 'http://console.aws.amazon.com/'], 2, 'rolecall: --destination: a http: URL is not the AWS console of the aws partition (https://console.aws.amazon.com or a subdomain of it); Rolecall signs in to nothing else\n'],
      [['dev/ReadOnly', '--destination', 'javascript:alert(1)'], 2, 'rolecall: --destination: a javascript: URL is not the AWS console of the aws partition (https://console.aws.amazon.com or a subdomain of it); Rolecall signs in to nothing else\n'],
      [['dev/ReadOnly', '--destination', 'nosuchservice'], 2, expect.stringMatching(/^rolecall: --destination: unknown service "nosuchservice"; use one of apigateway, .*, or a console URL \(https:\/\/console\.aws\.amazon\.com\/\.\.\.\)\n$/) as unknown as string],
      [['dev/ReadOnly', '--region', 'cn-north-1'], 2, "rolecall: profile 'dev/ReadOnly' is in the aws partition, but cn-north-1 is in aws-cn; give a region of aws\n"],
      [['dev/ReadOnly', '--region', 'Mars'], 2, 'rolecall: not a region: "Mars" (a region looks like us-east-1)\n'],
      [['dev/ReadOnly', '--duration', '60'], 2, 'rolecall: --duration: a console session lasts 900 to 43200 seconds (15 minutes to 12 hours)\n'],
      [['dev/ReadOnly', '--duration', '50000'], 2, 'rolecall: --duration: a console session lasts 900 to 43200 seconds (15 minutes to 12 hours)\n'],
      [['dev/ReadOnly', '--print', '--browser', 'firefox'], 2, 'rolecall: --print and --browser: give one (print the URL, or open it with a command)\n'],
      [['nope'], 1, "rolecall: profile 'nope' does not exist; run: rolecall list\n"],
    ];
    const before = h().sandbox.state.credentials.size;
    for (const [args, code, stderr] of cases) {
      expect([args, await h().rolecall(['console', ...args, '--print'])]).toEqual([args, { code, stdout: '', stderr }]);
    }
    // Refused before any AWS call: the sandbox issued nothing.
    expect(h().sandbox.state.credentials.size).toBe(before);
  });

  it("the sandbox's sign-out goes on only to an address of its own (no open redirect there either)", async () => {
    const base = h().sandbox.url;
    const away = await fetch(`${base}/oauth?Action=logout&redirect_uri=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    expect([away.status, readPage(away.status, await away.text()).message]).toEqual([200, 'You have signed out of the AWS Management Console.']);
    const home = await fetch(`${base}/oauth?Action=logout&redirect_uri=${encodeURIComponent(`${base}/console`)}`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([302, `${base}/console`]);
    expect(home.headers.get('set-cookie')).toMatch(/^sandbox-console-session=; .*Max-Age=0/);
  });

  it('leaves no secret in any output but the printed URL', async () => {
    await printed(['alice']);
    await printed(['dev/ReadOnly', '--sign-out-first']);
    await h().rolecall(['console', 'dev/ReadOnly', '--destination', 'https://evil.example/']);
    const logs = h().outputs.join('\n');
    expect(logs).not.toContain(ALICE_KEY.secretAccessKey);
    expect(logs).not.toMatch(/SigninToken|sessionKey|IQoJb3JpZ2luX2Vj/);
  });
});
