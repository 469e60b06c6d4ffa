// AWS sign-in as a source, in process against the sandbox: both sign-in flows, credentials STS
// knows as the login session, refresh-token rotation, a role chained on top (the 1-hour cap),
// and each refusal of CreateOAuth2Token with its own message.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsCallError } from '../../../src-main/core/aws/errors';
import { dpopProof, newDpopKey } from '../../../src-main/core/login/dpop';
import { readAwsLoginSecret, writeAwsLoginSecret } from '../../../src-main/core/login/store';
import { createOAuth2Token } from '../../../src-main/core/login/token';
import type { Credentials } from '../../../src-shared/profile';
import { startHarness, type Harness } from '../../helpers/harness';
import { alice, signIn } from './fixtures';
import { ALICE_ARN, DEMO_ROOT, DEMO_ROOT_ARN } from './person';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const TOKEN_CALLS = 'signin:CreateOAuth2Token';
const whoAmI = (c: Credentials) =>
  new STSClient({ region: 'us-east-1', endpoint: h.sandbox.url, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } }).send(
    new GetCallerIdentityCommand({}),
  );
const refusal = (p: Promise<unknown>) => p.then(() => expect.fail('expected a refusal'), (e: AwsCallError) => e);

describe('rolecall login aws (in process)', () => {
  it('signs alice in on this device; the profile serves 15-minute credentials whose caller is the login session', async () => {
    const signedIn = await signIn(h, 'me', alice(h));
    expect(signedIn.secret.loginSession).toBe(ALICE_ARN);
    expect(signedIn.secret.clientId).toBe('arn:aws:signin:::devtools/same-device');
    const creds = await h.core.broker.credentials('me');
    expect((creds.expiration?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(900_000);
    expect((await whoAmI(creds)).Arn).toBe(ALICE_ARN);
    // The sign-in's code exchange, then one refresh for the profile's first credentials.
    expect(h.sandbox.knobs.count(TOKEN_CALLS)).toBe(2);
    // Served from the broker's cache from then on, and refreshed halfway through its 900 s.
    await h.core.broker.credentials('me');
    expect(h.sandbox.knobs.count(TOKEN_CALLS)).toBe(2);
    const [session] = await h.core.broker.sessions();
    expect(session?.profile).toBe('me');
    expect(Math.round(((session?.expiration?.getTime() ?? 0) - (session?.refreshAt?.getTime() ?? 0)) / 1000)).toBeGreaterThanOrEqual(449);
    expect(Math.round(((session?.expiration?.getTime() ?? 0) - (session?.refreshAt?.getTime() ?? 0)) / 1000)).toBeLessThanOrEqual(451);
  });

  it('signs the root user in across devices with the pasted code', async () => {
    const signedIn = await signIn(h, 'root', DEMO_ROOT, { remote: true });
    expect(signedIn.secret).toMatchObject({ loginSession: DEMO_ROOT_ARN, clientId: 'arn:aws:signin:::devtools/cross-device' });
    expect((await whoAmI(await h.core.broker.credentials('root'))).Arn).toBe(DEMO_ROOT_ARN);
  });

  it('stores the rotated refresh token under the lock, and the spent one is refused', async () => {
    await signIn(h, 'me', alice(h));
    const before = await readAwsLoginSecret(h.core.secrets, 'me');
    await h.core.broker.credentials('me');
    const after = await readAwsLoginSecret(h.core.secrets, 'me');
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    const e = await refusal(
      createOAuth2Token({ baseUrl: h.sandbox.url, dpopKey: before!.dpopKey, name: 'me' }, { clientId: before!.clientId, grantType: 'refresh_token', refreshToken: before!.refreshToken }),
    );
    expect(e.message).toMatch(/^'me': AWS sign-in no longer accepts this sign-in's refresh token \(The refresh token is not valid/);
    expect(e.code).toBe('sign-in-required');
  });

  it('counts as a role session: a role chained on it is capped at one hour, and the sign-in MFA carries to a role that asks for it', async () => {
    await signIn(h, 'me', alice(h));
    await h.addProfiles({ kind: 'assume-role', name: 'dev/Developer', sourceProfile: 'me', roleArn: 'arn:aws:iam::444455556666:role/Developer', durationSeconds: 7200 });
    const creds = await h.core.broker.credentials('dev/Developer');
    expect((await whoAmI(creds)).Arn).toMatch(/^arn:aws:sts::444455556666:assumed-role\/Developer\//);
    expect((creds.expiration?.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(h.notices.join('\n')).toMatch(/AWS caps role chaining at 3600 s/);
  });
});

describe('CreateOAuth2Token refusals, each with its own message', () => {
  beforeEach(async () => {
    await signIn(h, 'me', alice(h));
  });

  it('a replayed DPoP proof', async () => {
    const s = (await readAwsLoginSecret(h.core.secrets, 'me'))!;
    const proof = dpopProof(s.dpopKey, 'POST', `${h.sandbox.url}/v1/token`);
    const call = { baseUrl: h.sandbox.url, dpopKey: s.dpopKey, name: 'me', proof };
    const first = await createOAuth2Token(call, { clientId: s.clientId, grantType: 'refresh_token', refreshToken: s.refreshToken });
    const e = await refusal(createOAuth2Token(call, { clientId: s.clientId, grantType: 'refresh_token', refreshToken: first.refreshToken }));
    expect(e.awsCode).toBe('ValidationException');
    expect(e.message).toBe("'me': AWS sign-in refused signin:CreateOAuth2Token (ValidationException invalid_request: Invalid DPoP proof: this proof (jti) was already used.)");
  });

  it('a proof from another key than the refresh token is bound to', async () => {
    const s = (await readAwsLoginSecret(h.core.secrets, 'me'))!;
    await writeAwsLoginSecret(h.core.secrets, 'me', { ...s, dpopKey: newDpopKey() });
    const e = await refusal(h.core.broker.credentials('me'));
    expect(e.message).toBe("'me': AWS sign-in no longer accepts this sign-in's refresh token (The refresh token is bound to another DPoP key.): sign in again");
    expect(e.hint).toMatch(/^run: rolecall login aws me/);
  });

  it('a refresh token past the 12 hours of its sign-in', async () => {
    h.sandbox.state.clockOffsetMs += 12 * 3600_000 + 1000;
    const e = await refusal(h.core.broker.credentials('me'));
    expect(e.message).toBe("'me': the AWS sign-in ended (a sign-in lasts up to 12 hours): sign in again");
    expect(e.hint).toBe('run: rolecall login aws me');
    expect(e.code).toBe('sign-in-required');
  });

  it('a password changed since the sign-in', async () => {
    h.sandbox.state.org.users.find((u) => u.name === 'alice')!.password = 'a-new-password';
    const e = await refusal(h.core.broker.credentials('me'));
    expect(e.message).toBe("'me': your password changed since this sign-in: sign in again");
    expect(e.hint).toBe('run: rolecall login aws me');
  });

  it('a user without SignInLocalDevelopmentAccess', async () => {
    h.sandbox.state.org.users.find((u) => u.name === 'alice')!.signInLocalDevelopmentAccess = false;
    const e = await refusal(h.core.broker.credentials('me'));
    expect(e.message).toBe("'me': your user lacks SignInLocalDevelopmentAccess (signin:CreateOAuth2Token)");
    expect(e.code).toBe('access-denied');
  });
});
