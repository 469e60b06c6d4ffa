// What bench/ui.ts and bench/ui-compare.ts share: the Identity Center instance they load into the
// window, and the page shim tsx's output needs inside Chromium.
import type { Page } from 'playwright-core';
import type { UiWorld } from '../test/integration/web/ui-harness';

export const ROLES = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'Billing', 'SecurityAudit', 'NetworkAdmin', 'DatabaseAdmin', 'ViewOnlyAccess', 'Developer', 'SupportUser'];

/** An Identity Center instance with `accounts` accounts of ten roles each. */
export async function seed(w: UiWorld, accounts: number): Promise<void> {
  await w.core.state.update((s) => {
    s.ssoSessions.push({ name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1' });
    for (let a = 0; a < accounts; a++) {
      const accountId = String(444400000000 + a);
      const accountName = `acme-${String(a).padStart(4, '0')}-${a % 3 === 0 ? 'prod' : a % 3 === 1 ? 'dev' : 'test'}`;
      for (const roleName of ROLES) s.profiles.push({ kind: 'sso-role', name: `${accountName}/${roleName}`, ssoSession: 'acme', accountId, accountName, roleName, synced: true });
    }
  });
}

/** tsx names functions with a __name helper that the page does not have; give it one. */
export const giveNameHelper = (page: Page) => page.addInitScript('globalThis.__name = (f) => f');
