// The desktop decisions main.ts applies: tray image per OS, login item and hidden start, the
// console browser setting as a command, the CLI the app's credential_process lines run, and the
// coalesced AWS config writes.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appInstall, cliToLink, consoleOpener, HIDDEN_ARG, loginItemSettings, startsHidden, trayImageDir, trayImageFile } from '../../../src-main/app/desktop';
import { credentialProcessLine } from '../../../src-main/core/files/managed-block';

const URL = 'http://127.0.0.1:4567/console/abc';

describe('tray image', () => {
  it('is the Template image on macOS (the menu bar recolours it) and the coloured one elsewhere', () => {
    expect(trayImageFile('/r/tray', 'darwin')).toBe(path.join('/r/tray', 'trayTemplate.png'));
    expect(trayImageFile('/r/tray', 'linux')).toBe(path.join('/r/tray', 'tray.png'));
    expect(trayImageFile('/r/tray', 'win32')).toBe(path.join('/r/tray', 'tray.png'));
  });
  it('comes from the package resources when packaged, from build/tray of the checkout otherwise', () => {
    expect(trayImageDir({ packaged: true, resourcesPath: '/opt/Rolecall/resources', appRoot: '/x' })).toBe('/opt/Rolecall/resources/tray');
    expect(trayImageDir({ packaged: false, resourcesPath: '/electron/resources', appRoot: '/src/rolecall' })).toBe('/src/rolecall/build/tray');
  });
});

describe('launch at login', () => {
  it('registers the login item on or off, with the hidden-start argument where the OS says nothing to the app', () => {
    expect(loginItemSettings(true, 'linux')).toEqual({ openAtLogin: true, args: [HIDDEN_ARG] });
    expect(loginItemSettings(false, 'win32')).toEqual({ openAtLogin: false, args: [HIDDEN_ARG] });
    expect(loginItemSettings(true, 'darwin')).toEqual({ openAtLogin: true, openAsHidden: true });
  });
  it('starts hidden when started at login or with the argument, with a window otherwise', () => {
    expect(startsHidden(['/opt/Rolecall/rolecall-app', '--hidden'], false)).toBe(true);
    expect(startsHidden(['/Applications/Rolecall.app/Contents/MacOS/Rolecall'], true)).toBe(true);
    expect(startsHidden(['/opt/Rolecall/rolecall-app'], false)).toBe(false);
    expect(startsHidden(['/opt/Rolecall/rolecall-app', 'rolecall://console/dev'], false)).toBe(false);
  });
});

describe('console browser setting', () => {
  it('unset or blank: the system browser', () => {
    expect(consoleOpener(undefined, URL, 'linux')).toEqual({ kind: 'system' });
    expect(consoleOpener(null, URL, 'darwin')).toEqual({ kind: 'system' });
    expect(consoleOpener('   ', URL, 'win32')).toEqual({ kind: 'system' });
  });
  it('a command: its words, the address last, no shell', () => {
    expect(consoleOpener('firefox --private-window', URL, 'linux')).toEqual({ kind: 'command', file: 'firefox', args: ['--private-window', URL] });
    expect(consoleOpener(' chromium  --incognito ', URL, 'linux')).toEqual({ kind: 'command', file: 'chromium', args: ['--incognito', URL] });
    // Shell syntax is only words: nothing runs but the named program.
    expect(consoleOpener('firefox; rm -rf ~', URL, 'linux')).toEqual({ kind: 'command', file: 'firefox;', args: ['rm', '-rf', '~', URL] });
  });
  it('on macOS an application name opens that application; a path is a command', () => {
    expect(consoleOpener('Google Chrome', URL, 'darwin')).toEqual({ kind: 'command', file: 'open', args: ['-a', 'Google Chrome', URL] });
    expect(consoleOpener('/Applications/Firefox.app/Contents/MacOS/firefox -P work', URL, 'darwin')).toEqual({
      kind: 'command',
      file: '/Applications/Firefox.app/Contents/MacOS/firefox',
      args: ['-P', 'work', URL],
    });
  });
});

describe("the app's CLI", () => {
  it('is the packaged CLI on the app binary as Node, and its credential_process line is the launcher config write writes', () => {
    const exists = (f: string) => f.endsWith('rolecall-credential-process');
    const install = appInstall({ packaged: true, resourcesPath: '/opt/Rolecall/resources', appRoot: '/opt/Rolecall/resources/app.asar', execPath: '/opt/Rolecall/rolecall-app', platform: 'linux', exists });
    expect(install).toEqual({
      nodePath: '/opt/Rolecall/rolecall-app',
      script: '/opt/Rolecall/resources/cli/rolecall.cjs',
      helper: '/opt/Rolecall/resources/cli/rolecall-credential-process',
      electronAsNode: true,
    });
    const line = credentialProcessLine({ dataDir: '/home/ann/.config/rolecall' }, install, 'dev/Admin', 'linux');
    expect(line).toBe('/home/ann/.config/rolecall/bin/rolecall-credential-process /home/ann/.config/rolecall/bin/rolecall credential-process --profile dev/Admin');
    expect(line).not.toMatch(/^rolecall /);
  });
  it('in development is the checkout build; on Windows the app binary and the script, without the helper', () => {
    const dev = appInstall({ packaged: false, resourcesPath: '/e/resources', appRoot: '/src/rc', execPath: '/src/rc/node_modules/electron/dist/electron', platform: 'linux', exists: () => false });
    expect(dev).toEqual({ nodePath: '/src/rc/node_modules/electron/dist/electron', script: '/src/rc/dist/cli/rolecall.cjs', electronAsNode: true });
    const win = appInstall({ packaged: true, resourcesPath: 'C:\\\\R\\\\resources', appRoot: 'C:\\\\R', execPath: 'C:\\\\R\\\\Rolecall.exe', platform: 'win32', exists: () => true });
    expect(win.helper).toBeUndefined();
  });
});

describe('the rolecall command to link on PATH', () => {
  const packaged = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}) => cliToLink({ packaged: true, resourcesPath: '/opt/Rolecall/resources', platform, env });
  it('is the packaged launcher on macOS and in the .deb', () => {
    expect(packaged('linux')).toEqual({ target: '/opt/Rolecall/resources/cli/rolecall' });
    expect(cliToLink({ packaged: true, resourcesPath: '/Applications/Rolecall.app/Contents/Resources', platform: 'darwin', env: {} })).toEqual({ target: '/Applications/Rolecall.app/Contents/Resources/cli/rolecall' });
  });
  it('is none, with the reason, in an AppImage (mounted anew at every start), on Windows and in development', () => {
    expect(packaged('linux', { APPIMAGE: '/home/ann/Rolecall.AppImage' })).toEqual({ unavailable: expect.stringMatching(/^an AppImage mounts itself somewhere new at every start/) });
    expect(packaged('win32')).toEqual({ unavailable: expect.stringMatching(/^on Windows the rolecall command is not linked yet/) });
    expect(cliToLink({ packaged: false, resourcesPath: '/e/resources', platform: 'linux', env: {} })).toEqual({ unavailable: expect.stringMatching(/^a development run/) });
  });
});
