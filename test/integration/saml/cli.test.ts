// `rolecall saml add` + `rolecall login saml --saml-response-file` + `rolecall config write`: the
// AWS CLI (Debian's v2) then gets the SAML role's credentials through credential_process, from
// the sandbox and from moto. Every bad SAMLResponse is refused in one line, with a non-zero exit,
// and leaves nothing behind: no profile, no session, no captured response.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samlResponseEntryName, sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { buildSamlResponse } from '../../sandbox/idp-signing';
import { parseJson, useCliHarness, type CliHarness } from '../cli/harness';

const ROLE = 'arn:aws:iam::777788889999:role/SamlAdmin';
const IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';
const PROFILE = 'corp/SamlAdmin';

const h = useCliHarness(async (h) => {
  expect(await h.rolecall(['saml', 'add', 'corp', '--url', `${h.sandbox.url}/saml-idp/corp-idp/sso`])).toMatchObject({ code: 0 });
});

async function responseFile(h: CliHarness, samlResponse: string): Promise<string> {
  const file = path.join(h.home, 'saml-response.txt');
  await writeFile(file, samlResponse);
  return file;
}

const sign = (h: CliHarness, o: Partial<Parameters<typeof buildSamlResponse>[0]> = {}) =>
  buildSamlResponse({ roles: [`${ROLE},${IDP}`], roleSessionName: 'alice', sessionDuration: 7200, issueInstant: h.sandbox.state.now(), ...o });

async function login(h: CliHarness, samlResponse: string, args: string[] = [], env?: NodeJS.ProcessEnv) {
  return h.rolecall(['login', 'saml', 'corp', '--saml-response-file', await responseFile(h, samlResponse), ...args], { env });
}

describe('rolecall console for a SAML role', () => {
  it('signs the console in as the assumed SAML role, asking for a 12-hour console session (not role chaining)', { timeout: 60_000 }, async () => {
    expect((await login(h(), sign(h()))).code).toBe(0);
    const r = await h().rolecall(['console', PROFILE, '--print'], { secretOutput: true });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^${h().sandbox.url}/federation\\?Action=login&Issuer=Rolecall&Destination=[^&]+&SigninToken=[\\w-]+\\n$`));
    const page = await (await fetch(r.stdout.trim())).text();
    expect(/<p id="signed-in">([^<]*)<\/p>/.exec(page)?.[1]).toBe('Signed in as arn:aws:sts::777788889999:assumed-role/SamlAdmin/alice in us-east-1');
    expect(/<p id="permissions">([^<]*)<\/p>/.exec(page)?.[1]).toMatch(/^Permissions: those of arn:aws:iam::777788889999:role\/SamlAdmin/);
    const expires = Date.parse(/Session expires at (\S+)</.exec(page)?.[1] ?? '');
    expect(expires - Date.now()).toBeGreaterThan(12 * 3600_000 - 60_000);
  });
});

describe('rolecall login saml --saml-response-file', () => {
  it('gives a profile the AWS CLI uses through credential_process; list shows its account and role', { timeout: 60_000 }, async () => {
    const r = await login(h(), sign(h()));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Signed in to ${ROLE} as profile '${PROFILE}' \\(session valid until \\S+\\)\\n$`));
    const expiry = Date.parse(/until (\S+)\)/.exec(r.stdout)?.[1] ?? '');
    // DurationSeconds: the SessionDuration attribute (7200), within the role's MaxSessionDuration (14400).
    expect(Math.round((expiry - h().sandbox.state.now().getTime()) / 60_000)).toBe(120);

    const list = parseJson<Array<Record<string, unknown>>>((await h().rolecall(['list', '--json'])).stdout);
    expect(list).toEqual([expect.objectContaining({ name: PROFILE, kind: 'saml-role', accountId: '777788889999', roleName: 'SamlAdmin', source: 'corp' })]);
    expect((await h().rolecall(['saml', 'list'])).stdout).toBe(`corp\t${h().sandbox.url}/saml-idp/corp-idp/sso\t-\t-\t${PROFILE}\n`);

    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    const aws = await h().run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', PROFILE, '--endpoint-url', h().sandbox.url, '--output', 'json']);
    expect(aws.stderr).toBe('');
    expect(parseJson(aws.stdout).Arn).toMatch(/^arn:aws:sts::777788889999:assumed-role\/SamlAdmin\/alice$/);
  });

  it('caps DurationSeconds by the integration, and retries a MaxSessionDuration refusal once with an hour, saying so', { timeout: 60_000 }, async () => {
    expect((await h().rolecall(['saml', 'remove', 'corp'])).code).toBe(0);
    expect((await h().rolecall(['saml', 'add', 'corp', '--url', 'https://idp.example/aws', '--duration', '1800'])).code).toBe(0);
    const capped = await login(h(), sign(h()));
    expect(capped.code, capped.stderr).toBe(0);
    expect(Math.round((Date.parse(/until (\S+)\)/.exec(capped.stdout)?.[1] ?? '') - h().sandbox.state.now().getTime()) / 60_000)).toBe(30);

    // SamlAdmin allows 14400 s; SessionDuration 43200 asks for more.
    expect((await h().rolecall(['saml', 'remove', 'corp'])).stdout).toBe(`Removed SAML integration 'corp' and its profiles '${PROFILE}'\n`);
    expect((await h().rolecall(['saml', 'add', 'corp', '--url', 'https://idp.example/aws'])).code).toBe(0);
    const retried = await login(h(), sign(h(), { sessionDuration: 43200 }));
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stderr).toBe(`rolecall: ${ROLE} allows sessions shorter than 43200 s (its MaxSessionDuration): asked for 3600 s instead\n`);
    expect(Math.round((Date.parse(/until (\S+)\)/.exec(retried.stdout)?.[1] ?? '') - h().sandbox.state.now().getTime()) / 60_000)).toBe(60);
  });

  it('reads stdin; refreshes with the captured response while it lasts; then asks for a new sign-in: "sign in again: rolecall login saml corp"', { timeout: 60_000 }, async () => {
    const stdin = await h().rolecall(['login', 'saml', 'corp', '--saml-response-file', '-'], { input: `${sign(h(), { sessionDuration: 900 }).replace(/(.{64})/g, '$1\n')}\n` });
    expect(stdin.code, stdin.stderr).toBe(0);
    // While STS still takes the captured response, a refresh assumes the role with it again.
    const cp = (args: string[] = []) => h().rolecall(['credential-process', '--profile', PROFILE, ...args], { secretOutput: true });
    const before = parseJson((await cp()).stdout);
    const renewed = await cp(['--force-refresh']);
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(parseJson(renewed.stdout).AccessKeyId).not.toBe(before.AccessKeyId);
    // The session and the captured response both run out.
    await fetch(`${h().sandbox.url}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 1000 }) });
    const r = await h().rolecall(['credential-process', '--profile', PROFILE, '--force-refresh'], { secretOutput: true });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/sign in again: rolecall login saml corp/);
  });
});

describe('bad SAML responses', () => {
  const tamper = (b64: string) => Buffer.from(Buffer.from(b64, 'base64').toString('utf8').replace('>alice<', '>mallory<'), 'utf8').toString('base64');
  const cases: Array<[string, (h: CliHarness) => string, RegExp, string[]?]> = [
    ['unsigned', (h) => sign(h, { sign: 'none' }), /the SAML response is not signed/],
    ['tampered', (h) => tamper(sign(h)), /AssumeRoleWithSAML failed: InvalidIdentityToken: Response signature invalid/],
    ['signed by another key', (h) => sign(h, { privateKey: OTHER_KEY, certificate: undefined }), /AssumeRoleWithSAML failed: InvalidIdentityToken/],
    ['expired', (h) => sign(h, { issueInstant: new Date(h.sandbox.state.now().getTime() - 600_000) }), /the SAML response expired at /],
    ['for another audience', (h) => sign(h, { audience: 'https://sp.example.com' }), /is meant for another service/],
    ['for another recipient', (h) => sign(h, { recipient: 'https://sp.example.com/acs' }), /is addressed to https:\/\/sp\.example\.com\/acs/],
    ['role-less', (h) => sign(h, { roles: [] }), /grants no AWS role/],
    ['not base64', () => '%%%not base64%%%', /is not base64/],
    ['not XML', () => Buffer.from('<Response><oops></Response>').toString('base64'), /is not well-formed XML/],
    ['an XML bomb', () => Buffer.from(`<!DOCTYPE r [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>`).toString('base64'), /declares a DTD/],
    ['oversized', () => 'QUFB'.repeat(30_000), /more than the 100000 AWS STS accepts/],
    ['encrypted, without --role', () => Buffer.from(ENCRYPTED).toString('base64'), /encrypted.*--role ROLE_ARN --principal-arn SAML_PROVIDER_ARN/],
    ['encrypted, with --role (only AWS could decrypt it; the sandbox cannot)', () => Buffer.from(ENCRYPTED).toString('base64'), /AssumeRoleWithSAML failed: InvalidIdentityToken: Encrypted assertions are not supported/, ['--role', ROLE, '--principal-arn', IDP]],
    ['granting several roles, without --role', (h) => sign(h, { roles: [`${ROLE},${IDP}`, `arn:aws:iam::777788889999:role/Other,${IDP}`] }), /grants 2 roles/],
    ['not granting the --role asked for', (h) => sign(h), /does not grant arn:aws:iam::777788889999:role\/Nope/, ['--role', 'arn:aws:iam::777788889999:role/Nope']],
  ];

  it.each(cases)('%s: one line, non-zero exit, nothing stored', { timeout: 30_000 }, async (_what, make, message, args = []) => {
    const stateBefore = await readFile(path.join(h().dataDir, 'state.json'), 'utf8');
    const r = await login(h(), make(h()), args);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^rolecall: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(h().dataDir, 'state.json'), 'utf8')).toBe(stateBefore);
    expect(await h().core.secrets.get(samlResponseEntryName('corp'))).toBeNull();
    expect(await h().core.secrets.get(sessionEntryName(PROFILE))).toBeNull();
  });

  it('without a file: the sign-in window is the app\'s, said in one line', async () => {
    const r = await h().rolecall(['login', 'saml', 'corp']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^rolecall: login saml corp: the sign-in window is the Rolecall app's, and the app is not running; start the Rolecall app/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// An encrypted assertion: only AWS holds the key to read it.
const ENCRYPTED =
  `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" Destination="https://signin.aws.amazon.com/saml">` +
  `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
  `<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion></samlp:Response>`;

// A key the sandbox's provider does not trust (generated for this test file).
const OTHER_KEY = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('against moto', () => {
  let moto: ChildProcess | undefined;
  let motoUrl = '';
  beforeAll(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    motoUrl = `http://127.0.0.1:${port}`;
    moto = spawn(process.env.ROLECALL_TEST_PYTHON || 'python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    for (const deadline = Date.now() + 30_000; ; ) {
      if ((await fetch(`${motoUrl}/moto-api/`).then((r) => r.status < 500).catch(() => false)) === true) break;
      if (Date.now() > deadline || moto.exitCode !== null) throw new Error('moto.server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 40_000);
  afterAll(async () => {
    if (moto?.pid !== undefined && moto.exitCode === null) {
      const exited = new Promise((resolve) => moto?.once('exit', resolve));
      moto.kill('SIGTERM');
      await exited;
    }
  });

  it('moto takes the assertion too, and the AWS CLI gets the profile from it', { timeout: 60_000 }, async () => {
    const env = { AWS_ENDPOINT_URL: motoUrl };
    // moto keeps assumed roles in its default account's backend only, so the role is in 123456789012.
    const role = 'arn:aws:iam::123456789012:role/SamlAdmin';
    const r = await login(h(), buildSamlResponse({ roles: [`${role},arn:aws:iam::123456789012:saml-provider/corp-idp`], roleSessionName: 'alice', sessionDuration: 3600 }), [], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    const aws = await h().run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', PROFILE, '--endpoint-url', motoUrl, '--output', 'json'], { env });
    expect(aws.stderr).toBe('');
    expect(parseJson(aws.stdout).Arn).toBe('arn:aws:sts::123456789012:assumed-role/SamlAdmin/alice');
  });
});
