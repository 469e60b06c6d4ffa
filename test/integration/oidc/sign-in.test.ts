// OIDC web identity end to end in one process: the sandbox's oidc-provider IdP, a person in
// headless Chromium, Rolecall's PKCE and device-code sign-ins, the id_token through the broker to
// the sandbox's AssumeRoleWithWebIdentity, and the silent renewal with the (rotating) refresh token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addOidcIntegration, DEFAULT_SCOPES } from '../../../src-main/core/oidc/integrations';
import { oidcTokenEntryName, OidcTokenRecord } from '../../../src-main/core/secrets/keychain-entries';
import { startHarness, type Harness } from '../../helpers/harness';
import { ALICE, Person } from './person';

export const FEDERATED_DEVELOPER = 'arn:aws:iam::444455556666:role/FederatedDeveloper';
export const FEDERATED_READ_ONLY = 'arn:aws:iam::444455556666:role/FederatedReadOnly';

let h: Harness;
let person: Person;
let skewMs = 0;
const printed: string[] = [];
const noBrowser = async () => {
  throw new Error('no browser may open for this');
};

beforeEach(async () => {
  skewMs = 0;
  printed.length = 0;
  h = await startHarness();
  person = new Person(ALICE);
  await addOidcIntegration(h.core.state, { name: 'corp', issuer: `${h.sandbox.url}/oidc`, clientId: 'rolecall-desktop', scopes: DEFAULT_SCOPES, roleArns: [FEDERATED_DEVELOPER, FEDERATED_READ_ONLY] });
});
afterEach(async () => {
  await person.close();
  await h.close();
});

const core = (openBrowser: (url: string) => Promise<void>) =>
  h.newCore({ oidcIo: { print: (l) => printed.push(l), openBrowser, browserAvailable: () => true, now: () => Date.now() + skewMs, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) } });
const record = async () => OidcTokenRecord.parse(JSON.parse((await h.core.secrets.get(oidcTokenEntryName('corp'))) ?? 'null'));
/** Two minutes left on the stored id_token, as Rolecall sees it (the token itself stays valid for STS). */
const nearExpiry = async () => h.core.secrets.set(oidcTokenEntryName('corp'), JSON.stringify({ ...(await record()), idTokenExpiresAt: new Date(Date.now() + 120_000).toISOString() }));
const callerArn = async (c: Awaited<ReturnType<typeof core>>, profile: string) => {
  const creds = await c.broker.credentials(profile, { forceRefresh: true });
  expect(creds.accessKeyId).toMatch(/^ASIA/);
  return h.sandbox.state.credentials.get(creds.accessKeyId)?.arn;
};

describe('rolecall login oidc (in process) against the sandbox oidc-provider', () => {
  it('PKCE in the browser: the id_token assumes each of the integration\'s roles, and a second sign-in reuses the IdP session', async () => {
    const c = await core(async (url) => void (await person.signIn(url)));
    const r = await c.oidc.login('corp');
    expect(r).toMatchObject({ flow: 'pkce', subject: 'alice' });
    expect(await callerArn(c, 'corp/FederatedDeveloper')).toMatch(/^arn:aws:sts::444455556666:assumed-role\/FederatedDeveloper\/alice$/);
    expect(await callerArn(c, 'corp/FederatedReadOnly')).toMatch(/assumed-role\/FederatedReadOnly\//);
    const first = await record();
    expect(first.refreshToken).toBeTruthy();

    let second: { askedForPassword: boolean } | undefined;
    const again = await core(async (url) => void (second = await person.signIn(url)));
    await again.oidc.login('corp');
    expect(second?.askedForPassword).toBe(false);
    expect((await record()).idToken).not.toBe(first.idToken);
  });

  it('device code: the verification page approved in the browser gives a sign-in that serves credentials', async () => {
    const c = await core(async (url) => void (await person.signIn(url)));
    const r = await c.oidc.login('corp', { deviceCode: true });
    expect(r.flow).toBe('device');
    expect(printed.join('\n')).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/oidc\/device and enter the code: [A-Z]{4}-[A-Z]{4}/);
    expect(await callerArn(c, 'corp/FederatedDeveloper')).toMatch(/assumed-role\/FederatedDeveloper\//);
  }, 30_000);

  it('renews the id_token silently with the refresh token near its expiry (the refresh token rotates), and no browser opens', async () => {
    const signIn = await core(async (url) => void (await person.signIn(url)));
    await signIn.oidc.login('corp');
    const before = await record();

    const c = await core(noBrowser);
    skewMs = 56 * 60_000; // the hour-long id_token now has 4 minutes left
    expect(await callerArn(c, 'corp/FederatedDeveloper')).toMatch(/assumed-role\/FederatedDeveloper\//);
    const after = await record();
    expect(after.idToken).not.toBe(before.idToken);
    expect(after.refreshToken).toBeTruthy();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(Date.parse(after.idTokenExpiresAt)).toBeGreaterThanOrEqual(Date.parse(before.idTokenExpiresAt));
  });

  it('two processes renewing at once redeem the rotating refresh token once: both get a token and the sign-in lives on', async () => {
    const signIn = await core(async (url) => void (await person.signIn(url)));
    await signIn.oidc.login('corp');
    const [a, b] = [await core(noBrowser), await core(noBrowser)];
    await nearExpiry();
    const [ta, tb] = await Promise.all([a.oidc.idToken('corp'), b.oidc.idToken('corp')]);
    expect(ta.idToken).toBe(tb.idToken);
    // Had the spent refresh token been sent twice, the IdP would have ended the grant: this renewal would fail.
    await nearExpiry();
    expect((await (await core(noBrowser)).oidc.idToken('corp')).idToken).not.toBe(ta.idToken);
  });

  it('a refresh token the IdP no longer honours ends the sign-in: "sign in again", and the keychain entry is gone', async () => {
    const signIn = await core(async (url) => void (await person.signIn(url)));
    await signIn.oidc.login('corp');
    const stale = await record();
    const c = await core(noBrowser);
    skewMs = 56 * 60_000;
    await c.oidc.idToken('corp'); // rotates: the stored refresh token is now spent
    await h.core.secrets.set(oidcTokenEntryName('corp'), JSON.stringify(stale));
    await expect(c.broker.credentials('corp/FederatedDeveloper', { forceRefresh: true })).rejects.toMatchObject({ code: 'sign-in-required', hint: 'run: rolecall login oidc corp' });
    expect(await h.core.secrets.get(oidcTokenEntryName('corp'))).toBeNull();
  });

  it.each([
    ['PKCE', false],
    ['device code', true],
  ])('%s denied on the consent page: the sign-in fails as denied and nothing is stored', async (_flow, deviceCode) => {
    const c = await core(async (url) => void (await person.signIn(url, 'deny')));
    await expect(c.oidc.login('corp', { deviceCode })).rejects.toMatchObject({ code: 'access-denied', message: expect.stringMatching(/denied/) });
    expect(await h.core.secrets.get(oidcTokenEntryName('corp'))).toBeNull();
  }, 30_000);
});
