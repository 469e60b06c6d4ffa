// Choosing and running a sign-in: PKCE in the browser by default; the device code when asked for,
// or when no browser can open (SSH, WSL, headless), or when opening one fails.
import type { SsoSession } from '../../../src-shared/profile';
import type { SecretStore } from '../secrets/secret-store';
import { deviceCodeSignIn, type DeviceFlowIo } from './device-flow';
import { cachedRegistration, DEFAULT_SCOPES, oidcEndpoint, OidcError, deleteRegistration, type OidcClient, type SignInFlow } from './oidc';
import type { BrowserOpener } from './open-browser';
import { BrowserUnavailableError, pkceSignIn } from './pkce-flow';
import { recordFromGrant, type TokenRecord } from './tokens';

export interface SignInChoice {
  /** Use the device-code flow even where a browser could open. */
  deviceCode?: boolean;
  /** Print the URL instead of opening a browser. */
  noBrowser?: boolean;
  signal?: AbortSignal;
}

export interface SignInIo {
  print(line: string): void;
  openBrowser: BrowserOpener;
  browserAvailable(): boolean;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** Told the device code as data (the app's dialog); optional. */
  deviceCode?: DeviceFlowIo['deviceCode'];
}

/** How long a person has to finish in the browser (AWS keeps a device code 10 minutes). */
export const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

export async function signIn(
  session: SsoSession,
  choice: SignInChoice,
  deps: { secrets: SecretStore; env: NodeJS.ProcessEnv; oidc: OidcClient; io: SignInIo },
): Promise<TokenRecord> {
  const { io } = deps;
  const canOpen = !choice.noBrowser && io.browserAvailable();
  const scopes = session.registrationScopes?.length ? session.registrationScopes : DEFAULT_SCOPES;
  const run = async (flow: SignInFlow): Promise<TokenRecord> => {
    const reg = await cachedRegistration(deps.secrets, deps.oidc, { region: session.region, startUrl: session.startUrl, flow, scopes, now: io.now() });
    const grant =
      flow === 'pkce'
        ? await pkceSignIn(
            deps.oidc,
            reg,
            { startUrl: session.startUrl, oidcEndpoint: oidcEndpoint(session.region, deps.env) },
            { print: io.print, openBrowser: canOpen ? io.openBrowser : undefined, timeoutMs: SIGN_IN_TIMEOUT_MS, signal: choice.signal },
          )
        : await deviceCodeSignIn(deps.oidc, reg, session.startUrl, session.name, {
            print: io.print,
            openBrowser: canOpen ? io.openBrowser : undefined,
            sleep: io.sleep,
            now: io.now,
            signal: choice.signal,
            deviceCode: io.deviceCode,
          });
    return recordFromGrant(session, reg, flow, grant, io.now());
  };
  const runOnce = async (flow: SignInFlow): Promise<TokenRecord> => {
    try {
      return await run(flow);
    } catch (err) {
      // A registration AWS no longer knows (deleted, or the instance re-created): register anew once.
      if (err instanceof OidcError && err.error === 'invalid_client') {
        await deleteRegistration(deps.secrets, session.region, session.startUrl);
        return run(flow);
      }
      throw err;
    }
  };

  const flow: SignInFlow = choice.deviceCode || (!choice.noBrowser && !canOpen) ? 'device' : 'pkce';
  try {
    return await runOnce(flow);
  } catch (err) {
    if (!(err instanceof BrowserUnavailableError)) throw err;
    io.print('No browser could be opened; signing in with a device code instead.');
    return runOnce('device');
  }
}
