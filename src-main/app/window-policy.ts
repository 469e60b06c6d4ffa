// The window's security settings as plain data and pure decisions, applied by main.ts: web
// preferences, the Content-Security-Policy, which navigations and new windows are allowed (none
// inside the app; allow-listed https hosts open in the system browser), permissions (denied),
// and which IPC senders are Rolecall's own window.
import { RENDERER_CSP } from '../../src-shared/csp';

export { RENDERER_CSP };

export function mainWindowOptions(preloadPath: string) {
  return {
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 420,
    title: 'Rolecall',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  } as const;
}

/** Hosts whose pages open in the system browser when the window links to them (AWS sign-in and console, docs). */
export const EXTERNAL_HOSTS: readonly RegExp[] = [
  /^([a-z0-9-]+\.)*awsapps\.com$/,
  /^([a-z0-9-]+\.)*signin\.aws\.amazon\.com$/,
  /^([a-z0-9-]+\.)*console\.aws\.amazon\.com$/,
  /^device\.sso\.[a-z0-9-]+\.amazonaws\.com$/,
  /^docs\.aws\.amazon\.com$/,
  /^signin\.amazonaws-us-gov\.com$/,
  /^console\.amazonaws-us-gov\.com$/,
  /^signin\.amazonaws\.cn$/,
  /^console\.amazonaws\.cn$/,
];

export type NavigationDecision = 'deny' | 'external';

/**
 * A navigation or window.open from the app's window: never inside the app (its page is fixed);
 * an https URL of an allow-listed host goes to the system browser; anything else is dropped.
 * `extraHosts` are exact host:port values also opened outside (the sandbox's, in the demo).
 */
export function navigationDecision(url: string, extraHosts: readonly string[] = []): NavigationDecision {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'deny';
  }
  if (u.username || u.password) return 'deny';
  if (u.protocol === 'https:' && EXTERNAL_HOSTS.some((h) => h.test(u.hostname))) return 'external';
  if ((u.protocol === 'http:' || u.protocol === 'https:') && extraHosts.includes(u.host)) return 'external';
  return 'deny';
}

/** Camera, microphone, notifications from the page, clipboard reads, geolocation...: none, ever. */
export const permissionDecision = (_permission: string): boolean => false;

export interface SenderInfo {
  /** The sending frame's URL. */
  frameUrl: string | undefined;
  /** Whether the sending frame is its page's main frame. */
  isMainFrame: boolean;
  /** The WebContents id of the sender. */
  webContentsId: number;
}

/** Where the window's page comes from: the packaged file, or (unpackaged development runs only) the dev server. */
export function rendererEntry(o: { packaged: boolean; env: NodeJS.ProcessEnv; indexFileUrl: string }): { url: string; origin: string | null } {
  const dev = o.env.ELECTRON_RENDERER_URL;
  if (!o.packaged && dev && /^http:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(dev)) return { url: dev, origin: new URL(dev).origin };
  return { url: o.indexFileUrl, origin: null };
}

/**
 * IPC calls are accepted only from the main frame of Rolecall's own window, showing Rolecall's
 * own page: the packaged index.html exactly (not any file:// URL), or the dev server's origin.
 */
export function isTrustedSender(sender: SenderInfo, own: { webContentsId: number | undefined; entry: { url: string; origin: string | null } }): boolean {
  if (own.webContentsId === undefined || sender.webContentsId !== own.webContentsId) return false;
  if (!sender.isMainFrame || !sender.frameUrl) return false;
  let u: URL;
  try {
    u = new URL(sender.frameUrl);
  } catch {
    return false;
  }
  if (own.entry.origin) return u.origin === own.entry.origin;
  const page = new URL(own.entry.url);
  return u.protocol === 'file:' && u.pathname === page.pathname;
}
