// The AWS SDK for JavaScript v3's own login provider (fromLoginCredentials, which
// @aws-sdk/credential-providers loads from @aws-sdk/credential-provider-login) as the client
// nobody here wrote: it refreshes against the sandbox from a login cache Rolecall wrote, and
// Rolecall takes over the cache it left behind.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromLoginCredentials } from '@aws-sdk/credential-providers';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { awsLoginCacheFile } from '../../../src-main/core/login/aws-cache';
import { importAwsLoginCache } from '../../../src-main/core/login/manage';
import { readAwsLoginSecret } from '../../../src-main/core/login/store';
import type { Credentials } from '../../../src-shared/profile';
import { startHarness, type Harness } from '../../helpers/harness';
import { alice, deps, signIn } from './fixtures';
import { ALICE_ARN } from './person';

let h: Harness;
let dir: string;
let env: NodeJS.ProcessEnv;
const saved = process.env.AWS_LOGIN_CACHE_DIRECTORY;
beforeEach(async () => {
  h = await startHarness();
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-login-cache-'));
  env = { ...h.env, AWS_LOGIN_CACHE_DIRECTORY: path.join(dir, 'cache') };
  // The SDK provider reads the cache directory from the process environment only.
  process.env.AWS_LOGIN_CACHE_DIRECTORY = env.AWS_LOGIN_CACHE_DIRECTORY;
  await writeFile(path.join(dir, 'config'), `[profile signed-in]\nlogin_session = ${ALICE_ARN}\nregion = us-east-1\n`);
});
afterEach(async () => {
  if (saved === undefined) delete process.env.AWS_LOGIN_CACHE_DIRECTORY;
  else process.env.AWS_LOGIN_CACHE_DIRECTORY = saved;
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const sdkProvider = () => fromLoginCredentials({ profile: 'signed-in', configFilepath: path.join(dir, 'config'), filepath: path.join(dir, 'credentials'), clientConfig: { endpoint: h.sandbox.url } });
const whoAmI = (c: Credentials) =>
  new STSClient({ region: 'us-east-1', endpoint: h.sandbox.url, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } }).send(new GetCallerIdentityCommand({}));
const readCache = async () => JSON.parse(await readFile(awsLoginCacheFile(ALICE_ARN, env), 'utf8')) as { refreshToken: string; accessToken: { accessKeyId: string; expiresAt: string } };

it('the SDK refreshes from the cache Rolecall wrote, and Rolecall takes over the cache the SDK rewrote', async () => {
  await signIn(h, 'me', alice(h), { writeAwsLoginCache: true, env });
  const written = await readCache();
  // Credentials near their end, as the SDK finds them minutes later: it must refresh (under 5 minutes left).
  await writeFile(awsLoginCacheFile(ALICE_ARN, env), JSON.stringify({ ...written, accessToken: { ...written.accessToken, expiresAt: new Date(Date.now() + 60_000).toISOString() } }));
  const calls = h.sandbox.knobs.count('signin:CreateOAuth2Token');

  const sdkCreds = await sdkProvider()();
  expect(h.sandbox.knobs.count('signin:CreateOAuth2Token')).toBe(calls + 1);
  expect(sdkCreds.accessKeyId).not.toBe(written.accessToken.accessKeyId);
  expect((await whoAmI(sdkCreds)).Arn).toBe(ALICE_ARN);
  const rewritten = await readCache();
  expect(rewritten.refreshToken).not.toBe(written.refreshToken);

  // Rolecall picks up what the SDK left: the rotated refresh token and the same DPoP key.
  await importAwsLoginCache(deps(h, env), { name: 'taken-over', loginSession: ALICE_ARN });
  expect((await readAwsLoginSecret(h.core.secrets, 'taken-over'))?.refreshToken).toBe(rewritten.refreshToken);
  const creds = await h.core.broker.credentials('taken-over');
  expect((await whoAmI(creds)).Arn).toBe(ALICE_ARN);
  expect(h.sandbox.knobs.count('signin:CreateOAuth2Token')).toBe(calls + 2);
});

it('with cache writing on, the two share one refresh token: the SDK refreshes after Rolecall, and Rolecall after the SDK', async () => {
  await signIn(h, 'me', alice(h), { writeAwsLoginCache: true, env });
  await h.core.broker.credentials('me');
  const cache = await readCache();
  expect(cache.refreshToken).toBe((await readAwsLoginSecret(h.core.secrets, 'me'))?.refreshToken);
  await writeFile(awsLoginCacheFile(ALICE_ARN, env), JSON.stringify({ ...cache, accessToken: { ...cache.accessToken, expiresAt: new Date(Date.now() + 60_000).toISOString() } }));
  expect((await whoAmI(await sdkProvider()())).Arn).toBe(ALICE_ARN);
  // The SDK rotated the token in the shared file: Rolecall's next refresh takes that one up.
  expect((await readCache()).refreshToken).not.toBe(cache.refreshToken);
  const again = await h.core.broker.credentials('me', { forceRefresh: true });
  expect((await whoAmI(again)).Arn).toBe(ALICE_ARN);
  expect((await readCache()).refreshToken).toBe((await readAwsLoginSecret(h.core.secrets, 'me'))?.refreshToken);
});

it('writes no cache unless asked', async () => {
  await signIn(h, 'me', alice(h), { env });
  await h.core.broker.credentials('me');
  await expect(readFile(awsLoginCacheFile(ALICE_ARN, env), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
});
