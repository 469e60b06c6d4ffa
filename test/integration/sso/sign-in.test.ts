// Signing in to IAM Identity Center against the sandbox, with the test as the person at the
// browser: PKCE by default, the device code on request or without a browser, and the ways a
// sign-in ends without tokens (denied, expired, polled too fast).
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RolecallError } from '../../../src-main/core/errors';
import { approve, deny } from '../../sandbox/browser';
import { ACME, ALICE, orgOf, printedDeviceUrl, startSsoHarness, type SsoHarness } from './harness';

let h: SsoHarness;
beforeEach(async () => {
  h = await startSsoHarness(orgOf(2));
});
afterEach(() => h.close());

const rejection = async (p: Promise<unknown>): Promise<RolecallError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof RolecallError) return e;
    throw e;
  }
  throw new Error('expected a RolecallError');
};

describe('PKCE sign-in', () => {
  it('opens the authorize URL, catches the redirect on 127.0.0.1 and keeps the tokens in the keychain only', async () => {
    const res = await h.manager.login({ startUrl: ACME, region: 'us-east-1' });
    expect(res).toMatchObject({ name: 'acme', flow: 'pkce' });
    expect(h.opened).toHaveLength(1);
    const url = new URL(h.opened[0] ?? '');
    expect(url.origin + url.pathname).toBe(`${h.sandbox.url}/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);

    const status = await h.manager.status('acme');
    expect(status.state).toBe('signed-in');
    const { accessToken } = await h.manager.accessToken('acme');
    // The token is real: the portal lists alice's 2 accounts x 3 roles with it.
    expect((await h.manager.sync('acme')).roles).toBe(6);
    expect(await h.secrets.get('sso-token/acme')).toContain(accessToken);
    const stateText = await readFile(h.paths.stateFile, 'utf8');
    expect(stateText).toContain(ACME);
    expect(stateText).not.toContain(accessToken);
    expect(h.printed.join('\n')).not.toContain(accessToken);
  });

  it('refuses a redirect whose state is not its own, and finishes with the real one', async () => {
    let forged = 0;
    const m = h.newManager({
      io: {
        openBrowser: async (url) => {
          const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
          const res = await fetch(`${redirectUri}?code=attacker-code&state=not-the-state`);
          forged = res.status;
          void approve(url, ALICE);
        },
      },
    });
    await m.login({ startUrl: ACME, region: 'us-east-1' });
    expect(forged).toBe(400);
    expect(h.sandbox.knobs.count('sso-oidc:CreateToken')).toBe(1);
  });

  it('with --no-browser prints the URL instead of opening it', async () => {
    const m = h.newManager({ io: { openBrowser: async () => Promise.reject(new Error('must not open')) } });
    const login = m.login({ startUrl: ACME, region: 'us-east-1', noBrowser: true });
    let url: string | undefined;
    while (!url) {
      url = h.printed.find((l) => l.includes('/authorize?'));
      await new Promise((r) => setTimeout(r, 10));
    }
    await approve(url, ALICE);
    expect((await login).flow).toBe('pkce');
  });

  it('a denied sign-in leaves no tokens and no half-made instance', async () => {
    const m = h.newManager({ io: { openBrowser: async (url) => void deny(url, ALICE).catch(() => undefined) } });
    const err = await rejection(m.login({ startUrl: ACME, region: 'us-east-1' }));
    expect(err.code).toBe('access-denied');
    expect(await h.secrets.get('sso-token/acme')).toBeNull();
    expect((await h.state.load()).ssoSessions).toEqual([]);
  });

  it('falls back to a device code when the browser cannot be opened', async () => {
    const m = h.newManager({ io: { openBrowser: async () => Promise.reject(new Error('xdg-open: no method available')) } });
    const login = m.login({ startUrl: ACME, region: 'us-east-1' });
    await approve(await printedDeviceUrl(h.printed), ALICE);
    expect((await login).flow).toBe('device');
  });

  it('signs in afresh when asked again, reusing the cached client registration', async () => {
    const first = await h.manager.login({ startUrl: ACME, region: 'us-east-1' });
    const before = (await h.manager.accessToken('acme')).accessToken;
    const again = await h.manager.login({ name: first.name });
    expect(h.opened).toHaveLength(2);
    expect((await h.manager.accessToken('acme')).accessToken).not.toBe(before);
    expect(again.name).toBe('acme');
    expect(h.sandbox.knobs.count('sso-oidc:RegisterClient')).toBe(1);
  });
});

describe('device-code sign-in', () => {
  it('prints the verification URL and user code, and finishes once the person approves', async () => {
    const login = h.manager.login({ startUrl: ACME, region: 'us-east-1', deviceCode: true, noBrowser: true });
    await approve(await printedDeviceUrl(h.printed), ALICE);
    expect((await login).flow).toBe('device');
    expect(h.printed.join('\n')).toMatch(/open https?:\/\/\S+\/device and enter the code: [A-Z0-9-]+/);
    expect((await h.manager.status('acme')).state).toBe('signed-in');
  });

  it('polls at the interval AWS gives and 5 s slower after each slow_down', async () => {
    const sleeps: number[] = [];
    const m = h.newManager({
      io: {
        // The first two polls come back to back (too fast); from the third on the sandbox clock moves as asked.
        sleep: async (ms) => {
          sleeps.push(ms);
          if (sleeps.length < 3) return;
          if (sleeps.length === 3) await approve(await printedDeviceUrl(h.printed), ALICE);
          h.sandbox.state.clockOffsetMs += ms;
        },
      },
    });
    expect((await m.login({ startUrl: ACME, region: 'us-east-1', deviceCode: true, noBrowser: true })).flow).toBe('device');
    expect(sleeps).toEqual([1000, 1000, 6000]);
  });

  it('gives up cleanly when the code expires unapproved', async () => {
    const m = h.newManager({ io: { sleep: async (ms) => void (h.sandbox.state.clockOffsetMs += Math.max(ms, 30_000)) } });
    const err = await rejection(m.login({ startUrl: ACME, region: 'us-east-1', deviceCode: true, noBrowser: true }));
    expect(err.message).toBe('the sign-in code expired before it was approved');
    expect(err.hint).toBe('run: rolecall login sso acme');
    expect(await h.secrets.get('sso-token/acme')).toBeNull();
    expect((await h.state.load()).ssoSessions).toEqual([]);
  });

  it('stops when the person denies access', async () => {
    const login = h.manager.login({ startUrl: ACME, region: 'us-east-1', deviceCode: true, noBrowser: true });
    await deny(await printedDeviceUrl(h.printed), ALICE);
    const err = await rejection(login);
    expect(err.code).toBe('access-denied');
    expect(err.message).toBe('the sign-in was denied in the browser');
  });
});
