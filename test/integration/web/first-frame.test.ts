// The window's first frame, in Debian's headless Chromium through the web bridge: when the core
// answers at once, the window appears with its list (not an empty window that the list then
// fills); when the core is slow, the window does not stay blank waiting for it.
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RolecallApi } from '../../../src-shared/api';
import { startWebBridge, type WebBridge } from '../../../src-main/web/server';
import { useChromium } from '../../helpers/chromium';
import { ensureRenderer, startUiWorld, type UiWorld } from './ui-harness';

const chromium = useChromium({ viewport: { width: 1200, height: 720 } });
let w: UiWorld | undefined;
let slowBridge: WebBridge | undefined;

afterEach(async () => {
  await slowBridge?.close();
  slowBridge = undefined;
  await w?.close();
  w = undefined;
});

async function world(): Promise<UiWorld> {
  w = await startUiWorld();
  await w.core.state.update((s) => {
    s.ssoSessions.push({ name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1' });
    for (const roleName of ['AdministratorAccess', 'ReadOnlyAccess']) s.profiles.push({ kind: 'sso-role', name: `acme-prod/${roleName}`, ssoSession: 'acme', accountId: '777788889999', accountName: 'acme-prod', roleName, synced: true });
  });
  return w;
}

/** Opens the window and says, for the moment its header first appeared and for when its first row did, the time and how many rows there were. */
async function open(page: Page, url: string): Promise<{ header: { at: number; rows: number }; firstRow: number }> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as { __header?: { at: number; rows: number }; __firstRow?: number };
    new MutationObserver((_m, obs) => {
      if (!g.__header && document.querySelector('header')) g.__header = { at: performance.now(), rows: document.querySelectorAll('.profile').length };
      if (document.querySelector('.profile')) {
        g.__firstRow = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator('.profile').first().waitFor();
  return page.evaluate(() => {
    const g = globalThis as unknown as { __header: { at: number; rows: number }; __firstRow: number };
    return { header: g.__header, firstRow: g.__firstRow };
  });
}

describe("the window's first frame", () => {
  it('shows the list with the window when the core answers at once', async () => {
    const { url } = await world();
    const page = await chromium().newPage();
    const seen = await open(page, url);
    expect(seen.header.rows).toBe(2);
  });

  it('does not stay blank while a slow core answers: the window shows first, then its list', async () => {
    const u = await world();
    // The same core, whose listing takes 1.5 s (as a keychain that stalls would).
    const slow = Object.assign(Object.create(u.api) as RolecallApi, {
      listProfiles: async () => {
        await new Promise((r) => setTimeout(r, 1500));
        return u.api.listProfiles();
      },
    });
    slowBridge = await startWebBridge({ api: slow, rendererDir: ensureRenderer() });
    const page = await chromium().newPage();
    const seen = await open(page, `${slowBridge.url}#token=${slowBridge.token}`);
    expect(seen.header.rows).toBe(0);
    expect(seen.firstRow - seen.header.at).toBeGreaterThan(500);
    expect(await page.locator('.profile').count()).toBe(2);
  });
});
