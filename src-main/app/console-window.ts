// A Rolecall console window per profile, as plain data the Electron shell applies (no electron
// import here, so it is tested as data): its own persistent session partition, so several
// accounts are signed in side by side; the profile's name in the title and the account's colour;
// no Node, a sandboxed renderer with context isolation; downloads ask where to save; and a
// navigation rule: pages of the partition's console and sign-in hosts stay in the window,
// other web pages open in the system browser, anything else is refused.
import { isConsoleHost, isSigninHost, type ConsolePartition } from '../core/console/partitions';
import { accountColor, CONSOLE_COLORS } from '../core/console/switch-role';
import { remoteContentPreferences, type RemoteContentPreferences } from '../core/remote-content';

export interface ConsoleWindowInput {
  profile: string;
  partition: ConsolePartition;
  /** The account the profile signs in to, when known: its colour marks the window. */
  accountId?: string;
  /** Six hex digits overriding the account's colour. */
  color?: string;
  /** AWS_ENDPOINT_URL_SIGNIN's origin, when sign-in goes elsewhere (the sandbox): its pages stay in the window too. */
  signinOrigin?: string;
}

/** `persist:console-<profile>`: one persistent session per profile, kept across restarts. Characters a file name cannot hold are %-escaped. */
export function consoleSessionPartition(profile: string): string {
  return `persist:console-${profile.replace(/[^A-Za-z0-9_.@+-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

export type NavigationDecision = 'stay' | 'open-externally' | 'refuse';

/** Where a navigation (or window.open) to `url` from a console window goes. */
export function navigationDecision(input: Pick<ConsoleWindowInput, 'partition' | 'signinOrigin'>, url: string): NavigationDecision {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'refuse';
  }
  if (input.signinOrigin && u.origin === input.signinOrigin) return 'stay';
  if (u.protocol === 'https:' && !u.username && !u.password && (isConsoleHost(input.partition, u.hostname) || isSigninHost(input.partition, u.hostname))) return 'stay';
  // Docs, support and any other site: the person's own browser, not a window holding AWS cookies.
  if (u.protocol === 'https:' || u.protocol === 'http:') return 'open-externally';
  return 'refuse';
}

export interface ConsoleWindowOptions {
  /** BrowserWindow constructor options. */
  window: {
    title: string;
    width: number;
    height: number;
    backgroundColor: string;
    webPreferences: RemoteContentPreferences;
  };
  /** The colour marking the window (title bar / frame accent), six hex digits. */
  accentColor: string;
  /** session.on('will-download'): ask where to save, never save silently. */
  downloads: 'ask';
  navigation: (url: string) => NavigationDecision;
}

export function consoleWindowOptions(input: ConsoleWindowInput): ConsoleWindowOptions {
  const accentColor = input.color ?? (input.accountId ? CONSOLE_COLORS[accountColor(input.accountId)] : CONSOLE_COLORS.blue);
  const where = [input.accountId, input.partition.region].filter(Boolean).join(', ');
  return {
    window: {
      title: `${input.profile} (${where}) - AWS console - Rolecall`,
      width: 1280,
      height: 860,
      backgroundColor: `#${accentColor}`,
      webPreferences: remoteContentPreferences(consoleSessionPartition(input.profile)),
    },
    accentColor,
    downloads: 'ask',
    navigation: (url) => navigationDecision(input, url),
  };
}
