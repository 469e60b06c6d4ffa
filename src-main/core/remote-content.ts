// The webPreferences of every Electron window that shows pages Rolecall does not write (the AWS
// console, a company's identity provider): its own session partition, no Node anywhere, no
// preload, sandboxed and isolated, no webviews, and dialogs a page cannot use to lock the app.
// Data only (no Electron import), so the windows' options are unit-tested as data.

export function remoteContentPreferences(partition: string) {
  return {
    partition,
    preload: undefined,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    contextIsolation: true,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    safeDialogs: true,
  } as const;
}

export type RemoteContentPreferences = ReturnType<typeof remoteContentPreferences>;
