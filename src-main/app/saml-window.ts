// The SAML login window: applies the plan of core/saml/window.ts with Electron, and hands the
// ACS POST it catches to core/saml/upload.ts (the same function the Chromium tests drive) and
// then to the core's sign-in. Thin on purpose: every decision is in the core, tested there.
// For main.ts: `signInWithSamlWindow(core, 'corp')` for a person's sign-in (the app's dialog
// picks roles when the assertion grants several: pass them as `roles`), and
// `{ mode: 'reauthenticate' }` for a silent renewal that shows the window only if the IdP asks.
import { BrowserWindow, session } from 'electron';
import type { Core } from '../core/core';
import { RolecallError } from '../core/errors';
import { findSamlIntegration, signInWithSamlResponse, type SamlSignedInRole } from '../core/saml/sign-in';
import { samlPostFromRequest, type CapturedSamlPost } from '../core/saml/upload';
import { samlWindowPlan } from '../core/saml/window';
import { SingleFlight } from '../core/single-flight';

/** Runs the window until the IdP posts to AWS's ACS URL; the POST itself is cancelled. */
export function captureSamlResponse(integration: { name: string; url: string }, mode: 'sign-in' | 'reauthenticate' = 'sign-in'): Promise<CapturedSamlPost> {
  const plan = samlWindowPlan(integration, mode);
  const ses = session.fromPartition(plan.window.webPreferences.partition);
  // An IdP's page gets no camera, notifications or the like (Electron grants them by default).
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  const win = new BrowserWindow(plan.window);
  win.webContents.setWindowOpenHandler(() => ({ action: plan.windowOpen }));
  return new Promise<CapturedSamlPost>((resolve, reject) => {
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(reveal);
      clearTimeout(timeout);
      ses.webRequest.onBeforeRequest(null);
      f();
      if (!win.isDestroyed()) win.destroy();
    };
    ses.webRequest.onBeforeRequest(plan.requestFilter, (details, callback) => {
      samlPostFromRequest(details, (id) => ses.getBlobData(id)).then(
        (post) => {
          if (!post) return callback({});
          callback({ cancel: true });
          finish(() => resolve(post));
        },
        (e: unknown) => {
          callback({ cancel: true });
          finish(() => reject(e));
        },
      );
    });
    // Hidden re-authentication: the IdP wants the person after all (a password, MFA).
    const reveal = plan.revealAfterMs === undefined ? undefined : setTimeout(() => (win.setFocusable(true), win.setSkipTaskbar(false), win.show()), plan.revealAfterMs);
    const timeout = setTimeout(() => finish(() => reject(new RolecallError(`the sign-in to '${integration.name}' took too long`, 'timeout', `try again: rolecall login saml ${integration.name}`))), plan.timeoutMs);
    win.on('closed', () => finish(() => reject(new RolecallError(`the sign-in window of '${integration.name}' was closed before the sign-in finished`, 'sign-in-required'))));
    win.loadURL(plan.url).catch(() => undefined);
  });
}

// One sign-in per integration however many callers ask at once.
const flights = new SingleFlight<string, SamlSignedInRole[]>();

export function signInWithSamlWindow(
  core: Pick<Core, 'state' | 'secrets' | 'broker'>,
  integrationName: string,
  o: { roles?: string[]; mode?: 'sign-in' | 'reauthenticate'; env?: NodeJS.ProcessEnv; onNotice?: (m: string) => void } = {},
): Promise<SamlSignedInRole[]> {
  return flights.run(integrationName, async () => {
    const integration = findSamlIntegration((await core.state.load()).samlIntegrations, integrationName);
    const post = await captureSamlResponse(integration, o.mode);
    return signInWithSamlResponse(
      { state: core.state, secrets: core.secrets, env: o.env ?? process.env, forgetProfile: (p) => core.broker.forget(p) },
      { integration: integrationName, samlResponse: post.samlResponse, roles: o.roles, onNotice: o.onNotice },
    );
  });
}
