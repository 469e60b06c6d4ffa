// The aws-login provider against a canned 127.0.0.1 sign-in endpoint that rotates refresh tokens
// as AWS does (each redeems once): the credentials it hands the broker, the rotated token stored
// before they are, and the AWS CLI login cache it shares when asked (in a temp dir, never ~/.aws).
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsLoginProfile } from '../../../src-shared/profile';
import { awsLoginCacheFile } from '../../../src-main/core/login/aws-cache';
import { newDpopKey } from '../../../src-main/core/login/dpop';
import { readAwsLoginSecret, SAME_DEVICE_CLIENT_ID, writeAwsLoginSecret, type AwsLoginSecret } from '../../../src-main/core/login/store';
import { awsLoginCredentials } from '../../../src-main/core/providers/aws-login';
import type { StepContext } from '../../../src-main/core/providers/types';
import { MemorySecretStore } from '../../helpers/memory-secret-store';

const LOGIN_SESSION = 'arn:aws:iam::111122223333:user/alice';
const profile: AwsLoginProfile = { name: 'me', kind: 'aws-login', loginSession: LOGIN_SESSION };

let server: Server;
let base: string;
/** Refresh tokens the endpoint still takes; redeeming one spends it and issues `<token>+`. */
let live: Set<string>;
let redeemed: string[];
let withIdToken: boolean;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { refreshToken, grantType } = JSON.parse(body) as { refreshToken: string; grantType: string };
      redeemed.push(refreshToken);
      if (refreshToken === 'rt-outage') {
        res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ServiceUnavailableException' });
        res.end(JSON.stringify({ error: 'ServiceUnavailable', message: 'try later' }));
        return;
      }
      if (grantType !== 'refresh_token' || !live.delete(refreshToken)) {
        res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ValidationException' });
        res.end(JSON.stringify({ error: 'invalid_grant', message: 'refresh token already used' }));
        return;
      }
      live.add(`${refreshToken}+`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          accessToken: { accessKeyId: 'ASIALOGINEXAMPLE0001', secretAccessKey: 'login-secret', sessionToken: 'login-token' },
          tokenType: 'aws_sigv4',
          expiresIn: 900,
          refreshToken: `${refreshToken}+`,
          ...(withIdToken ? { idToken: 'new.id.token' } : {}),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

let secrets: MemorySecretStore;
let notices: string[];
let cacheDir: string;
const dpopKey = newDpopKey();
const secret = (o: Partial<AwsLoginSecret> = {}): AwsLoginSecret => ({ loginSession: LOGIN_SESSION, clientId: SAME_DEVICE_CLIENT_ID, refreshToken: 'rt-keychain', dpopKey, signInRegion: 'us-east-1', ...o });

function ctx(o: Partial<StepContext> = {}): StepContext {
  const env = { AWS_ENDPOINT_URL_SIGNIN: base };
  return {
    sts: { region: 'us-east-1', env },
    env,
    secrets,
    sso: { accessToken: () => Promise.reject(new Error('no Identity Center here')) },
    ssoSessions: [],
    mfaCode: () => Promise.reject(new Error('no MFA here')),
    notice: (m) => notices.push(m),
    ...o,
  };
}

/** The AWS CLI's cache entry for the sign-in, as another tool that refreshed it left it. */
async function awsCliCache(refreshToken: string, key = dpopKey): Promise<void> {
  const file = awsLoginCacheFile(LOGIN_SESSION, process.env);
  await mkdir(path.dirname(file), { recursive: true });
  const accessToken = { accessKeyId: 'ASIAOTHERTOOL0000001', secretAccessKey: 's', sessionToken: 't', accountId: '111122223333', expiresAt: '2030-01-01T00:00:00Z' };
  await writeFile(file, JSON.stringify({ accessToken, clientId: SAME_DEVICE_CLIENT_ID, refreshToken, dpopKey: key, signInRegion: 'us-east-1' }));
}
const cached = async () => JSON.parse(await readFile(awsLoginCacheFile(LOGIN_SESSION, process.env), 'utf8'));

beforeEach(async () => {
  secrets = new MemorySecretStore();
  notices = [];
  live = new Set(['rt-keychain']);
  redeemed = [];
  withIdToken = false;
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-login-cache-'));
  vi.stubEnv('AWS_LOGIN_CACHE_DIRECTORY', cacheDir);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('an AWS sign-in as a source', () => {
  it('redeems the refresh token for 15-minute role credentials of the login session, storing the rotated token first', async () => {
    await writeAwsLoginSecret(secrets, 'me', secret({ idToken: 'old.id.token' }));
    const r = await awsLoginCredentials(profile, ctx());
    expect(r).toMatchObject({ accessKeyId: 'ASIALOGINEXAMPLE0001', secretAccessKey: 'login-secret', sessionToken: 'login-token', credentialType: 'role', arn: LOGIN_SESSION });
    expect(Math.round((r.expiration!.getTime() - Date.now()) / 1000)).toBeGreaterThan(890);
    expect(Math.round((r.expiration!.getTime() - Date.now()) / 1000)).toBeLessThanOrEqual(900);
    // The old token is spent: the next refresh (here, or in another process) must find the new one.
    expect(await readAwsLoginSecret(secrets, 'me')).toEqual(secret({ refreshToken: 'rt-keychain+', idToken: 'old.id.token' }));
    expect((await awsLoginCredentials(profile, ctx())).accessKeyId).toBe('ASIALOGINEXAMPLE0001');
    expect(redeemed).toEqual(['rt-keychain', 'rt-keychain+']);
  });

  it('keeps the new id token the endpoint sends with the rotated refresh token', async () => {
    withIdToken = true;
    await writeAwsLoginSecret(secrets, 'me', secret({ idToken: 'old.id.token' }));
    await awsLoginCredentials(profile, ctx());
    expect((await readAwsLoginSecret(secrets, 'me'))?.idToken).toBe('new.id.token');
  });

  it('says the sign-in must be done again when the rotated token cannot be stored, since the old one is spent', async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    const broken = Object.assign(Object.create(secrets) as MemorySecretStore, { set: () => Promise.reject(new Error('keychain locked')) });
    await expect(awsLoginCredentials(profile, ctx({ secrets: broken }))).rejects.toMatchObject({
      message: "profile 'me': the refreshed AWS sign-in could not be stored in the keychain",
      code: 'keychain',
      hint: 'run: rolecall login aws me',
    });
  });

  it('passes a refused refresh on as it is', async () => {
    await writeAwsLoginSecret(secrets, 'me', secret({ refreshToken: 'rt-spent' }));
    await expect(awsLoginCredentials(profile, ctx())).rejects.toMatchObject({ code: 'sign-in-required', message: expect.stringContaining('no longer accepts') });
    expect(redeemed).toEqual(['rt-spent']);
  });
});

describe('with the AWS CLI login cache shared (writeAwsLoginCache)', () => {
  const sharing: AwsLoginProfile = { ...profile, writeAwsLoginCache: true };

  it('writes the rotated token and the new credentials where the AWS CLI looks', async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsLoginCredentials(sharing, ctx());
    expect(await cached()).toMatchObject({ refreshToken: 'rt-keychain+', accessToken: { accessKeyId: 'ASIALOGINEXAMPLE0001', accountId: '111122223333' } });
    expect(notices).toEqual([]);
  });

  it("without the option, leaves the AWS CLI's cache alone and reads nothing from it", async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsCliCache('rt-other-tool');
    live.add('rt-other-tool');
    await awsLoginCredentials(profile, ctx());
    expect(redeemed).toEqual(['rt-keychain']);
    expect((await cached()).refreshToken).toBe('rt-other-tool');
  });

  it('takes up a token another tool rotated there (same DPoP key, even with other line ends) before the spent one in the keychain', async () => {
    live = new Set(['rt-other-tool']);
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsCliCache('rt-other-tool', `${dpopKey.trim()}\n\n`);
    const r = await awsLoginCredentials(sharing, ctx());
    expect(r.accessKeyId).toBe('ASIALOGINEXAMPLE0001');
    expect(redeemed).toEqual(['rt-other-tool']);
    expect((await readAwsLoginSecret(secrets, 'me'))?.refreshToken).toBe('rt-other-tool+');
  });

  it("ignores a cache entry of another sign-in's DPoP key", async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsCliCache('rt-other-tool', newDpopKey());
    live.add('rt-other-tool');
    await awsLoginCredentials(sharing, ctx());
    expect(redeemed).toEqual(['rt-keychain']);
  });

  it("falls back to the keychain's token when the cache's was older after all", async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsCliCache('rt-stale');
    const r = await awsLoginCredentials(sharing, ctx());
    expect(r.accessKeyId).toBe('ASIALOGINEXAMPLE0001');
    expect(redeemed).toEqual(['rt-stale', 'rt-keychain']);
  });

  it("does not fall back to the keychain's token when the endpoint could not answer (the cache's may still be the live one)", async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsCliCache('rt-outage');
    await expect(awsLoginCredentials(sharing, ctx())).rejects.toMatchObject({ code: 'aws-error' });
    expect(redeemed).toEqual(['rt-outage']);
  });

  it('does not redeem the same token twice when the cache holds the one in the keychain', async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    await awsCliCache('rt-keychain');
    await awsLoginCredentials(sharing, ctx());
    expect(redeemed).toEqual(['rt-keychain']);
  });

  it('hands out the credentials with a notice when the cache cannot be written', async () => {
    await writeAwsLoginSecret(secrets, 'me', secret());
    // A file where the cache directory should be.
    const blocked = path.join(cacheDir, 'not-a-dir');
    await writeFile(blocked, '');
    vi.stubEnv('AWS_LOGIN_CACHE_DIRECTORY', blocked);
    const r = await awsLoginCredentials(sharing, ctx());
    expect(r.accessKeyId).toBe('ASIALOGINEXAMPLE0001');
    expect(notices).toEqual([expect.stringMatching(/^profile 'me': the AWS CLI login cache was not updated: /)]);
  });
});
