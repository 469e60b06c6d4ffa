// The window as a person uses it, in Debian's headless Chromium through the web bridge, against
// the sandbox: first run, Identity Center device sign-in from the window, sync, search, a chained
// profile that asks for its MFA code in place and then ticks, an error on its row, the console,
// the palette and the keyboard, and "sign in again" after the sign-in ended. Screenshots of the
// main views, light and dark, go to test-results/screenshots.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addIamUser } from '../../../src-main/core/iam-users';
import { addProfile } from '../../../src-main/core/profiles';
import { approve } from '../../sandbox/browser';
import { mfaCode } from '../../helpers/harness';
import { repoRoot, startUiWorld, type UiWorld } from './ui-harness';

const shots = path.join(repoRoot, 'test-results/screenshots');
let w: UiWorld;
let ctx: BrowserContext;
let page: Page;
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
const pageErrors: string[] = [];
/** Every API answer the page received (not the event stream, which never ends; the bridge test checks it). */
const answers: Promise<string>[] = [];

async function shoot(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(shots, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Approves the device code the dialog shows, as the person would in the browser the link opens. */
async function approveDialog(): Promise<void> {
  const dialog = page.getByRole('dialog', { name: /Sign in to acme/ });
  await dialog.waitFor();
  const code = (await dialog.getByLabel('User code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const href = (await dialog.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href'))!;
  expect(href).toContain(code);
  const person = w.org.identityCenter[0]!.users[0]!;
  await approve(href, { userName: person.userName, password: person.password });
  await dialog.waitFor({ state: 'detached', timeout: 20_000 });
}

const row = (name: string) => page.locator(`.profile[data-profile="${name}"]`).first();
/** A row's actions besides Start/Refresh show on the row under the mouse (and the selected one), as a user finds them. */
const rowAction = async (name: string, action: string) => {
  await row(name).hover();
  return row(name).getByRole('button', { name: `${action} ${name}` });
};

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  w = await startUiWorld();
  // A fresh profile directory per run: nothing carried over from another run's cookies or storage.
  chrome = await launchChromium({ viewport: { width: 1200, height: 720 } });
  ctx = chrome.context;
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', (r) => {
    if (/\/api\/(?!events)/.test(r.url())) answers.push(r.text().catch(() => ''));
  });
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await w?.close();
});

describe('the window, through the web bridge', () => {
  it('first run: signs in to Identity Center with a device code from the window, then syncs', async () => {
    await page.goto(w.url);
    await page.getByRole('button', { name: /Add IAM Identity Center/ }).first().waitFor();
    // The token leaves the address bar once the page is idle (and is kept for a reload).
    await expect.poll(() => page.url(), { timeout: 5_000 }).not.toContain('token=');
    await shoot('first-run');
    await page.getByRole('button', { name: /Add IAM Identity Center/ }).first().click();
    const form = page.getByRole('form', { name: 'Add IAM Identity Center' });
    await form.getByLabel('Name').fill('acme');
    await form.getByLabel('Start URL').fill(w.org.identityCenter[0]!.startUrl);
    await form.getByLabel('Region').fill('us-east-1');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('dialog', { name: /Sign in to acme/ }).waitFor();
    await shoot('device-code');
    await approveDialog();
    await expect.poll(() => page.locator('.signin').first().textContent(), { timeout: 20_000 }).toMatch(/signed in, (\d+h )?\d+m left/);
    // The sync that follows a first sign-in lists every account and role the sign-in grants.
    await page.getByRole('heading', { name: /acme-prod\s+777788889999/ }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.profile').count()).toBe(5);
    expect(await page.locator('.account').allTextContents()).toEqual(['acme-audit 210987654321 1 profile', 'acme-dev 444455556666 2 profiles', 'acme-prod 777788889999 2 profiles']);
  });

  it('Sync shows its progress in the sign-in, then what it found', async () => {
    // A slow portal, so the progress is there to be seen.
    w.sandbox.knobs.set({ latencyMs: 300 });
    try {
      await page.getByRole('button', { name: 'Sync accounts and roles of acme' }).click();
      await expect.poll(() => page.locator('.signin .progress').textContent(), { timeout: 10_000 }).toMatch(/^\d+ (of \d+ accounts|accounts so far), \d+ roles$/);
      await page.getByText('Synced acme: 3 accounts, 5 roles (0 new, 0 removed)').waitFor({ timeout: 20_000 });
      expect(await page.locator('.signin .progress').count()).toBe(0);
    } finally {
      w.sandbox.knobs.set({ latencyMs: 0 });
    }
  });

  it('search filters as you type (fuzzy over account name, id and role), and Enter starts the first match', async () => {
    const search = page.getByLabel('Search accounts, roles, ids and aliases');
    await search.fill('prod read');
    await expect.poll(() => page.locator('.profile .acct').allTextContents()).toEqual(['acme-prod']);
    await search.fill('7777 power');
    await expect.poll(() => page.locator('.profile .role').allTextContents()).toEqual(['PowerUserAccess']);
    await search.fill('zzzz');
    await page.getByText('No account or role matches').waitFor();
    await search.fill('aud');
    await search.press('Enter');
    await expect.poll(() => row('acme-audit/ReadOnlyAccess').locator('.countdown .left').textContent(), { timeout: 15_000 }).toMatch(/^(59|60)m$/);
    await search.fill('');
  });

  it('a chained profile asks for its MFA code on its row, then its countdown ticks', async () => {
    const alice = w.org.users.find((u) => u.name === 'alice')!;
    const mfa = alice.mfaDevices[0]!;
    await addIamUser(w.core, { name: 'alice', accessKeyId: alice.accessKeys[0]!.accessKeyId, secretAccessKey: alice.accessKeys[0]!.secretAccessKey });
    await addProfile(w.core.state, { kind: 'assume-role', name: 'dev-developer', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer', mfaSerial: mfa.serialNumber, durationSeconds: 7200 });
    await addProfile(w.core.state, { kind: 'assume-role', name: 'prod-deployer', sourceProfile: 'dev-developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer', durationSeconds: 7200 });
    await page.reload();
    await row('prod-deployer').waitFor();
    // Chained under the role it starts from.
    expect(await row('prod-deployer').locator('.tag').textContent()).toBe('chained, 2 role hops, 1h cap');
    await page.getByRole('button', { name: 'Start prod-deployer' }).click();
    const code = page.getByLabel('MFA code for prod-deployer');
    await code.waitFor({ timeout: 15_000 });
    await shoot('mfa-in-place');
    await code.fill(mfaCode(w.sandbox, mfa.serialNumber));
    await code.press('Enter');
    const left = row('prod-deployer').locator('.countdown .left');
    await expect.poll(() => left.textContent(), { timeout: 15_000 }).toMatch(/^(59|60)m$/);
    // AWS's 1-hour cap on role chaining, though 2 hours were asked for.
    expect(await code.count()).toBe(0);
    const fill = row('prod-deployer').locator('.countdown .fill');
    const before = await fill.getAttribute('style');
    await expect.poll(() => fill.getAttribute('style'), { timeout: 3_000 }).not.toBe(before);
    await shoot('sessions');
  });

  it('an error stays on its row and says what failed; the rest of the window keeps working', async () => {
    await addProfile(w.core.state, { kind: 'assume-role', name: 'nowhere', sourceProfile: 'alice', roleArn: 'arn:aws:iam::777788889999:role/NoSuchRole' });
    await page.reload();
    await page.getByRole('button', { name: 'Start nowhere' }).click();
    const alert = page.locator('.row-error');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/AccessDenied|not authorized/);
    expect(await page.locator('.profile').count()).toBeGreaterThan(5);
    await shoot('row-error');
    await page.getByRole('button', { name: 'Dismiss the error of nowhere' }).click();
    expect(await alert.count()).toBe(0);
  });

  it('edits a profile in place: an alias shows at once, is searchable, and is kept', async () => {
    await (await rowAction('acme-audit/ReadOnlyAccess', 'Edit')).click();
    const form = page.getByRole('form', { name: 'Edit acme-audit/ReadOnlyAccess' });
    await form.getByLabel('Alias').fill('auditors');
    await form.getByLabel('Region').fill('eu-west-1');
    await shoot('edit');
    await form.getByLabel('Region').press('Enter');
    await form.waitFor({ state: 'detached' });
    const search = page.getByLabel('Search accounts, roles, ids and aliases');
    await search.fill('auditors');
    await expect.poll(() => page.locator('.profile .role').allTextContents()).toEqual(['auditors']);
    await search.fill('');
    const saved = (await w.core.state.load()).profiles.find((p) => p.name === 'acme-audit/ReadOnlyAccess');
    expect(saved).toMatchObject({ alias: 'auditors', region: 'eu-west-1' });
    // A bad region is refused where it is typed, before the core sees it.
    await (await rowAction('acme-audit/ReadOnlyAccess', 'Edit')).click();
    await form.getByLabel('Region').fill('Europe');
    await form.getByLabel('Region').press('Enter');
    expect(await form.getByLabel('Region').evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('open console opens the sandbox console signed in as the role', async () => {
    const [tab] = await Promise.all([ctx.waitForEvent('page'), (await rowAction('acme-prod/PowerUserAccess', 'Open console for')).click()]);
    await tab!.waitForURL(/\/console\?session=/, { timeout: 20_000 });
    expect(await tab!.locator('#signed-in').textContent()).toMatch(/assumed-role\/AWSReservedSSO_PowerUserAccess_[0-9a-f]+\/|PowerUserAccess/);
    expect(await tab!.locator('#signed-in').textContent()).toContain('777788889999');
    await tab!.close();
  });

  it('the palette (Ctrl+K) runs any action, and the keyboard moves and starts', async () => {
    await page.locator('body').click({ position: { x: 600, y: 700 } });
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('stop prod-dep');
    await shoot('palette');
    await expect.poll(() => palette.getByRole('option').first().textContent()).toBe('Stop prod-deployer');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    await expect.poll(() => row('prod-deployer').locator('.countdown .left').textContent()).toBe('-');

    const search = page.getByLabel('Search accounts, roles, ids and aliases');
    await search.fill('acme-dev');
    await search.press('ArrowDown');
    await search.press('ArrowDown');
    const selected = page.locator('.profile[aria-current="true"]');
    expect(await selected.getAttribute('data-profile')).toBe('acme-dev/ReadOnlyAccess');
    await search.press('Enter');
    await expect.poll(() => row('acme-dev/ReadOnlyAccess').locator('.countdown .left').textContent(), { timeout: 15_000 }).toMatch(/^(59|60)m$/);
    await search.fill('');
  });

  it('after the sign-in ends, the row says so and "Sign in again" signs in from the window', async () => {
    await w.core.sso.logout('acme');
    await page.getByRole('button', { name: 'Start acme-prod/ReadOnlyAccess' }).click();
    await page.locator('.row-error').waitFor({ timeout: 15_000 });
    // Once the sign-ins are read again, the row points at the window's fix instead of the CLI's.
    await expect.poll(() => page.locator('.row-error .msg').textContent()).toBe('not signed in to the Identity Center instance acme.');
    // Marked in the sign-ins column too; the row's own button does the same.
    await page.getByRole('complementary', { name: 'Sign-ins' }).getByRole('button', { name: 'Sign in again to acme' }).waitFor();
    const again = page.locator('.row-error').getByRole('button', { name: 'Sign in again to acme' });
    await shoot('sign-in-again');
    await again.click();
    await approveDialog();
    await expect.poll(() => page.locator('.signin').first().textContent(), { timeout: 20_000 }).toMatch(/signed in, (\d+h )?\d+m left/);
    expect(await page.locator('.row-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Start acme-prod/ReadOnlyAccess' }).click();
    await expect.poll(() => row('acme-prod/ReadOnlyAccess').locator('.countdown .left').textContent(), { timeout: 15_000 }).toMatch(/^(59|60)m$/);
    expect(pageErrors).toEqual([]);
  });

  it('never had a secret in the page: not in any API answer, not in the DOM', async () => {
    // Copying env lines and the credential_process line from the page is among what it received.
    await (await rowAction('acme-prod/ReadOnlyAccess', 'Copy env for')).click();
    await page.getByText(/^Copied the command that sets/).waitFor();
    await (await rowAction('acme-prod/ReadOnlyAccess', 'Copy credential_process line for')).click();
    await page.getByText(/^Copied the credential_process line/).waitFor();
    const alice = w.org.users.find((u) => u.name === 'alice')!.accessKeys[0]!;
    const secrets = [alice.secretAccessKey];
    for (const s of await w.core.broker.sessions()) {
      const c = await w.core.broker.credentials(s.profile);
      secrets.push(c.accessKeyId, c.secretAccessKey, c.sessionToken ?? '');
    }
    const seen = (await Promise.all(answers)).join('\n') + (await page.content());
    expect(answers.length).toBeGreaterThan(20);
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets.filter(Boolean)) expect(seen.includes(secret), `${secret.slice(0, 4)}...`).toBe(false);
  });
}, 120_000);
