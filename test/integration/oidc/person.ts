// A person at headless Chromium (playwright-core, Debian's /usr/bin/chromium) signing in to the
// sandbox's OIDC IdP as they would: opens the page Rolecall showed (a device verification URL or
// the PKCE authorize URL), confirms the code, types user name and password, presses Allow or Deny,
// and stops when the IdP says the device is signed in or the browser reaches Rolecall's loopback.
// One browser profile per Person: its IdP session cookie lets a second sign-in skip the password.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface Credentials {
  userName: string;
  password: string;
}

export interface SignInResult {
  /** Where the browser ended. */
  url: string;
  /** Whether the password form was shown this time. */
  askedForPassword: boolean;
  /** The page's text at the end. */
  text: string;
}

export class Person {
  private context?: BrowserContext;
  private dir?: string;

  constructor(private readonly who: Credentials) {}

  private async browser(): Promise<BrowserContext> {
    if (this.context) return this.context;
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-oidc-person-'));
    this.context = await chromium.launchPersistentContext(this.dir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    return this.context;
  }

  /** Goes through every page until the sign-in is done; `choice` is what they press on the consent page. */
  async signIn(url: string, choice: 'allow' | 'deny' = 'allow', password = this.who.password): Promise<SignInResult> {
    const page: Page = await (await this.browser()).newPage();
    let askedForPassword = false;
    try {
      await page.goto(url);
      for (let step = 0; step < 10; step++) {
        await page.waitForLoadState();
        const here = new URL(page.url());
        if (here.pathname === '/oauth/callback' || (await page.locator('#done').count())) break;
        if (await page.locator('#confirm').count()) {
          await Promise.all([page.waitForNavigation(), page.click('#confirm')]);
        } else if (await page.locator('#sign-in').count()) {
          if (askedForPassword) break; // the password was refused: leave it to the test to look
          askedForPassword = true;
          await page.fill('#username', this.who.userName);
          await page.fill('#password', password);
          await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
        } else if (await page.locator('#allow').count()) {
          await Promise.all([page.waitForNavigation(), page.click(choice === 'allow' ? '#allow' : '#deny')]);
          if (choice === 'deny') break;
        } else break;
      }
      await page.waitForLoadState();
      return { url: page.url(), askedForPassword, text: await page.innerText('body').catch(() => '') };
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.context?.close();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

export const ALICE: Credentials = { userName: 'alice', password: 'demo-password' };
