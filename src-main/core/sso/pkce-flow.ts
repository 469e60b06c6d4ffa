// The authorization-code flow with PKCE: open (or print) the authorize URL, catch the redirect on
// a loopback port, and trade the code plus its verifier for tokens.
import { RolecallError } from '../errors';
import { startLoopback } from './loopback';
import type { OidcClient, Registration, TokenGrant } from './oidc';
import { authorizeUrl, createPkce } from './pkce';

export interface PkceFlowIo {
  print(line: string): void;
  /** Absent with --no-browser: the URL is printed for the person to open. */
  openBrowser?: (url: string) => Promise<void>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Thrown when the browser could not be opened, so the caller can fall back to the device code. */
export class BrowserUnavailableError extends RolecallError {
  constructor(cause: unknown) {
    super('no browser could be opened', 'invalid-input', undefined, { cause });
  }
}

export async function pkceSignIn(
  oidc: OidcClient,
  reg: Registration,
  input: { startUrl: string; oidcEndpoint: string },
  io: PkceFlowIo,
): Promise<TokenGrant> {
  const pkce = createPkce();
  const loopback = await startLoopback(pkce.state, { timeoutMs: io.timeoutMs, signal: io.signal });
  try {
    const url = authorizeUrl({ oidcEndpoint: input.oidcEndpoint, clientId: reg.clientId, redirectUri: loopback.redirectUri, pkce, scopes: reg.scopes });
    await presentAuthorizeUrl(io, url, input.startUrl);
    const code = await loopback.code;
    return await oidc.createToken({
      grantType: 'authorization_code',
      clientId: reg.clientId,
      clientSecret: reg.clientSecret,
      code,
      redirectUri: loopback.redirectUri,
      codeVerifier: pkce.codeVerifier,
    });
  } finally {
    await loopback.close();
  }
}

/**
 * Opens the authorization page of a PKCE sign-in, or says where it is: a browser that cannot be
 * opened is BrowserUnavailableError (the caller offers the device code instead). The URL is
 * printed either way, for a browser that did not come up.
 */
export async function presentAuthorizeUrl(io: Pick<PkceFlowIo, 'openBrowser' | 'print'>, url: string, target: string): Promise<void> {
  if (io.openBrowser) {
    try {
      await io.openBrowser(url);
    } catch (err) {
      throw new BrowserUnavailableError(err);
    }
    io.print(`Your browser was opened to sign in to ${target}. If it did not open, visit:`);
  } else {
    io.print(`To sign in to ${target}, open this URL in a browser on this computer (on another computer, use --device-code):`);
  }
  io.print(url);
}
