// The window's security rules: web preferences, CSP, navigation and window.open, permissions, and
// which IPC senders count as Rolecall's own window.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTrustedSender, mainWindowOptions, navigationDecision, permissionDecision, RENDERER_CSP, rendererEntry } from '../../../src-main/app/window-policy';

const INDEX = 'file:///opt/Rolecall/resources/app.asar/out/renderer/index.html';

describe('window options and CSP', () => {
  it('isolates the page: context isolation, sandbox, no Node anywhere, no webview', () => {
    const { webPreferences: w } = mainWindowOptions('/x/preload/index.cjs');
    expect(w).toMatchObject({ preload: '/x/preload/index.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true });
  });

  it('has a strict CSP, and the page carries the same one (less frame-ancestors, which a meta tag cannot set)', () => {
    const parts = RENDERER_CSP.split('; ');
    expect(parts).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'"]));
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const html = readFileSync(new URL('../../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(parts.filter((p) => !p.startsWith('frame-ancestors')).join('; '));
  });
});

describe('navigation and permissions', () => {
  it('never navigates inside the app; allow-listed https hosts open in the system browser', () => {
    expect(navigationDecision('https://d-90677c3a1b.awsapps.com/start')).toBe('external');
    expect(navigationDecision('https://us-east-1.signin.aws.amazon.com/federation')).toBe('external');
    expect(navigationDecision('https://console.aws.amazon.com/')).toBe('external');
    expect(navigationDecision('https://device.sso.eu-west-1.amazonaws.com/?user_code=AB')).toBe('external');
    for (const bad of [
      'http://d-1.awsapps.com/start', // not https
      'https://awsapps.com.evil.example/', // look-alike
      'https://evil.example/?awsapps.com',
      'https://user:pw@console.aws.amazon.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'not a url',
      INDEX,
    ]) {
      expect(navigationDecision(bad), bad).toBe('deny');
    }
    expect(navigationDecision('http://127.0.0.1:4566/device', ['127.0.0.1:4566'])).toBe('external');
    expect(navigationDecision('http://127.0.0.1:4567/device', ['127.0.0.1:4566'])).toBe('deny');
  });

  it('denies every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) expect(permissionDecision(p)).toBe(false);
  });
});

describe('IPC sender check', () => {
  const packaged = rendererEntry({ packaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, indexFileUrl: INDEX });
  const own = { webContentsId: 7, entry: packaged };

  it('honours ELECTRON_RENDERER_URL only in an unpackaged run, and only a loopback dev server', () => {
    expect(packaged).toEqual({ url: INDEX, origin: null });
    expect(rendererEntry({ packaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, indexFileUrl: INDEX })).toEqual({ url: 'http://localhost:5173/', origin: 'http://localhost:5173' });
    expect(rendererEntry({ packaged: false, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' }, indexFileUrl: INDEX }).origin).toBeNull();
  });

  it('accepts only the main frame of the own window showing the own page', () => {
    expect(isTrustedSender({ frameUrl: INDEX, isMainFrame: true, webContentsId: 7 }, own)).toBe(true);
    expect(isTrustedSender({ frameUrl: `${INDEX}#x`, isMainFrame: true, webContentsId: 7 }, own)).toBe(true);
    expect(isTrustedSender({ frameUrl: INDEX, isMainFrame: false, webContentsId: 7 }, own)).toBe(false);
    expect(isTrustedSender({ frameUrl: INDEX, isMainFrame: true, webContentsId: 8 }, own)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/evil.html', isMainFrame: true, webContentsId: 7 }, own)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'http://localhost:5173/', isMainFrame: true, webContentsId: 7 }, own)).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true, webContentsId: 7 }, own)).toBe(false);
    expect(isTrustedSender({ frameUrl: INDEX, isMainFrame: true, webContentsId: 7 }, { ...own, webContentsId: undefined })).toBe(false);
    const dev = { webContentsId: 7, entry: { url: 'http://localhost:5173/', origin: 'http://localhost:5173' } };
    expect(isTrustedSender({ frameUrl: 'http://localhost:5173/index.html', isMainFrame: true, webContentsId: 7 }, dev)).toBe(true);
    expect(isTrustedSender({ frameUrl: 'http://localhost:5174/', isMainFrame: true, webContentsId: 7 }, dev)).toBe(false);
    expect(isTrustedSender({ frameUrl: INDEX, isMainFrame: true, webContentsId: 7 }, dev)).toBe(false);
  });
});
