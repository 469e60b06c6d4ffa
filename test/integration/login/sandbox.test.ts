// The sandbox's AWS sign-in OAuth endpoints refuse what AWS refuses, seen on the wire: the sign-in
// page's checks, PKCE, the authorization code's single use and lifetime, and each DPoP check.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dpopProof, newDpopKey, publicJwk } from '../../../src-main/core/login/dpop';
import { loginAuthorizeUrl } from '../../../src-main/core/login/sign-in';
import { parseForm } from '../../sandbox/browser';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { demoOrg } from '../../helpers/harness';
import { DEMO_ROOT, type SignInAs } from './person';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startSandbox({ org: demoOrg() });
});
afterEach(() => sandbox.close());

const CLIENT = 'arn:aws:signin:::devtools/same-device';
const REDIRECT = 'http://127.0.0.1:1/oauth/callback';
const VERIFIER = 'v'.repeat(64);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const authorizeUrl = (redirectUri = REDIRECT) => loginAuthorizeUrl(sandbox.url, { clientId: CLIENT, state: 'st-1', redirectUri, codeChallenge: CHALLENGE });

/** Signs in at the page and returns where it redirects (not followed: nothing listens there). */
async function authorize(who: SignInAs = DEMO_ROOT): Promise<{ status: number; location: string | null; body: string }> {
  const url = authorizeUrl();
  const form = parseForm(await (await fetch(url)).text(), url)!;
  const fields = new URLSearchParams(form.fields);
  for (const [k, v] of Object.entries({ account: who.account, username: who.username, password: who.password, mfa_code: who.mfaCode ?? '' })) fields.set(k, v);
  const res = await fetch(form.action, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

async function code(): Promise<string> {
  const { location } = await authorize();
  return new URL(location!).searchParams.get('code')!;
}

async function token(body: Record<string, string>, dpop?: string | null) {
  const url = `${sandbox.url}/v1/token`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(dpop === null ? {} : { DPoP: dpop ?? dpopProof(key, 'POST', url) }) },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: (await res.json()) as Record<string, unknown> };
}

const key = newDpopKey();
const exchange = (c: string, extra: Record<string, string> = {}) => ({ clientId: CLIENT, grantType: 'authorization_code', code: c, codeVerifier: VERIFIER, redirectUri: REDIRECT, ...extra });

/** A proof signed as dpopProof signs, with header and payload as given. */
function handMade(header: object, payload: object, signWith = key): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: signWith, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}
const goodHeader = () => ({ alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk(key) });
const goodPayload = () => ({ jti: randomUUID(), htm: 'POST', htu: `${sandbox.url}/v1/token`, iat: Math.floor(Date.now() / 1000) });

describe('the sign-in page', () => {
  it('redirects to the loopback redirect_uri with code and state after a right password', async () => {
    const r = await authorize();
    expect(r.status).toBe(302);
    expect(r.location).toMatch(/^http:\/\/127\.0\.0\.1:1\/oauth\/callback\?code=[\w-]{40,}&state=st-1$/);
  });

  it('shows the form again with an error for a wrong password, an IAM user without their MFA code, or a user with no password', async () => {
    for (const who of [
      { ...DEMO_ROOT, password: 'wrong' },
      { account: '111122223333', username: 'alice', password: 'alice-console-password' },
      { account: '111122223333', username: 'nobody', password: 'x' },
    ]) {
      const r = await authorize(who);
      expect(r.status).toBe(401);
      expect(r.body).toMatch(/id="error"/);
    }
  });

  it('refuses a same-device request whose redirect_uri is not a loopback callback, and a plain challenge method', async () => {
    expect((await fetch(authorizeUrl('https://evil.example/oauth/callback'))).status).toBe(400);
    expect((await fetch(authorizeUrl().replace('code_challenge_method=SHA-256', 'code_challenge_method=plain'))).status).toBe(400);
  });
});

describe('CreateOAuth2Token, authorization_code', () => {
  it('issues 900-second credentials, a refresh token and an idToken naming the login session', async () => {
    const r = await token(exchange(await code()));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ tokenType: 'aws_sigv4', expiresIn: 900, refreshToken: expect.any(String), accessToken: { accessKeyId: expect.stringMatching(/^ASIA/) } });
    const sub = JSON.parse(Buffer.from(String(r.json.idToken).split('.')[1]!, 'base64url').toString()).sub;
    expect(sub).toBe('arn:aws:iam::111122223333:root');
  });

  it('refuses a wrong code verifier, another redirect_uri, and a code used twice', async () => {
    const c = await code();
    expect(await token(exchange(c, { codeVerifier: 'w'.repeat(64) }))).toMatchObject({ status: 400, type: 'ValidationException', json: { error: 'invalid_grant' } });
    // The code is gone after one try, right or wrong.
    expect(await token(exchange(c))).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(await token(exchange(await code(), { redirectUri: 'http://127.0.0.1:2/oauth/callback' }))).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('answers AUTHCODE_EXPIRED for a code older than five minutes', async () => {
    const c = await code();
    sandbox.state.clockOffsetMs += 301_000;
    expect(await token(exchange(c))).toMatchObject({ status: 401, type: 'AccessDeniedException', json: { error: 'AUTHCODE_EXPIRED' } });
  });
});

describe('DPoP checks', () => {
  const refused = (r: Awaited<ReturnType<typeof token>>, why: RegExp) => {
    expect(r).toMatchObject({ status: 400, type: 'ValidationException', json: { error: 'invalid_request' } });
    expect(String(r.json.message)).toMatch(why);
  };
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();

  it('no proof', async () => refused(await token(exchange(await code()), null), /A DPoP proof is required/));
  it('a signature by another key than the jwk', async () => refused(await token(exchange(await code()), handMade(goodHeader(), goodPayload(), other)), /signature does not verify/));
  it('typ other than dpop+jwt', async () => refused(await token(exchange(await code()), handMade({ ...goodHeader(), typ: 'JWT' }, goodPayload())), /typ dpop\+jwt/));
  it('a private key in the jwk', async () => refused(await token(exchange(await code()), handMade({ ...goodHeader(), jwk: { ...publicJwk(key), d: 'AAAA' } }, goodPayload())), /public P-256 jwk/));
  it('htm other than POST', async () => refused(await token(exchange(await code()), handMade(goodHeader(), { ...goodPayload(), htm: 'GET' })), /htm/));
  it('htu of another endpoint', async () => refused(await token(exchange(await code()), handMade(goodHeader(), { ...goodPayload(), htu: 'https://us-east-1.signin.aws.amazon.com/v1/token' })), /htu/));
  it('iat ten minutes old', async () => refused(await token(exchange(await code()), handMade(goodHeader(), { ...goodPayload(), iat: Math.floor(Date.now() / 1000) - 600 })), /iat/));
  it('a refresh with a proof of another key than the token is bound to', async () => {
    const first = await token(exchange(await code()));
    const r = await token({ clientId: CLIENT, grantType: 'refresh_token', refreshToken: String(first.json.refreshToken) }, dpopProof(newDpopKey(), 'POST', `${sandbox.url}/v1/token`));
    expect(r).toMatchObject({ status: 400, json: { error: 'invalid_grant', message: 'The refresh token is bound to another DPoP key.' } });
  });
});
