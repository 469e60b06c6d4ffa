// `aws login` as the AWS CLI does it (awscli/customizations/login/utils.py): PKCE authorization
// at {base}/v1/authorize, then CreateOAuth2Token with the authorization_code grant and a DPoP
// proof of a new P-256 key. Same device: the browser comes back to a one-shot loopback server
// (state checked there). Cross device (SSH hosts): the page shows base64("state=..&code=..") and
// the person pastes it.
import { randomUUID } from 'node:crypto';
import { LoginSessionArn } from '../../../src-shared/profile';
import { oneLine } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../errors';
import { startLoopback } from '../sso/loopback';
import type { BrowserOpener } from '../sso/open-browser';
import { createPkce } from '../sso/pkce';
import { newDpopKey } from './dpop';
import { signinBaseUrl } from './endpoint';
import { accountOf, CROSS_DEVICE_CLIENT_ID, loginSessionOf, SAME_DEVICE_CLIENT_ID, type AwsLoginSecret } from './store';
import { createOAuth2Token } from './token';

export const CONFIRMATION_PATH = '/v1/sessions/confirmation';
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

export interface AwsSignInIo {
  /** Opens the URL in the person's browser (same device); absent or failing, the URL is printed. */
  openBrowser?: BrowserOpener;
  /** Tells the person something (the URL to open, what to paste). */
  tell(line: string): void;
  /** Cross device: the code the person pasted. */
  readCode(question: string): Promise<string>;
}

export interface AwsSignInInput {
  /** The profile the sign-in will serve (for messages). */
  name: string;
  region: string;
  env: NodeJS.ProcessEnv;
  remote: boolean;
  timeoutMs?: number;
}

export interface AwsSignedIn {
  secret: AwsLoginSecret;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: Date };
}

/** The authorize URL, exactly as the AWS CLI builds it (code_challenge last, base64url without padding). */
export function loginAuthorizeUrl(base: string, q: { clientId: string; state: string; redirectUri: string; codeChallenge: string }): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: q.clientId,
    state: q.state,
    code_challenge_method: 'SHA-256',
    scope: 'openid',
    redirect_uri: q.redirectUri,
  });
  return `${base.replace(/\/+$/, '')}/v1/authorize?${params.toString()}&code_challenge=${q.codeChallenge}`;
}

/** The pasted cross-device code: base64 of "state=..&code=..". */
export function parseVerificationCode(pasted: string): { code: string; state: string } {
  const text = Buffer.from(pasted.trim(), 'base64').toString('utf8');
  const q = new URLSearchParams(text);
  const code = q.get('code');
  const state = q.get('state');
  if (!code || !state) throw new RolecallError('the pasted text is not the authorization code the sign-in page showed', 'invalid-input', 'copy the whole code from the browser and paste it again');
  return { code, state };
}

export async function signInWithAws(input: AwsSignInInput, io: AwsSignInIo): Promise<AwsSignedIn> {
  const base = signinBaseUrl(input.region, input.env);
  const pkce = createPkce();
  const state = randomUUID();
  const dpopKey = newDpopKey();
  const clientId = input.remote ? CROSS_DEVICE_CLIENT_ID : SAME_DEVICE_CLIENT_ID;
  let code: string;
  let redirectUri: string;
  if (input.remote) {
    redirectUri = `${base.replace(/\/+$/, '')}${CONFIRMATION_PATH}`;
    io.tell(`Open this URL in a browser on any device and sign in:\n${loginAuthorizeUrl(base, { clientId, state, redirectUri, codeChallenge: pkce.codeChallenge })}`);
    const pasted = parseVerificationCode(await io.readCode('Authorization code from the browser: '));
    if (pasted.state !== state) throw new RolecallError('the pasted code belongs to another sign-in (its state does not match)', 'invalid-input', `start again: rolecall login aws ${input.name} --remote`);
    code = pasted.code;
  } else {
    const loopback = await startLoopback(state, { timeoutMs: input.timeoutMs ?? SIGN_IN_TIMEOUT_MS });
    try {
      redirectUri = loopback.redirectUri;
      const url = loginAuthorizeUrl(base, { clientId, state, redirectUri, codeChallenge: pkce.codeChallenge });
      let opened = false;
      if (io.openBrowser) opened = await io.openBrowser(url).then(() => true, () => false);
      io.tell(opened ? `Signing in in your browser. If nothing opened, open:\n${url}` : `Open this URL in your browser and sign in:\n${url}`);
      code = await loopback.code;
    } finally {
      await loopback.close();
    }
  }
  const out = await createOAuth2Token({ baseUrl: base, dpopKey, name: input.name, deadline: Date.now() + 30_000 }, { clientId, grantType: 'authorization_code', code, codeVerifier: pkce.codeVerifier, redirectUri });
  const loginSession = LoginSessionArn.safeParse(loginSessionOf(out.idToken));
  if (!loginSession.success) throw new RolecallError(`AWS sign-in's answer names no login session Rolecall can use (${oneLine(String(loginSessionOf(out.idToken) ?? 'no idToken'), 80)})`, 'aws-error');
  return {
    secret: { loginSession: loginSession.data, clientId, refreshToken: out.refreshToken, dpopKey, idToken: out.idToken, tokenType: out.tokenType, signInRegion: input.region },
    accountId: accountOf(loginSession.data),
    credentials: { ...out.accessToken, expiration: new Date(Date.now() + out.expiresIn * 1000) },
  };
}
