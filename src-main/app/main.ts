// The Electron shell: tray, one window, IPC, notifications, deep links, wake-up, over one core
// whose broker also serves the agent socket (so the CLI shares its sessions). Thin by design:
// every decision is a pure function (tray.ts, window-policy.ts, ipc.ts, attention.ts) with unit
// tests; this file only applies them. Electron's binary is not needed to test any of it.
import { app, BrowserWindow, clipboard, globalShortcut, ipcMain, Menu, Notification, powerMonitor, session, shell, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventChannel, methodChannel, rolecallEvents, rolecallMethods, subscribe, type ProfileRow, type SignInView } from '../../src-shared/api';
import { createRolecallApi, type ApiHost, type CoreApi } from '../core/api';
import { keepAwsConfigWritten } from '../core/aws-config-follow';
import { ApiEvents, brokerEvents } from '../core/api-events';
import { createCore } from '../core/core';
import { describeError, RolecallError } from '../core/errors';
import { installLauncher, launcherPaths } from '../core/files/launcher';
import { credentialProcessLine, writeManagedBlockFromState } from '../core/files/managed-block';
import { findSamlIntegration } from '../core/saml/sign-in';
import { launchOpener } from '../core/sso/open-browser';
import { isRefreshFailure, NoticeGate, parseDeepLink, refreshFailureNotice, resumePlan, signInNotices, type Notice } from './attention';
import { appInstall, cliToLink, consoleOpener, loginItemSettings, startsHidden, trayImageDir, trayImageFile } from './desktop';
import { answerCall } from './ipc';
import { captureSamlResponse } from './saml-window';
import { trayKey, trayTemplate, type TrayAction, type TrayItem } from './tray';
import { isTrustedSender, mainWindowOptions, navigationDecision, permissionDecision, RENDERER_CSP, rendererEntry } from './window-policy';

const here = path.dirname(fileURLToPath(import.meta.url));
let win: BrowserWindow | null = null;
let tray: Tray | null = null;

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  app.setAsDefaultProtocolClient('rolecall');
  await app.whenReady();

  // The broker's own sessions and notices reach the window as the API's events.
  const events = new ApiEvents();
  const core = await createCoreForApp(events);
  const appRoot = app.getAppPath();
  // The lines config write would write: the data dir's launcher, which runs this app's CLI on its own runtime.
  const install = appInstall({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot, execPath: process.execPath, platform: process.platform, exists: existsSync });
  const host: ApiHost = {
    openExternal: (url) => shell.openExternal(url),
    openConsoleUrl: async (url, browser) => {
      const o = consoleOpener(browser, url, process.platform);
      if (o.kind === 'system') return shell.openExternal(url);
      await launchOpener(o.file, o.args).catch((e: NodeJS.ErrnoException & { exitCode?: number | null }) => {
        const why = e.exitCode !== undefined ? `it exited with ${e.exitCode}` : e.code === 'ENOENT' ? 'command not found' : (e.code ?? e.message);
        throw new RolecallError(`the console browser setting: could not run ${JSON.stringify(o.file.slice(0, 100))}: ${why}`, 'invalid-input', 'change it in Settings, or clear it for the system browser');
      });
    },
    writeClipboard: (text) => clipboard.writeText(text),
    // The login window captures the IdP's post to AWS; the SAMLResponse goes to the core only.
    captureSamlResponse: async (name) => (await captureSamlResponse(findSamlIntegration((await core.state.load()).samlIntegrations, name))).samlResponse,
    cli: cliToLink({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, platform: process.platform, env: process.env }),
    credentialProcess: (profile) => {
      const line = credentialProcessLine(core.paths, install, profile);
      // The line names the data dir's launcher: made here if config write never made it (the one
      // there, naming the install that last wrote the config, serves the line as well).
      const at = launcherPaths(core.paths, install);
      if (at && (!existsSync(at.launcher) || (at.helper && !existsSync(at.helper)))) void installLauncher(core.paths, install).catch(() => undefined);
      return line;
    },
  };
  const api: CoreApi = createRolecallApi(core, host, events);
  const entry = rendererEntry({ packaged: app.isPackaged, env: process.env, indexFileUrl: pathToFileURL(path.join(here, '../renderer/index.html')).href });

  // Rolecall's own window: no navigation, no new windows, no permissions. The SAML login window
  // (its own session partition) must follow the IdP's redirects; saml-window.ts sets its rules.
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    if (contents.session !== session.defaultSession) return;
    const route = (url: string) => {
      if (navigationDecision(url) === 'external') void shell.openExternal(url);
    };
    contents.on('will-navigate', (e, url) => {
      e.preventDefault();
      route(url);
    });
    contents.on('will-frame-navigate', (e) => {
      if (!e.isMainFrame) e.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      route(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } }),
  );

  for (const method of rolecallMethods) {
    ipcMain.handle(methodChannel(method), (event, ...raw: unknown[]) => {
      const trusted = isTrustedSender(
        { frameUrl: event.senderFrame?.url, isMainFrame: event.senderFrame === event.sender.mainFrame, webContentsId: event.sender.id },
        { webContentsId: win?.webContents.id, entry },
      );
      if (!trusted) return { ok: false, error: 'refused: not Rolecall’s window' };
      return answerCall(api, method, raw);
    });
  }
  for (const e of rolecallEvents) subscribe(api, e, (payload) => win?.webContents.send(eventChannel(e), payload));

  const openWindow = async () => {
    if (win) return void (win.show(), win.focus());
    win = new BrowserWindow(mainWindowOptions(path.join(here, '../preload/index.cjs')));
    win.on('closed', () => (win = null));
    win.once('ready-to-show', () => win?.show());
    await win.loadURL(entry.url);
  };

  // Tray: rebuilt when the state changes (events), never on a timer of its own.
  let profiles: ProfileRow[] = [];
  let signIns: SignInView[] = [];
  let shownKey = '';
  const gate = new NoticeGate();
  const notify = (notices: Notice[]) => {
    for (const n of gate.fresh(notices)) {
      const note = new Notification({ title: n.title, body: n.body });
      note.on('click', () => void (n.action?.kind === 'sign-in' ? run({ kind: 'sign-in', instance: n.action.instance }) : openWindow()));
      note.show();
    }
  };
  const run = async (a: TrayAction): Promise<void> => {
    try {
      if (a.kind === 'quit') return app.quit();
      if (a.kind === 'open-window') return openWindow();
      if (a.kind === 'sign-in') {
        await openWindow();
        // OIDC signs in with a device code like Identity Center; SAML in its login window, whose
        // captured SAMLResponse goes to the same sign-in as a pasted one; AWS sign-in in the window.
        const kind = signIns.find((x) => x.name === a.instance)?.kind ?? 'identity-center';
        if (kind === 'oidc') await api.signInOidc(a.instance);
        else if (kind === 'identity-center') await api.signIn({ name: a.instance });
        else if (kind === 'saml') await api.signInSamlWindow(a.instance);
      } else if (a.kind === 'make-default') new Notification({ title: 'Rolecall', body: (await api.makeDefault(a.profile)).message }).show();
      else if (a.kind === 'open-console') await api.openConsole(a.profile);
      else if (a.kind === 'copy-env') await api.copy(a.profile, 'env');
      else if (a.kind === 'copy-credential-process') clipboard.writeText((await api.copy(a.profile, 'credential-process')).text ?? '');
      else if (a.kind === 'start' || a.kind === 'refresh') await api.startSession(a.profile, { forceRefresh: a.kind === 'refresh' });
      else if (a.kind === 'stop') await api.stopSession(a.profile);
    } catch (err) {
      new Notification({ title: 'Rolecall', body: describeError(err) }).show();
    }
    await refresh();
  };
  const toMenu = (items: TrayItem[]): MenuItemConstructorOptions[] =>
    items.map((i) => ({
      label: i.label,
      type: i.submenu ? 'submenu' : (i.type ?? 'normal'),
      checked: i.checked,
      enabled: i.enabled,
      accelerator: i.accelerator,
      submenu: i.submenu ? toMenu(i.submenu) : undefined,
      click: i.action ? () => void run(i.action!) : undefined,
    }));
  const rebuild = () => {
    const items = trayTemplate({ profiles, signIns, now: Date.now() });
    const key = trayKey(items);
    if (key === shownKey) return;
    shownKey = key;
    tray?.setContextMenu(Menu.buildFromTemplate(toMenu(items)));
  };
  const refresh = async () => {
    [profiles, signIns] = await Promise.all([api.listProfiles(), api.listSignIns()]);
    rebuild();
    notify(signInNotices(signIns, Date.now()));
  };
  tray = new Tray(nativeImage.createFromPath(trayImageFile(trayImageDir({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot }), process.platform)));
  tray.setToolTip('Rolecall');

  // Settings that act outside the state file: launch at login, and the AWS config's managed block
  // rewritten after every change of profiles (sync, edit, default) while writeAwsConfig is on.
  const applyLoginItem = (launchAtLogin: boolean) => {
    if (app.isPackaged) app.setLoginItemSettings(loginItemSettings(launchAtLogin, process.platform));
  };
  keepAwsConfigWritten(
    api,
    () => writeManagedBlockFromState(core.paths, install),
    (err) => notify([{ key: `aws-config:${describeError(err)}`, title: 'Rolecall: AWS config not written', body: describeError(err) }]),
  );
  const saveSettings = api.saveSettings;
  api.saveSettings = async (edit) => {
    const view = await saveSettings(edit);
    if (edit.launchAtLogin !== undefined) applyLoginItem(view.launchAtLogin);
    return view;
  };
  applyLoginItem((await api.getSettings()).launchAtLogin);

  api.onSessionChanged(() => void refresh());
  api.onSignInChanged(() => void refresh());
  api.onProfilesChanged(() => void refresh());
  api.onNotice(({ message }) => {
    if (isRefreshFailure(message)) notify([refreshFailureNotice(message)]);
  });
  // After sleep: recompute at once; refresh what is due, one at a time, not in a storm.
  powerMonitor.on('resume', () => {
    void (async () => {
      await refresh();
      for (const name of resumePlan(profiles, Date.now()).refresh) await api.startSession(name).catch(() => undefined);
      await refresh();
    })();
  });
  const deepLink = (raw: string) => {
    const link = parseDeepLink(raw);
    if ('error' in link) return void new Notification({ title: 'Rolecall', body: link.error }).show();
    void run(link.kind === 'console' ? { kind: 'open-console', profile: link.profile } : { kind: 'start', profile: link.profile });
  };
  app.on('second-instance', (_e, argv) => {
    const link = argv.find((a) => a.startsWith('rolecall://'));
    if (link) deepLink(link);
    else void openWindow();
  });
  app.on('open-url', (e, url) => {
    e.preventDefault();
    deepLink(url);
  });
  globalShortcut.register('CommandOrControl+Shift+R', () => void openWindow());
  await refresh();
  if (!startsHidden(process.argv, app.getLoginItemSettings().wasOpenedAtLogin)) await openWindow();
}

/** The app's core; its broker serves the agent socket, so CLI processes share the app's sessions. */
async function createCoreForApp(events: ApiEvents) {
  const core = await createCore(brokerEvents(events));
  const [{ AgentServer }, { AgentClient }, { takeOverAgentSocket }] = await Promise.all([import('../core/agent/server'), import('../core/agent/client'), import('../core/agent/handover')]);
  // The app is the one broker: it never hands the socket to anything else while it runs.
  const server = new AgentServer(core.broker, core.paths, { refuseHandover: 'it is the Rolecall app', refuseShutdown: 'it is the Rolecall app' });
  const unsubscribe = core.sso.onSignIn(({ instance, what }) => server.signInProgress(instance, what));
  // A CLI agent already serving hands over (finishes what it has, exits); one that refuses or is
  // not ours keeps the socket, and the app works without serving it, saying so once. Not awaited:
  // the old agent may finish a sign-in first, and the app's own broker works meanwhile.
  void takeOverAgentSocket({ server, client: new AgentClient(core.paths) })
    .catch((e: unknown) => ({ serving: false as const, reason: `not serving the agent socket: ${describeError(e)}` }))
    .then((outcome) => {
      if (outcome.serving) return;
      console.error(`rolecall: ${outcome.reason}`);
      new Notification({ title: 'Rolecall', body: outcome.reason }).show();
    });
  app.on('will-quit', () => {
    unsubscribe();
    void server.close();
  });
  return core;
}

// The tray app stays when its window closes.
app.on('window-all-closed', () => undefined);
main().catch((err) => {
  console.error(`rolecall: ${describeError(err)}`);
  app.exit(1);
});
