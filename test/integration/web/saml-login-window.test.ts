// SAML sign-in from the window as the desktop app offers it: "Sign in" opens the app's login
// window (here the host's captureSamlResponse, Electron's part, answers with the IdP's post as the
// sandbox IdP would make it), the column says the sign-in is under way, and the SAMLResponse goes
// to the core only: it never reaches the page. Closing the window puts the column back as it was.
// The web bridge's own face has no login window: it says so and keeps the paste.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Page } from 'playwright-core';
import { createRolecallApi } from '../../../src-main/core/api';
import { RolecallError } from '../../../src-main/core/errors';
import { buildSamlResponse } from '../../sandbox/idp-signing';
import { useChromium } from '../../helpers/chromium';
import { repoRoot, startUiWorld, type UiWorld } from './ui-harness';

const shots = path.join(repoRoot, 'test-results/screenshots');

const SAML_ROLE = 'arn:aws:iam::777788889999:role/SamlAdmin';
const SAML_IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';

let w: UiWorld;
const captured: string[] = [];
const asked: string[] = [];
// The login window stays open until the test lets the person finish (or close it).
let finish: ((outcome: 'post' | 'closed') => void) | undefined;

beforeAll(async () => {
  w = await startUiWorld({
    host: {
      captureSamlResponse: async (name) => {
        asked.push(name);
        const outcome = await new Promise<'post' | 'closed'>((r) => (finish = r));
        if (outcome === 'closed') throw new RolecallError("the sign-in window of 'corp' was closed before the sign-in finished", 'sign-in-required');
        const response = buildSamlResponse({ roles: [`${SAML_ROLE},${SAML_IDP}`], roleSessionName: 'alice', sessionDuration: 3600, issueInstant: w.sandbox.state.now() });
        captured.push(response);
        return response;
      },
    },
  });
  await w.api.addSaml({ name: 'corp', url: `${w.sandbox.url}/saml-idp/corp-idp/sso` });
}, 60_000);

afterAll(async () => {
  await w?.close();
});

const browser = useChromium({ viewport: { width: 1200, height: 760 } });

async function open(): Promise<{ page: Page; bodies: Promise<string>[] }> {
  const page = browser().pages()[0] ?? (await browser().newPage());
  const bodies: Promise<string>[] = [];
  page.on('response', (r) => {
    if (/\/api\/(?!events)/.test(r.url())) bodies.push(r.text().catch(() => ''));
  });
  page.on('request', (r) => bodies.push(Promise.resolve(r.postData() ?? '')));
  await page.goto(w.url);
  return { page, bodies };
}

describe('SAML sign-in in the login window', () => {
  it('signs in from the window without the SAMLResponse ever reaching the page; a closed window leaves it signed out', { timeout: 60_000 }, async () => {
    const { page, bodies } = await open();
    const saml = page.getByRole('complementary', { name: 'Sign-ins' }).getByRole('listitem', { name: 'corp, SAML' });
    await expect.poll(() => saml.textContent(), { timeout: 10_000 }).toContain('no live session: sign in again');
    // No role yet: the list pane says what to do instead of staying blank.
    const empty = page.getByRole('main', { name: 'Accounts and roles' }).getByRole('status');
    expect(await empty.textContent()).toBe('No accounts or roles yet. Sign in to corp (on the left) to see the accounts and roles it gives you.');

    // Closed before the IdP posted: the column is back to "sign in again", with the reason in place.
    await saml.getByRole('button', { name: 'Sign in again to corp in the login window' }).click();
    await expect.poll(() => saml.textContent(), { timeout: 10_000 }).toContain('in the login window…');
    finish!('closed');
    await expect.poll(() => saml.getByRole('alert').textContent(), { timeout: 10_000 }).toContain("the sign-in window of 'corp' was closed");
    await expect.poll(() => saml.textContent(), { timeout: 10_000 }).toContain('no live session: sign in again');

    await saml.getByRole('button', { name: 'Sign in again to corp in the login window' }).click();
    await expect.poll(() => saml.textContent(), { timeout: 10_000 }).toContain('in the login window…');
    expect(await empty.textContent()).toBe('No accounts or roles yet. Signing in to corp: its accounts and roles show here once that is done.');
    mkdirSync(shots, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(shots, `saml-login-window-${scheme}.png`) });
    }
    finish!('post');
    await expect.poll(() => saml.textContent(), { timeout: 20_000 }).toMatch(/roles live, (\d+h )?\d+m left/);
    await page.locator('.profile[data-profile="corp/SamlAdmin"]').first().waitFor();
    expect(await empty.count()).toBe(0);
    expect(asked).toEqual(['corp', 'corp']);
    expect(captured).toHaveLength(1);
    // The paste stays for an assertion captured elsewhere.
    await expect.poll(() => saml.getByRole('button', { name: 'Sign in to corp with a SAMLResponse' }).textContent(), { timeout: 10_000 }).toBe('Paste a SAMLResponse');

    const seen = (await Promise.all(bodies)).join('\n') + (await page.content());
    expect(seen).not.toContain(captured[0]!.slice(0, 200));
    expect(seen).not.toContain(captured[0]!.slice(-200));
  });

  it('the web bridge has no login window: it says so, and its window offers the paste', async () => {
    const bridgeApi = createRolecallApi(w.core, { env: w.env });
    expect(await bridgeApi.appInfo()).toEqual({ demo: false, samlLoginWindow: false, cliLink: false });
    await expect(bridgeApi.signInSamlWindow('corp')).rejects.toMatchObject({ code: 'invalid-input', message: "the SAML login window is the desktop app's" });
    expect(await w.api.appInfo()).toEqual({ demo: false, samlLoginWindow: true, cliLink: false });
    await expect(w.api.signInSamlWindow('nope')).rejects.toMatchObject({ code: 'not-found' });
    expect(asked).toEqual(['corp', 'corp']);
  });
});
