// What every window showing pages Rolecall does not write (the AWS console, a company's IdP) must
// hold to, stated as the requirement rather than copied from src-main/core/remote-content.ts. Each
// is asked to be set explicitly: Electron's defaults have changed between versions.
import { expect } from 'vitest';

/** Off: Node in the page, in its workers and in its frames; webviews; http content inside an https page. */
const MUST_BE_OFF = ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag', 'allowRunningInsecureContent'];
/** On: a JavaScript world of its own, the OS sandbox, the same-origin policy, dialogs a page cannot repeat to lock the app. */
const MUST_BE_ON = ['contextIsolation', 'sandbox', 'webSecurity', 'safeDialogs'];

/** Fails, naming the preference, unless the webPreferences lock the page down in its own session partition. */
export function expectLockedDown(webPreferences: object, partition: string): void {
  const prefs = webPreferences as Record<string, unknown>;
  expect(prefs.partition).toBe(partition);
  expect(prefs.preload, 'a preload would hand the page a bridge to Rolecall').toBeUndefined();
  for (const name of MUST_BE_OFF) expect([name, prefs[name]]).toEqual([name, false]);
  for (const name of MUST_BE_ON) expect([name, prefs[name]]).toEqual([name, true]);
}
