// The Electron shell: one window over the core, reached through the preload's RolecallApi.
// Thin by design; the tray, SAML window and console windows come with the desktop issue.
import { app, BrowserWindow, ipcMain } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RolecallApiContract, rolecallMethods } from '../../src-shared/api';
import { createRolecallApi } from '../core/api';
import { createCore } from '../core/core';
import { describeError } from '../core/errors';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  await app.whenReady();
  const core = await createCore();
  const api = createRolecallApi(core);
  for (const method of rolecallMethods) {
    ipcMain.handle(`rolecall:${method}`, async (event, ...raw: unknown[]) => {
      // Only our own window may call, and only with arguments the contract accepts.
      if (!event.senderFrame?.url.startsWith('file://') && !process.env.ELECTRON_RENDERER_URL) throw new Error('refused');
      const args = RolecallApiContract[method].args.safeParse(raw);
      if (!args.success) throw new Error(`bad arguments for ${method}`);
      try {
        return await (api[method] as (...a: unknown[]) => Promise<unknown>)(...args.data);
      } catch (err) {
        throw new Error(describeError(err));
      }
    });
  }
  const win = new BrowserWindow({
    width: 1100,
    height: 720,
    title: 'Rolecall',
    webPreferences: { preload: path.join(here, '../preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (process.env.ELECTRON_RENDERER_URL) await win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await win.loadFile(path.join(here, '../renderer/index.html'));
}

app.on('window-all-closed', () => app.quit());
main().catch((err) => {
  console.error(`rolecall: ${describeError(err)}`);
  app.exit(1);
});
