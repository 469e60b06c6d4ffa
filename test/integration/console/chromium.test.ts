// A real browser (Debian's Chromium, headless, a fresh profile) follows what `rolecall console
// --print` printed and lands on the sandbox's console page as the profile's principal, in its
// region, with permissions. The browser keeps its console session in a cookie, so a second
// account's login is refused until --sign-out-first ends the first session, as AWS does.
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChromium } from '../../helpers/chromium';
import { addAliceWithReadOnly, useCliHarness } from '../cli/harness';

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'eu-west-1'));

const browser = useChromium();

async function consoleUrl(args: string[]): Promise<string> {
  const r = await h().rolecall(['console', ...args, '--print'], { secretOutput: true });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

async function open(page: Page, url: string) {
  const res = await page.goto(url);
  const text = async (id: string) => ((await page.locator(`#${id}`).count()) ? page.locator(`#${id}`).innerText() : undefined);
  return { status: res?.status(), at: new URL(page.url()).pathname, signedIn: await text('signed-in'), permissions: await text('permissions'), message: await text('message') };
}

describe('the printed console URL in Chromium', () => {
  it('signs in as the role or federated user, in the region, with permissions; --sign-out-first replaces the session', { timeout: 60_000 }, async () => {
    const page = await browser().newPage();
    const role = await open(page, await consoleUrl(['dev/ReadOnly', '--destination', 'ec2']));
    expect(role.at).toBe('/console');
    expect(role.signedIn).toMatch(/^Signed in as arn:aws:sts::444455556666:assumed-role\/ReadOnly\/\S+ in eu-west-1$/);
    expect(role.permissions).toBe('Permissions: those of arn:aws:iam::444455556666:role/ReadOnly.');

    // Another account in the same browser: refused while the first console session lasts.
    const refused = await open(page, await consoleUrl(['alice']));
    expect([refused.status, refused.message]).toEqual([400, 'You must first log out before logging into a different AWS account.']);

    const user = await open(page, await consoleUrl(['alice', '--sign-out-first', '--region', 'us-west-2']));
    expect(user.at).toBe('/console');
    expect(user.signedIn).toBe('Signed in as arn:aws:sts::111122223333:federated-user/alice in us-west-2');
    expect(user.permissions).toBe('Permissions: the session policy passed to GetFederationToken, within those of arn:aws:iam::111122223333:user/alice.');
  });
});
