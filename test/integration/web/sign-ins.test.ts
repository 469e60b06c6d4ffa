// The window's other sign-ins, settings and first run, as a person uses them in Debian's headless
// Chromium through the web bridge against the sandbox: the first run's three doors (the import
// preview writes nothing until confirmed; the demo's sandbox organization), an OIDC provider added
// and signed in with the device code from the window's dialog and signed in again after its
// sign-in was lost, a SAML integration signed in (and again) with a pasted SAMLResponse, an AWS
// sign-in profile signed in again cross device with the code the sign-in page shows, a new one
// added from the window the same way, and the settings dialog. Screenshots light and dark go to
// test-results/screenshots.
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProfile } from '../../../src-main/core/profiles';
import { writeAwsLoginSecret, SAME_DEVICE_CLIENT_ID } from '../../../src-main/core/login/store';
import { awsLoginEntryName, oidcTokenEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { buildSamlResponse } from '../../sandbox/idp-signing';
import { ALICE, Person } from '../oidc/person';
import { DEMO_ROOT, DEMO_ROOT_ARN, signInAt } from '../login/person';
import { repoRoot, seedDemo, startUiWorld, type UiWorld } from './ui-harness';

const shots = path.join(repoRoot, 'test-results/screenshots');
const DEVELOPER = 'arn:aws:iam::444455556666:role/FederatedDeveloper';
const SAML_ROLE = 'arn:aws:iam::777788889999:role/SamlAdmin';
const SAML_IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';
let w: UiWorld;
let ctx: BrowserContext;
let page: Page;
let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
const pageErrors: string[] = [];
const answers: Promise<string>[] = [];
const secrets: string[] = [];

async function shoot(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(shots, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const column = () => page.getByRole('complementary', { name: 'Sign-ins' });
const item = (label: string) => column().getByRole('listitem', { name: label });

/** Approves the OIDC device code the dialog shows, as alice would in the browser the link opens. */
async function approveOidcDialog(name: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: `Sign in to ${name}` });
  await dialog.waitFor({ timeout: 20_000 });
  const code = (await dialog.getByLabel('User code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  const href = (await dialog.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('href'))!;
  expect(new URL(href).pathname).toBe('/oidc/device');
  const person = new Person(ALICE);
  try {
    await person.signIn(href);
  } finally {
    await person.close();
  }
  await dialog.waitFor({ state: 'detached', timeout: 20_000 });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // The demo's door sets up what `npm run demo:web` seeds.
  let world: UiWorld | undefined;
  w = world = await startUiWorld({
    host: {
      demo: async () => {
        await seedDemo(world!);
        return 'Signed in to the sandbox organization as alice';
      },
    },
  });
  // A fresh profile directory per run: nothing carried over from another run's cookies or storage.
  chrome = await launchChromium({ viewport: { width: 1200, height: 760 } });
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

describe('sign-ins, settings and first run in the window', () => {
  it('first run: the import shows what it would add and writes nothing until confirmed; the demo door sets up the sandbox organization', { timeout: 120_000 }, async () => {
    await writeFile(
      w.env.AWS_CONFIG_FILE!,
      [
        '[sso-session corp-sso]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        '[profile imported-admin]',
        'sso_session = corp-sso',
        'sso_account_id = 111122223333',
        'sso_role_name = Admin',
        '[profile imported-chain]',
        'role_arn = arn:aws:iam::444455556666:role/Developer',
        'source_profile = imported-admin',
        '[profile imported-odd]',
        'credential_source = Ec2InstanceMetadata',
        'role_arn = arn:aws:iam::444455556666:role/Developer',
        '',
      ].join('\n'),
    );
    await page.goto(w.url);
    const doors = page.getByRole('region', { name: 'Get started' });
    await doors.getByRole('button', { name: /Use the sandbox organization/ }).waitFor();
    await doors.getByRole('button', { name: /Add IAM Identity Center/ }).waitFor();
    // The doors alone: no stray text beside them in the list pane (once the sign-ins are read too).
    await expect.poll(() => answers.length, { timeout: 10_000 }).toBeGreaterThan(2);
    expect(await page.getByRole('main').evaluate((m) => [...m.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent))).toEqual([]);
    await shoot('first-run-doors');

    await doors.getByRole('button', { name: /Import from ~\/.aws\/config/ }).click();
    const preview = page.getByRole('region', { name: 'Import from ~/.aws/config' });
    await preview.getByText('imported-chain').waitFor();
    expect(await preview.textContent()).toContain(w.env.AWS_CONFIG_FILE!);
    expect(await preview.locator('ul').first().locator('li').allTextContents()).toEqual(['corp-sso IAM Identity Center', 'imported-admin Identity Center role', 'imported-chain assumed role']);
    expect(await preview.getByText('1 left out').count()).toBe(1);
    await shoot('import-preview');
    // Read-only: nothing in Rolecall yet.
    expect((await w.core.state.load()).profiles).toEqual([]);
    await preview.getByRole('button', { name: 'Cancel' }).click();
    expect((await w.core.state.load()).profiles).toEqual([]);

    await doors.getByRole('button', { name: /Use the sandbox organization/ }).click();
    await item('acme, IAM Identity Center').waitFor({ timeout: 90_000 });
    await expect.poll(() => item('acme, IAM Identity Center').textContent(), { timeout: 30_000 }).toMatch(/signed in, (\d+h )?\d+m left/);
    await page.locator('.profile[data-profile="audit-auditor"]').first().waitFor({ timeout: 30_000 });
    expect(await doors.count()).toBe(0);
  });

  it('imports ~/.aws/config from the sign-ins column after the preview', async () => {
    await column().getByRole('button', { name: 'Import ~/.aws/config' }).click();
    const preview = page.getByRole('dialog', { name: 'Import from ~/.aws/config' });
    await preview.getByText('imported-admin').waitFor();
    await preview.getByRole('button', { name: 'Import' }).click();
    await preview.waitFor({ state: 'detached' });
    const names = (await w.core.state.load()).profiles.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['imported-admin', 'imported-chain']));
    expect(names).not.toContain('imported-odd');
    await page.locator('#search').fill('imported-admin');
    await page.locator('.profile[data-profile="imported-admin"]').first().waitFor();
    await page.locator('#search').fill('');
  });

  it('adds an OIDC provider and signs in with the device code from the window; signs in again once the sign-in is gone', { timeout: 120_000 }, async () => {
    await column().getByRole('button', { name: '+ Add sign-in' }).click();
    await column().getByRole('radio', { name: 'OIDC' }).click();
    const form = page.getByRole('form', { name: 'Add an OIDC provider' });
    await form.getByLabel('Name').fill('corp-oidc');
    await form.getByLabel('Issuer').fill(`${w.sandbox.url}/oidc`);
    await form.getByLabel('Client id').fill('rolecall-desktop');
    // A bad ARN is refused in place, and nothing is added.
    await form.getByLabel(/Role ARNs/).fill('arn:aws:iam::4444:role/Nope');
    await form.getByRole('button', { name: 'Add and sign in' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/^Role ARNs: /);
    await shoot('oidc-add');
    expect((await w.core.state.load()).oidcIntegrations).toEqual([]);

    await form.getByLabel(/Role ARNs/).fill(DEVELOPER);
    await form.getByRole('button', { name: 'Add and sign in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in to corp-oidc' });
    await dialog.waitFor({ timeout: 20_000 });
    await shoot('oidc-device-code');
    await approveOidcDialog('corp-oidc');
    const oidc = item('corp-oidc, OIDC');
    await expect.poll(() => oidc.textContent(), { timeout: 20_000 }).toMatch(/signed in, (\d+h )?\d+m left/);
    await page.locator('.profile[data-profile="corp-oidc/FederatedDeveloper"]').first().waitFor();
    const record = await w.core.secrets.get(oidcTokenEntryName('corp-oidc'));
    expect(record).toBeTruthy();
    secrets.push(...Object.values(JSON.parse(record!) as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length > 40));

    // The sign-in is gone (signed out elsewhere): the window says so and signs in again.
    await w.core.secrets.delete(oidcTokenEntryName('corp-oidc'));
    await page.reload();
    await expect.poll(() => oidc.textContent(), { timeout: 20_000 }).toContain('signed out: sign in again');
    await oidc.getByRole('button', { name: 'Sign in again to corp-oidc with a device code' }).click();
    await approveOidcDialog('corp-oidc');
    await expect.poll(() => oidc.textContent(), { timeout: 20_000 }).toMatch(/signed in, (\d+h )?\d+m left/);
    expect(await w.core.secrets.get(oidcTokenEntryName('corp-oidc'))).toBeTruthy();
  });

  it('adds a SAML integration and signs in with a pasted SAMLResponse; a bad one is refused in place', { timeout: 60_000 }, async () => {
    await column().getByRole('button', { name: '+ Add sign-in' }).click();
    await column().getByRole('radio', { name: 'SAML' }).click();
    const form = page.getByRole('form', { name: 'Add a SAML identity provider' });
    await form.getByLabel('Name').fill('corp');
    await form.getByLabel('IdP sign-in URL').fill(`${w.sandbox.url}/saml-idp/corp-idp/sso`);
    await form.getByRole('button', { name: 'Add' }).click();
    const saml = item('corp, SAML');
    await expect.poll(() => saml.textContent(), { timeout: 10_000 }).toContain('no live session: sign in again');

    const signIn = async () => {
      await saml.getByRole('button', { name: /Sign in (again )?to corp with a SAMLResponse/ }).click();
      return saml.getByRole('form', { name: 'Sign in to corp with a SAMLResponse' });
    };
    let paste = await signIn();
    await paste.getByLabel(/SAMLResponse/).fill('this is not <base64>');
    await paste.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => paste.getByRole('alert').textContent()).toBe('a SAMLResponse is base64');
    // Well-formed base64 but no assertion: the core's one-line reason, in place.
    await paste.getByLabel(/SAMLResponse/).fill(Buffer.from('<nope/>').toString('base64'));
    await paste.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => saml.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/SAML/);
    await shoot('saml-error');

    const response = buildSamlResponse({ roles: [`${SAML_ROLE},${SAML_IDP}`], roleSessionName: 'alice', sessionDuration: 3600, issueInstant: w.sandbox.state.now() });
    secrets.push(response);
    // The form stayed open after the refusal, emptied.
    expect(await paste.getByLabel(/SAMLResponse/).inputValue()).toBe('');
    await paste.getByLabel(/SAMLResponse/).fill(response);
    await paste.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => saml.textContent(), { timeout: 20_000 }).toMatch(/roles live, (\d+h )?\d+m left/);
    await page.locator('.profile[data-profile="corp/SamlAdmin"]').first().waitFor();
    await shoot('saml-signed-in');
    // Its own countdown ticks: the words change as the session's end nears (59m -> 58m takes a minute, so compare seconds-precise expiry).
    const live = (await w.api.listSignIns()).find((s) => s.kind === 'saml')!;
    expect(Date.parse(live.expiresAt!)).toBeGreaterThan(Date.now() + 50 * 60_000);

    // Signed out (its session stopped): "sign in again" again, and it works.
    await w.api.stopSession('corp/SamlAdmin');
    await page.reload();
    await expect.poll(() => saml.textContent(), { timeout: 10_000 }).toContain('no live session: sign in again');
    paste = await signIn();
    await paste.getByLabel(/SAMLResponse/).fill(buildSamlResponse({ roles: [`${SAML_ROLE},${SAML_IDP}`], roleSessionName: 'alice', sessionDuration: 3600, issueInstant: w.sandbox.state.now() }));
    await paste.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => saml.textContent(), { timeout: 20_000 }).toMatch(/roles live, (\d+h )?\d+m left/);
  });

  it('shows an AWS sign-in profile as signed in; once its refresh token is gone, signs in again with the code the sign-in page shows', { timeout: 60_000 }, async () => {
    await addProfile(w.core.state, { kind: 'aws-login', name: 'me', loginSession: 'arn:aws:iam::123456789012:user/alice', region: 'us-east-1' });
    await writeAwsLoginSecret(w.core.secrets, 'me', {
      loginSession: 'arn:aws:iam::123456789012:user/alice',
      clientId: SAME_DEVICE_CLIENT_ID,
      refreshToken: 'refresh-token-that-must-stay-in-the-core',
      dpopKey: '-----BEGIN EC PRIVATE KEY-----\nnot-a-key\n-----END EC PRIVATE KEY-----',
      signInRegion: 'us-east-1',
    });
    secrets.push('refresh-token-that-must-stay-in-the-core');
    await page.reload();
    const me = item('me, AWS sign-in');
    await expect.poll(() => me.textContent(), { timeout: 10_000 }).toContain('signed in (renews on use)');
    await w.core.secrets.delete(awsLoginEntryName('me'));
    await page.reload();
    await expect.poll(() => me.textContent(), { timeout: 10_000 }).toContain('signed out: sign in again');

    await me.getByRole('button', { name: 'Sign in again to AWS as me' }).click();
    const form = me.getByRole('form', { name: 'Sign in to AWS as me' });
    const href = (await form.getByRole('link', { name: 'Open the AWS sign-in page' }).getAttribute('href'))!;
    expect(new URL(href).pathname).toBe('/v1/authorize');
    await shoot('aws-sign-in');
    // A code from another sign-in is refused in place, and nothing is stored.
    await form.getByLabel('Code from the sign-in page').fill('not-a-code');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => me.getByRole('alert').textContent(), { timeout: 10_000 }).toBeTruthy();
    expect(await w.core.secrets.get(awsLoginEntryName('me'))).toBeNull();

    await me.getByRole('button', { name: 'Sign in again to AWS as me' }).click();
    const again = (await form.getByRole('link', { name: 'Open the AWS sign-in page' }).getAttribute('href'))!;
    const { verificationCode } = await signInAt(again, DEMO_ROOT);
    expect(verificationCode).toBeTruthy();
    await form.getByLabel('Code from the sign-in page').fill(verificationCode!);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => me.textContent(), { timeout: 20_000 }).toContain('signed in (renews on use)');
    const stored = JSON.parse((await w.core.secrets.get(awsLoginEntryName('me')))!) as { loginSession: string; refreshToken: string };
    expect(stored.loginSession).toBe(DEMO_ROOT_ARN);
    secrets.push(stored.refreshToken);
    expect(await me.textContent()).toContain('111122223333');
    await shoot('sign-ins-all');
  });

  it('adds an AWS sign-in from the window: a taken name or a bad region is refused in place, then the code from the sign-in page makes the profile', { timeout: 60_000 }, async () => {
    await column().getByRole('button', { name: '+ Add sign-in' }).click();
    await column().getByRole('radio', { name: 'AWS sign-in' }).click();
    const form = page.getByRole('form', { name: 'Add an AWS sign-in' });
    await form.getByLabel('Profile name').fill('root-acct');
    await form.getByLabel('Region').fill('Virginia');
    await form.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe('Region: a region looks like us-east-1');
    // A profile of another kind keeps its name; said before the trip to the sign-in page.
    await form.getByLabel('Profile name').fill('corp/SamlAdmin');
    await form.getByLabel('Region').fill('us-east-1');
    await form.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe("profile 'corp/SamlAdmin' already exists and is not an AWS sign-in (it is saml-role); choose another name");

    await form.getByLabel('Profile name').fill('root-acct');
    await form.getByRole('button', { name: 'Continue' }).click();
    const code = column().getByRole('form', { name: 'Sign in to AWS as root-acct' });
    const href = (await code.getByRole('link', { name: 'Open the AWS sign-in page' }).getAttribute('href'))!;
    expect(new URL(href).pathname).toBe('/v1/authorize');
    await shoot('aws-sign-in-add');
    const { verificationCode } = await signInAt(href, DEMO_ROOT);
    await code.getByLabel('Code from the sign-in page').fill(verificationCode!);
    await code.getByRole('button', { name: 'Sign in' }).click();
    const added = item('root-acct, AWS sign-in');
    await expect.poll(() => added.textContent(), { timeout: 20_000 }).toContain('signed in (renews on use)');
    // Its profile is in the list (found by search: the list shows only the rows on screen).
    await page.getByLabel('Search accounts, roles, ids and aliases').fill('root-acct');
    await page.locator('.profile[data-profile="root-acct"]').first().waitFor({ timeout: 10_000 });
    await page.getByLabel('Search accounts, roles, ids and aliases').fill('');
    expect((await w.core.state.load()).profiles.find((p) => p.name === 'root-acct')).toMatchObject({ kind: 'aws-login', region: 'us-east-1', loginSession: DEMO_ROOT_ARN });
    const stored = JSON.parse((await w.core.secrets.get(awsLoginEntryName('root-acct')))!) as { refreshToken: string };
    secrets.push(stored.refreshToken);
    expect(await column().getByRole('form', { name: 'Add an AWS sign-in' }).count()).toBe(0);
  });

  it('settings: a bad value is refused in place; good ones land in the state file and show when reopened', async () => {
    await column().getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const margin = dialog.getByLabel(/Refresh sessions this many minutes/);
    await expect.poll(() => margin.inputValue()).toBe('15');
    await margin.fill('90');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^Refresh margin: /);
    await dialog.getByLabel(/Profile name template/).fill('{account}/{roleName}');
    await margin.fill('20');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^Profile name template: use only /);
    await shoot('settings-error');
    expect((await w.core.state.load()).settings.refreshAheadSeconds).toBe(900);

    await dialog.getByLabel(/Profile name template/).fill('{accountId}-{roleName}');
    await dialog.getByLabel(/Console session length/).fill('60');
    await dialog.getByLabel(/browser command/).fill('firefox');
    await dialog.getByLabel(/Keep Rolecall's profiles/).uncheck();
    await dialog.getByLabel(/Start Rolecall when I log in/).check();
    await shoot('settings');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await w.core.state.load()).settings).toMatchObject({
      refreshAheadSeconds: 1200,
      profileNameTemplate: '{accountId}-{roleName}',
      consoleDurationSeconds: 3600,
      consoleBrowser: 'firefox',
      writeAwsConfig: false,
      launchAtLogin: true,
    });
    await page.reload();
    await column().getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Settings' }).getByLabel(/Refresh sessions/).inputValue()).toBe('20');
    expect(await page.getByRole('dialog', { name: 'Settings' }).getByLabel(/Start Rolecall when I log in/).isChecked()).toBe(true);
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Cancel' }).click();
  });

  it('no secret reached the page, and the page threw nothing', async () => {
    const seen = (await Promise.all(answers)).join('\n') + (await page.content());
    expect(secrets.length).toBeGreaterThan(2);
    for (const s of secrets) expect(seen).not.toContain(s);
    expect(pageErrors).toEqual([]);
  });
});
