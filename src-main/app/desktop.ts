// The desktop decisions main.ts applies, as pure functions: which tray image, how the app
// registers to start at login and whether this start is one, and how the console setting's
// browser is run. Tested without Electron (test/unit/app/desktop.test.ts).
import path from 'node:path';
import type { Install } from '../core/files/launcher';

/** The argument the login item starts the app with: it then starts hidden, in the tray. */
export const HIDDEN_ARG = '--hidden';

/**
 * Where the tray images are: in the package, beside the app's resources (electron-builder's
 * extraResources: tray); in development, build/tray of the checkout.
 */
export function trayImageDir(o: { packaged: boolean; resourcesPath: string; appRoot: string }): string {
  return o.packaged ? path.join(o.resourcesPath, 'tray') : path.join(o.appRoot, 'build', 'tray');
}

/**
 * macOS: a Template image (black on transparent) that the menu bar recolours for light and dark;
 * elsewhere the coloured one. Electron picks the @2x file beside it on high-density screens.
 */
export function trayImageFile(dir: string, platform: NodeJS.Platform): string {
  return path.join(dir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}

/** app.setLoginItemSettings's argument for the setting: hidden at login on every OS. */
export function loginItemSettings(launchAtLogin: boolean, platform: NodeJS.Platform): { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] } {
  // macOS's openAsHidden is for older systems; wasOpenedAtLogin says it on newer ones. Windows and
  // Linux say nothing to the app, so the login item passes HIDDEN_ARG.
  if (platform === 'darwin') return { openAtLogin: launchAtLogin, openAsHidden: true };
  return { openAtLogin: launchAtLogin, args: [HIDDEN_ARG] };
}

/** Starts in the tray without a window: started by the login item, or asked to with HIDDEN_ARG. */
export function startsHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_ARG);
}

/** How the console is opened: the system's browser, or a command with the sign-in address last. */
export type ConsoleOpener = { kind: 'system' } | { kind: 'command'; file: string; args: string[] };

/**
 * The consoleBrowser setting as what to run with `url`. Absent or blank: the system's browser.
 * On macOS a value without a slash names an application ("Firefox", "Google Chrome"), opened
 * with `open -a`; otherwise it is a command, split at spaces with the address appended, as
 * `rolecall console --browser` takes it. Never through a shell.
 */
export function consoleOpener(setting: string | null | undefined, url: string, platform: NodeJS.Platform): ConsoleOpener {
  const value = setting?.trim();
  if (!value) return { kind: 'system' };
  if (platform === 'darwin' && !value.includes('/')) return { kind: 'command', file: 'open', args: ['-a', value, url] };
  const [file, ...args] = value.split(/\s+/);
  return { kind: 'command', file: file!, args: [...args, url] };
}

/**
 * The CLI this app runs, for credential_process lines and the data dir's launcher: its own
 * Electron as Node (no separate Node.js) with the CLI it ships (electron-builder's extraResources:
 * cli), or in development the checkout's build (npm run build:cli).
 */
export function appInstall(o: { packaged: boolean; resourcesPath: string; appRoot: string; execPath: string; platform: NodeJS.Platform; exists: (file: string) => boolean }): Install {
  const cli = o.packaged ? path.join(o.resourcesPath, 'cli') : path.join(o.appRoot, 'dist', 'cli');
  const helper = path.join(cli, 'rolecall-credential-process');
  return { nodePath: o.execPath, script: path.join(cli, 'rolecall.cjs'), ...(o.platform !== 'win32' && o.exists(helper) ? { helper } : {}), electronAsNode: true };
}

/**
 * The command this install can put on PATH (Settings, "Install the rolecall command"): the
 * packaged launcher <resources>/cli/rolecall, or why there is none to link.
 */
export function cliToLink(o: { packaged: boolean; resourcesPath: string; platform: NodeJS.Platform; env: NodeJS.ProcessEnv }): { target: string } | { unavailable: string } {
  if (!o.packaged) return { unavailable: 'a development run has no packaged rolecall command: use node dist/cli/rolecall.cjs (npm run build:cli)' };
  if (o.platform === 'win32') return { unavailable: 'on Windows the rolecall command is not linked yet; AWS tools reach Rolecall through the credential_process lines it writes' };
  // An AppImage is mounted at a new temporary path at every start: a link to it would break.
  if (o.platform === 'linux' && o.env.APPIMAGE) return { unavailable: 'an AppImage mounts itself somewhere new at every start, so a link to its command would break: install the .deb package to link it' };
  return { target: path.join(o.resourcesPath, 'cli', 'rolecall') };
}
