// The tray menu as a pure function of state: favorites and recently used profiles on top with
// their remaining time, each with its actions; sign-ins that need the person; open window; quit.
// Items carry an action (data), not a callback: the Electron code maps actions to handlers, so
// this file is tested without Electron and the menu is rebuilt only when the state changes.
import type { ProfileRow, SignInView } from '../../src-shared/api';
import { formatRemaining } from '../../src-shared/countdown';

export type TrayAction =
  | { kind: 'make-default' | 'open-console' | 'copy-env' | 'copy-credential-process' | 'start' | 'refresh' | 'stop'; profile: string }
  | { kind: 'sign-in'; instance: string }
  | { kind: 'open-window' }
  | { kind: 'quit' };

export interface TrayItem {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  accelerator?: string;
  action?: TrayAction;
  submenu?: TrayItem[];
}

export interface TrayState {
  profiles: ProfileRow[];
  signIns: SignInView[];
  now: number;
}

const RECENT = 5;
const live = (p: ProfileRow, now: number) => p.expiresAt !== null && Date.parse(p.expiresAt) > now;

function profileItem(p: ProfileRow, now: number): TrayItem {
  const left = live(p, now) ? `   ${formatRemaining(new Date(p.expiresAt!), new Date(now))}` : '';
  const chained = p.chainDepth > 0 ? ' (chained)' : '';
  const name = p.alias ?? (p.accountName && p.roleName ? `${p.accountName} / ${p.roleName}` : p.name);
  const on = live(p, now);
  return {
    label: `${name}${chained}${left}`,
    type: 'checkbox',
    // The checkmark marks the default profile.
    checked: p.isDefault,
    submenu: [
      { label: p.isDefault ? 'The default profile' : 'Make default', enabled: !p.isDefault, action: { kind: 'make-default', profile: p.name } },
      { label: 'Open console', action: { kind: 'open-console', profile: p.name } },
      { label: 'Copy export lines', action: { kind: 'copy-env', profile: p.name } },
      { label: 'Copy credential_process line', action: { kind: 'copy-credential-process', profile: p.name } },
      { type: 'separator' },
      on ? { label: 'Refresh', action: { kind: 'refresh', profile: p.name } } : { label: 'Start session', action: { kind: 'start', profile: p.name } },
      { label: 'Stop', enabled: on, action: { kind: 'stop', profile: p.name } },
    ],
  };
}

export function trayTemplate(state: TrayState): TrayItem[] {
  const { now } = state;
  const byName = (a: ProfileRow, b: ProfileRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const favorites = state.profiles.filter((p) => p.favorite).sort(byName);
  const recent = state.profiles
    .filter((p) => !p.favorite && p.lastUsedAt !== null)
    .sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0))
    .slice(0, RECENT);
  // The default profile is always reachable, even when neither a favorite nor recent.
  const def = state.profiles.find((p) => p.isDefault && !favorites.includes(p) && !recent.includes(p));
  const items: TrayItem[] = [{ label: 'Rolecall', enabled: false }, { type: 'separator' }];
  for (const p of favorites) items.push(profileItem(p, now));
  if (def) items.push(profileItem(def, now));
  if (recent.length) {
    items.push({ type: 'separator' }, { label: 'Recent', enabled: false });
    for (const p of recent) items.push(profileItem(p, now));
  }
  if (!favorites.length && !recent.length && !def) items.push({ label: 'No favorites yet: star a profile in the window', enabled: false });
  // Every sign-in but an IAM user's keys (nothing to sign in to): Identity Center and OIDC by device
  // code, SAML in its login window, AWS sign-in in the window.
  const needing = state.signIns.filter((s) => s.kind !== 'iam-user' && s.state === 'sign-in-required');
  if (needing.length) {
    items.push({ type: 'separator' });
    for (const s of needing) items.push({ label: `${s.name}: sign in again…`, action: { kind: 'sign-in', instance: s.name } });
  }
  items.push({ type: 'separator' }, { label: 'Open Rolecall', accelerator: 'CommandOrControl+Shift+R', action: { kind: 'open-window' } }, { label: 'Quit', action: { kind: 'quit' } });
  return items;
}

/** A text that changes exactly when the menu would: the Electron code rebuilds only then. */
export const trayKey = (items: TrayItem[]): string => JSON.stringify(items);
