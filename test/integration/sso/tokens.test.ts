// Living with a sign-in: silent refresh, the "sign in again" state when AWS will not refresh,
// one sign-in for 100 simultaneous requests across processes, instances side by side, logout.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeError, RolecallError } from '../../../src-main/core/errors';
import { formatCacheTimestamp, writeAwsCliToken } from '../../../src-main/core/sso/aws-cli-cache';
import { createPortalClient } from '../../../src-main/core/sso/portal';
import { approve } from '../../sandbox/browser';
import { ACME, BOB, OTHER, approvingBrowser, orgOf, printedDeviceUrl, startSsoHarness, type SsoHarness } from './harness';

let h: SsoHarness;
beforeEach(async () => {
  h = await startSsoHarness(orgOf(2));
});
afterEach(() => h.close());

const MIN = 60_000;
const later = (ms: number) => ({ io: { now: () => Date.now() + ms } });
const signInAcme = () => h.manager.login({ startUrl: ACME, region: 'us-east-1' });
const failure = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as RolecallError);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('access tokens', () => {
  it('are refreshed silently near expiry, with the rotated refresh token kept', async () => {
    await signInAcme();
    const first = await h.manager.accessToken('acme');
    const recordBefore = JSON.parse((await h.secrets.get('sso-token/acme')) ?? '{}') as { refreshToken: string };
    expect(h.sandbox.knobs.count('sso-oidc:CreateToken')).toBe(1);

    // 50 minutes on, 10 remain: under the 15-minute mark, so another process refreshes.
    const refreshed = await h.newManager(later(50 * MIN)).accessToken('acme');
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(h.sandbox.knobs.count('sso-oidc:CreateToken')).toBe(2);
    expect(h.opened).toHaveLength(1); // no second sign-in
    const recordAfter = JSON.parse((await h.secrets.get('sso-token/acme')) ?? '{}') as { refreshToken: string };
    expect(recordAfter.refreshToken).not.toBe(recordBefore.refreshToken);

    // Everyone now gets the refreshed token, without another refresh; and it works at the portal.
    expect((await h.manager.accessToken('acme')).accessToken).toBe(refreshed.accessToken);
    expect(h.sandbox.knobs.count('sso-oidc:CreateToken')).toBe(2);
    expect((await h.manager.sync('acme')).roles).toBe(6);
  });

  it('keeps handing out a still-valid token while AWS cannot be reached for a refresh', async () => {
    await signInAcme();
    const first = await h.manager.accessToken('acme');
    h.sandbox.knobs.set({ faults: [{ operation: 'sso-oidc:CreateToken', kind: 'unavailable', count: 100 }] });
    expect((await h.newManager(later(50 * MIN)).accessToken('acme')).accessToken).toBe(first.accessToken);
  });

  it('when AWS refuses the refresh (invalid_grant), the instance shows "sign in again"', async () => {
    await signInAcme();
    const { accessToken } = await h.manager.accessToken('acme');
    h.sandbox.state.clockOffsetMs += 9 * 3600_000; // the 8-hour sign-in session is over
    const m = h.newManager(later(9 * 3600_000));
    const err = await failure(m.accessToken('acme'));
    expect(err).toBeInstanceOf(RolecallError);
    expect(err?.code).toBe('sign-in-required');
    expect(describeError(err)).toBe('the Identity Center sign-in for acme has ended (invalid_grant); sign in again; run: rolecall login sso acme');
    expect(describeError(err)).not.toContain(accessToken);
    expect(await m.status('acme')).toEqual({ state: 'sign-in-required' });
    // Nothing left to retry: the next request says the same without calling AWS.
    const calls = h.sandbox.knobs.count('sso-oidc:CreateToken');
    expect((await failure(m.accessToken('acme')))?.code).toBe('sign-in-required');
    expect(h.sandbox.knobs.count('sso-oidc:CreateToken')).toBe(calls);
  });

  it('when AWS refuses the refresh, a token `aws sso login` left in the AWS CLI cache is used instead', async () => {
    await signInAcme();
    h.sandbox.state.clockOffsetMs += 9 * 3600_000;
    const expiresAt = new Date(Date.now() + 10 * 3600_000);
    await writeAwsCliToken(h.paths.awsSsoCacheDir, { name: 'acme', startUrl: ACME, region: 'us-east-1' }, { accessToken: 'from-aws-sso-login', expiresAt });
    const m = h.newManager(later(9 * 3600_000));
    expect(await m.accessToken('acme')).toEqual({ accessToken: 'from-aws-sso-login', expiresAt: new Date(formatCacheTimestamp(expiresAt)) });
    expect(await h.secrets.get('sso-token/acme')).toBeNull(); // the refused sign-in is gone all the same
    expect(await m.status('acme')).toMatchObject({ state: 'signed-in', source: 'aws-cli' });
  });

  it('a sync the portal refuses (UnauthorizedException) leaves the instance in "sign in again", not signed in', async () => {
    await signInAcme();
    const { accessToken } = await h.manager.accessToken('acme');
    await (await createPortalClient('us-east-1', h.env)).logout(accessToken); // ended elsewhere, e.g. by an admin
    const err = await failure(h.manager.sync('acme'));
    expect(err?.code).toBe('sign-in-required');
    expect(describeError(err)).toBe('the Identity Center portal no longer accepts the sign-in for acme; sign in again; run: rolecall login sso acme');
    expect(await h.secrets.get('sso-token/acme')).toBeNull();
    expect(await h.manager.status('acme')).toEqual({ state: 'sign-in-required' });
    expect((await failure(h.manager.sync('acme')))?.hint).toBe('run: rolecall login sso acme');
  });

  it('an expired client registration also asks for a new sign-in, without calling AWS', async () => {
    await signInAcme();
    const record = JSON.parse((await h.secrets.get('sso-token/acme')) ?? '{}') as Record<string, string>;
    await h.secrets.set('sso-token/acme', JSON.stringify({ ...record, registrationExpiresAt: new Date(Date.now() - 1000).toISOString() }));
    const err = await failure(h.newManager(later(2 * 3600_000)).accessToken('acme'));
    expect(err?.code).toBe('sign-in-required');
    expect(err?.message).toBe("Rolecall's client registration for acme has expired; sign in again");
    expect(h.sandbox.knobs.count('sso-oidc:CreateToken')).toBe(1);
  });
});

describe('one sign-in per instance', () => {
  it('100 simultaneous requests from 4 processes, with no token, cause exactly one device-code sign-in', async () => {
    await h.state.update((s) => void s.ssoSessions.push({ name: 'acme', startUrl: ACME, region: 'us-east-1' }));
    const script = fileURLToPath(new URL('./token-client.ts', import.meta.url));
    let stderr = '';
    const runs = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, 'acme', '25'], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise<string[]>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`token-client exited ${code}: ${stderr}`)))),
      );
    });
    const lines: string[] = [];
    let digests: string[] = [];
    const watcher = setInterval(() => lines.splice(0, lines.length, ...stderr.split('\n')), 20);
    try {
      await approve(await printedDeviceUrl(lines, 30_000), { userName: 'alice@acme.example', password: 'correct horse' });
      digests = (await Promise.all(runs)).flat();
      expect(digests).toHaveLength(100);
      expect(new Set(digests).size).toBe(1);
    } finally {
      clearInterval(watcher);
    }
    expect(h.sandbox.knobs.count('sso-oidc:StartDeviceAuthorization')).toBe(1);
    expect(stderr.match(/enter the code/g)).toHaveLength(1);
    // And it is the token this process finds too.
    expect(sha((await h.manager.accessToken('acme')).accessToken)).toBe(digests[0]);
  }, 60_000);
});

describe('instances side by side, and logout', () => {
  it('keeps each instance apart, and logout ends only the one named', async () => {
    await signInAcme();
    const other = h.newManager({ io: { openBrowser: approvingBrowser(BOB) } });
    await other.login({ startUrl: OTHER, region: 'eu-west-1', name: 'other' });
    await h.manager.sync('acme');
    const acmeToken = (await h.manager.accessToken('acme')).accessToken;
    const otherToken = (await h.manager.accessToken('other')).accessToken;
    expect(acmeToken).not.toBe(otherToken);

    expect(await h.manager.logout('acme')).toEqual(['acme']);
    expect(h.sandbox.knobs.count('sso:Logout')).toBe(1);
    expect(await h.secrets.get('sso-token/acme')).toBeNull();
    expect(await h.manager.status('acme')).toEqual({ state: 'sign-in-required' });
    expect((await h.manager.status('other')).state).toBe('signed-in');
    // acme's synced profiles had their sessions ended; the portal no longer takes the old token.
    expect(h.forgotten.sort()).toEqual((await h.state.load()).profiles.map((p) => p.name).sort());
    const portal = await createPortalClient('us-east-1', h.env);
    expect(await portal.listAccounts(acmeToken).catch((e: Error) => e.name)).toBe('UnauthorizedException');
    expect((await failure(h.manager.sync('acme')))?.hint).toBe('run: rolecall login sso acme');
  });
});

describe('through the core', () => {
  it('a synced profile gets role credentials from the broker until logout ends its session', async () => {
    const { createCore } = await import('../../../src-main/core/core');
    const core = await createCore({ env: h.env, ssoIo: { print: () => undefined, browserAvailable: () => true, openBrowser: approvingBrowser() } });
    await core.sso.login({ startUrl: ACME, region: 'us-east-1' });
    await core.sso.sync('acme');
    const creds = await core.broker.credentials('team-0001/Developer');
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(h.sandbox.state.credentials.get(creds.accessKeyId)?.roleArn).toMatch(/:role\/.*Developer/);

    await core.sso.logout('acme');
    const err = await failure(core.broker.credentials('team-0001/Developer'));
    expect(err?.code).toBe('sign-in-required');
    expect(err?.hint).toBe('run: rolecall login sso acme');
  });

  it('a token the portal refuses when fetching role credentials leaves the instance in "sign in again"', async () => {
    const { createCore } = await import('../../../src-main/core/core');
    const core = await createCore({ env: h.env, ssoIo: { print: () => undefined, browserAvailable: () => true, openBrowser: approvingBrowser() } });
    await core.sso.login({ startUrl: ACME, region: 'us-east-1' });
    await core.sso.sync('acme');
    // The sign-in ends at AWS behind Rolecall's back (an administrator revoked it, or it timed out).
    const portal = await createPortalClient('us-east-1', h.env);
    await portal.logout((await core.sso.accessToken('acme')).accessToken);
    const err = await failure(core.broker.credentials('team-0001/Developer'));
    expect(err?.code).toBe('sign-in-required');
    expect(err?.hint).toBe('run: rolecall login sso acme');
    expect(await core.sso.status('acme')).toEqual({ state: 'sign-in-required' });
  });
});
