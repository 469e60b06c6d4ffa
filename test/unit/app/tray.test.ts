// The tray menu is a pure function of state: favorites then the default then recent, each with its
// remaining time and actions; sign-ins needing the person; open window; quit.
import { describe, expect, it } from 'vitest';
import { trayKey, trayTemplate, type TrayItem } from '../../../src-main/app/tray';
import { NOW, inMinutes, row, signIn } from './fixtures';

const labels = (items: TrayItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label));

describe('trayTemplate', () => {
  it('puts favorites first with their remaining time, then recent ones, then sign-ins needing the person, open and quit', () => {
    const items = trayTemplate({
      now: NOW,
      profiles: [
        row('acme-dev/ReadOnly', { lastUsedAt: NOW - 5000 }),
        row('acme-prod/Admin', { favorite: true, accountName: 'acme-prod', roleName: 'Admin', expiresAt: inMinutes(41) }),
        row('audit', { kind: 'assume-role', chainDepth: 2, alias: 'audit-chain', lastUsedAt: NOW - 1000, expiresAt: inMinutes(23.5) }),
        row('never-used'),
      ],
      signIns: [
        signIn('acme'),
        signIn('corp', { state: 'sign-in-required', expiresAt: null }),
        signIn('okta', { kind: 'saml', state: 'sign-in-required', expiresAt: null }),
        signIn('alice', { kind: 'iam-user', state: 'keys' }),
      ],
    });
    expect(labels(items)).toEqual([
      'Rolecall',
      '---',
      'acme-prod / Admin   41m',
      '---',
      'Recent',
      'audit-chain (chained)   23m',
      'acme-dev / ReadOnly',
      '---',
      'corp: sign in again…',
      'okta: sign in again…',
      '---',
      'Open Rolecall',
      'Quit',
    ]);
    expect(items.find((i) => i.label === 'corp: sign in again…')?.action).toEqual({ kind: 'sign-in', instance: 'corp' });
    // A SAML integration too: the item opens its login window.
    expect(items.find((i) => i.label === 'okta: sign in again…')?.action).toEqual({ kind: 'sign-in', instance: 'okta' });
    expect(items.at(-2)).toMatchObject({ accelerator: 'CommandOrControl+Shift+R', action: { kind: 'open-window' } });
  });

  it('gives each profile its actions: refresh and stop for a live session, start for none', () => {
    const [live, idle] = trayTemplate({ now: NOW, signIns: [], profiles: [row('a', { favorite: true, expiresAt: inMinutes(5) }), row('b', { favorite: true })] }).slice(2);
    expect(labels(live!.submenu!)).toEqual(['Make default', 'Open console', 'Copy export lines', 'Copy credential_process line', '---', 'Refresh', 'Stop']);
    expect(live!.submenu!.map((i) => i.action?.kind)).toEqual(['make-default', 'open-console', 'copy-env', 'copy-credential-process', undefined, 'refresh', 'stop']);
    expect(idle!.submenu!.find((i) => i.label === 'Start session')?.action).toEqual({ kind: 'start', profile: 'b' });
    expect(idle!.submenu!.find((i) => i.label === 'Stop')?.enabled).toBe(false);
  });

  it('checks the default profile and shows it even when it is neither favorite nor recent', () => {
    const items = trayTemplate({ now: NOW, signIns: [], profiles: [row('x'), row('prod', { isDefault: true })] });
    const def = items.find((i) => i.label === 'acme-dev / prod')!;
    expect(def.checked).toBe(true);
    expect(def.submenu![0]).toMatchObject({ label: 'The default profile', enabled: false });
  });

  it('an expired session shows no time; the key changes only when the menu would', () => {
    const state = { now: NOW, signIns: [], profiles: [row('a', { favorite: true, expiresAt: inMinutes(-1) })] };
    expect(trayTemplate(state)[2]!.label).toBe('acme-dev / a');
    expect(trayKey(trayTemplate(state))).toBe(trayKey(trayTemplate({ ...state, now: NOW + 1 })));
    expect(trayKey(trayTemplate(state))).not.toBe(trayKey(trayTemplate({ ...state, profiles: [row('a', { favorite: true, expiresAt: inMinutes(30) })] })));
  });

  it('says how to get favorites when there are none', () => {
    expect(labels(trayTemplate({ now: NOW, signIns: [], profiles: [row('a')] }))).toContain('No favorites yet: star a profile in the window');
  });
});
