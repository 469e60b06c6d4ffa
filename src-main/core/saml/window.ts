// The SAML login window as plain data, for the Electron shell to apply (src-main/app/saml-window.ts):
// a persistent session partition per integration (the IdP's cookies keep the person signed in),
// a sandboxed renderer with context isolation, no Node and no preload, and the request filter
// that shows the main process the POST to AWS's ACS URL. Re-authentication runs it hidden and
// shows it only when the IdP wants the person (no ACS POST within a few seconds).
import type { SamlIntegration } from '../../../src-shared/profile';
import { remoteContentPreferences, type RemoteContentPreferences } from '../remote-content';
import { acsUrlPatterns } from './acs';

/** How long a hidden re-authentication waits for the ACS POST before it shows the window. */
export const REVEAL_AFTER_MS = 5_000;
/** How long a sign-in may take before the window gives up. */
export const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/** `persist:saml-<integration>`; characters a file name cannot hold are %-escaped. */
export function samlSessionPartition(integration: string): string {
  return `persist:saml-${integration.replace(/[^A-Za-z0-9_.@+-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

export interface SamlWindowPlan {
  /** What to load: the IdP-initiated sign-in URL. */
  url: string;
  /** BrowserWindow constructor options. */
  window: {
    title: string;
    width: number;
    height: number;
    /** False for a re-authentication: shown only after revealAfterMs without an ACS POST. */
    show: boolean;
    /** Hidden re-authentication must not take focus from what the person is doing. */
    focusable: boolean;
    skipTaskbar: boolean;
    autoHideMenuBar: true;
    webPreferences: RemoteContentPreferences;
  };
  /** session.webRequest.onBeforeRequest filter: every ACS URL of every partition. */
  requestFilter: { urls: string[] };
  /** Re-authentication only: show the window (then focusable) if no ACS POST came within this long. */
  revealAfterMs?: number;
  timeoutMs: number;
  /** window.open and new windows from the IdP's pages stay out: denied. */
  windowOpen: 'deny';
}

export function samlWindowPlan(integration: Pick<SamlIntegration, 'name' | 'url'>, mode: 'sign-in' | 'reauthenticate' = 'sign-in'): SamlWindowPlan {
  const hidden = mode === 'reauthenticate';
  return {
    url: integration.url,
    window: {
      title: `Sign in to ${integration.name} - Rolecall`,
      width: 520,
      height: 720,
      show: !hidden,
      focusable: !hidden,
      skipTaskbar: hidden,
      autoHideMenuBar: true,
      webPreferences: remoteContentPreferences(samlSessionPartition(integration.name)),
    },
    requestFilter: { urls: acsUrlPatterns() },
    ...(hidden ? { revealAfterMs: REVEAL_AFTER_MS } : {}),
    timeoutMs: SIGN_IN_TIMEOUT_MS,
    windowOpen: 'deny',
  };
}
