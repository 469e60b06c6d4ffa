// The sandbox's SSO OIDC as the AWS SDK for JS v3 sees it: device code (pending, slow_down,
// expired, denied), refresh token rotation, PKCE authorization code, registration expiry.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateTokenCommand, RegisterClientCommand, StartDeviceAuthorizationCommand, type SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { ListAccountsCommand } from '@aws-sdk/client-sso';
import { approve, BrowserError, deny } from '../../sandbox/browser';
import { ACME_START_URL, ALICE, BOB, DEVICE_CODE_GRANT, errorName, rejection, oidcClient, org, OTHER_START_URL, portalClient, signInWithDeviceCode } from './sso-fixtures';
import { useDemoSandbox } from './sts-fixtures';

const sandbox = useDemoSandbox({ org, perTest: true });
let oidc: SSOOIDCClient;
beforeEach(async () => {
  oidc = oidcClient(sandbox());
});

const advanceSeconds = (s: number) => {
  sandbox().state.clockOffsetMs += s * 1000;
};

async function startDevice(startUrl = ACME_START_URL, scopes = ['sso:account:access']) {
  const reg = await oidc.send(new RegisterClientCommand({ clientName: 'rolecall-test', clientType: 'public', scopes }));
  const client = { clientId: reg.clientId ?? '', clientSecret: reg.clientSecret ?? '' };
  const da = await oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl }));
  const poll = () => oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_CODE_GRANT, deviceCode: da.deviceCode }));
  return { reg, client, da, poll };
}

describe('device code grant', () => {
  it('answers authorization_pending until the person approves, then issues tokens', async () => {
    const { da, poll } = await startDevice();
    expect(da.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(da.verificationUri).toBe(`${sandbox().url}/device`);
    expect(da.verificationUriComplete).toBe(`${sandbox().url}/device?user_code=${da.userCode}`);
    expect(da.expiresIn).toBe(600);
    expect(da.interval).toBeGreaterThanOrEqual(1);

    expect(await errorName(poll())).toBe('AuthorizationPendingException');
    const done = await approve(da.verificationUriComplete ?? '', ALICE);
    expect(done.url).toBe(`${sandbox().url}/device/approved`);
    advanceSeconds(2); // a well-behaved client waits out the interval
    const token = await poll();
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(3600);
    expect(token.accessToken).toMatch(/^aoa/);
    expect(token.refreshToken).toMatch(/^aor/);
    advanceSeconds(2);
    expect(await errorName(poll())).toBe('InvalidGrantException'); // a device code is redeemed once
  });

  it('answers slow_down when polled faster than the interval, and raises the interval by 5 seconds each time', async () => {
    const { poll } = await startDevice();
    expect(await errorName(poll())).toBe('AuthorizationPendingException');
    expect(await errorName(poll())).toBe('SlowDownException'); // interval now 6 s
    advanceSeconds(3);
    expect(await errorName(poll())).toBe('SlowDownException'); // 3 s < 6 s; interval now 11 s
    advanceSeconds(12);
    expect(await errorName(poll())).toBe('AuthorizationPendingException');
  });

  it('answers expired_token once the device code outlives expiresIn', async () => {
    const { da, poll } = await startDevice();
    advanceSeconds(601);
    expect(await errorName(poll())).toBe('ExpiredTokenException');
    await expect(approve(da.verificationUriComplete ?? '', ALICE)).rejects.toThrow(/not valid, has expired/);
  });

  it('answers access_denied when the person denies the request', async () => {
    const { da, poll } = await startDevice();
    const done = await deny(da.verificationUriComplete ?? '', ALICE);
    expect(done.url).toBe(`${sandbox().url}/device/denied`);
    expect(await errorName(poll())).toBe('AccessDeniedException');
  });

  it('keeps the request pending after a wrong password, and signs users in only to their own instance', async () => {
    const { da, poll } = await startDevice(OTHER_START_URL);
    await expect(approve(da.verificationUriComplete ?? '', { ...BOB, password: 'wrong' })).rejects.toThrow(/Incorrect username or password/);
    await expect(approve(da.verificationUriComplete ?? '', ALICE)).rejects.toBeInstanceOf(BrowserError);
    expect(await errorName(poll())).toBe('AuthorizationPendingException');
    await approve(da.verificationUriComplete ?? '', BOB);
    advanceSeconds(2);
    expect((await poll()).accessToken).toBeTruthy();
  });

  it('refuses an unknown start URL and a wrong client secret', async () => {
    const reg = await oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' }));
    const start = (clientSecret: string, startUrl: string) =>
      oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret, startUrl }));
    expect(await errorName(start(reg.clientSecret ?? '', 'https://nobody.awsapps.com/start'))).toBe('InvalidRequestException');
    expect(await errorName(start('not-the-secret', ACME_START_URL))).toBe('InvalidClientException');
  });
});

describe('client registration', () => {
  it('expires after 90 days: the client then gets invalid_client', async () => {
    const reg = await oidc.send(new RegisterClientCommand({ clientName: 'rolecall-test', clientType: 'public', scopes: ['sso:account:access'] }));
    expect(Number(reg.clientSecretExpiresAt) - Number(reg.clientIdIssuedAt)).toBe(90 * 24 * 3600);
    expect(Math.abs(Number(reg.clientIdIssuedAt) - Date.now() / 1000)).toBeLessThan(5);
    advanceSeconds(91 * 24 * 3600);
    const err = await rejection(oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: ACME_START_URL })));
    expect(err.name).toBe('InvalidClientException');
    expect(err.$metadata.httpStatusCode).toBe(401);
    expect(err.error).toBe('invalid_client');
  });

  it('refuses a confidential client type and unknown grant types', async () => {
    expect(await errorName(oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' })))).toBe('InvalidClientMetadataException');
    expect(await errorName(oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'public', grantTypes: ['password'] })))).toBe(
      'UnsupportedGrantTypeException',
    );
  });
});

describe('a bad day', () => {
  it('answers SlowDownException over a rate limit (SSO OIDC models no other throttling error) and InternalServerException on a fault', async () => {
    sandbox().knobs.set({ rateLimits: { 'sso-oidc:RegisterClient': 1 }, faults: [{ operation: 'sso-oidc:StartDeviceAuthorization', kind: 'internal-error' }] });
    const register = () => oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' }));
    const reg = await register();
    const err = await rejection(register());
    expect(err.name).toBe('SlowDownException');
    expect(err.error).toBe('slow_down');
    const start = () => oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: ACME_START_URL }));
    const fault = await rejection(start());
    expect(fault.name).toBe('InternalServerException');
    expect(fault.$metadata.httpStatusCode).toBe(500);
    expect((await start()).userCode).toBeTruthy(); // the fault was for one call only
  });

  it('answers a 503 fault with ServiceUnavailableException, its type namespaced like the other SSO OIDC errors', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sso-oidc:RegisterClient', kind: 'unavailable', count: 2 }] });
    const res = await fetch(`${sandbox().url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientName: 'x', clientType: 'public' }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('ServiceUnavailableException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/');
    const err = await rejection(oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' })));
    expect(err.name).toBe('ServiceUnavailableException');
    expect(err.$metadata.httpStatusCode).toBe(503);
  });
});

describe('refresh token grant', () => {
  it('rotates: the new refresh token works, the old one is then invalid_grant', async () => {
    const s = await signInWithDeviceCode(sandbox());
    const refresh = (refreshToken: string | undefined) =>
      oidc.send(new CreateTokenCommand({ clientId: s.clientId, clientSecret: s.clientSecret, grantType: 'refresh_token', refreshToken }));
    const second = await refresh(s.refreshToken);
    expect(second.accessToken).not.toBe(s.accessToken);
    expect(second.refreshToken).not.toBe(s.refreshToken);
    await portalClient(sandbox()).send(new ListAccountsCommand({ accessToken: second.accessToken }));
    expect(await errorName(refresh(s.refreshToken))).toBe('InvalidGrantException');
    const third = await refresh(second.refreshToken);
    expect(third.refreshToken).toBeTruthy();
  });

  it('ends with the sign-in session (sessionSeconds)', async () => {
    const s = await signInWithDeviceCode(sandbox());
    advanceSeconds(8 * 3600 + 1);
    const err = oidc.send(new CreateTokenCommand({ clientId: s.clientId, clientSecret: s.clientSecret, grantType: 'refresh_token', refreshToken: s.refreshToken }));
    expect(await errorName(err)).toBe('InvalidGrantException');
  });

  it('is not issued to a client registered without scopes, as AWS does', async () => {
    const s = await signInWithDeviceCode(sandbox(), { scopes: [] });
    expect(s.accessToken).toBeTruthy();
    expect(s.refreshToken).toBeUndefined();
  });
});

describe('authorization code grant with PKCE', () => {
  let callback: Server;
  let redirectUri: string;
  const received: URLSearchParams[] = [];
  beforeEach(async () => {
    received.length = 0;
    callback = createServer((req, res) => {
      received.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
      res.end('You can close this window.');
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/oauth/callback`;
  });
  afterEach(() => new Promise<void>((r) => callback.close(() => r())));

  async function registerPkceClient() {
    const reg = await oidc.send(
      new RegisterClientCommand({
        clientName: 'rolecall-test',
        clientType: 'public',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['http://127.0.0.1/oauth/callback'],
        issuerUrl: ACME_START_URL,
        scopes: ['sso:account:access'],
      }),
    );
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorizeUrl = (uri = redirectUri) =>
      `${sandbox().url}/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: reg.clientId ?? '',
        redirect_uri: uri,
        state: 'state-123',
        code_challenge_method: 'S256',
        scopes: 'sso:account:access',
        code_challenge: challenge,
      })}`;
    const redeem = (code: string, codeVerifier: string) =>
      oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'authorization_code', code, redirectUri, codeVerifier }));
    return { verifier, authorizeUrl, redeem };
  }

  it('redirects to any loopback port with code and state; the code is single-use and needs the right verifier', async () => {
    const { verifier, authorizeUrl, redeem } = await registerPkceClient();
    const done = await approve(authorizeUrl(), ALICE);
    expect(done.body).toBe('You can close this window.');
    expect(received).toHaveLength(1);
    const params = received[0];
    expect(params?.get('state')).toBe('state-123');
    const code = params?.get('code') ?? '';
    expect(code).not.toBe('');

    expect(await errorName(redeem(code, randomBytes(48).toString('base64url')))).toBe('InvalidGrantException');
    const token = await redeem(code, verifier);
    expect(token.tokenType).toBe('Bearer');
    expect(token.refreshToken).toBeTruthy();
    await portalClient(sandbox()).send(new ListAccountsCommand({ accessToken: token.accessToken }));
    expect(await errorName(redeem(code, verifier))).toBe('InvalidGrantException');
  });

  it('sends access_denied back with the state when the person denies', async () => {
    const { authorizeUrl } = await registerPkceClient();
    await deny(authorizeUrl(), ALICE);
    expect(received[0]?.get('error')).toBe('access_denied');
    expect(received[0]?.get('state')).toBe('state-123');
    expect(received[0]?.has('code')).toBe(false);
  });

  it('shows an error page, and never redirects, for a redirect_uri the client did not register', async () => {
    const { authorizeUrl } = await registerPkceClient();
    const other = redirectUri.replace('/oauth/callback', '/elsewhere');
    const err = await rejection<BrowserError>(approve(authorizeUrl(other), ALICE));
    expect(err).toBeInstanceOf(BrowserError);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/redirect_uri is not one the application registered/);
    expect(received).toHaveLength(0);
  });
});
