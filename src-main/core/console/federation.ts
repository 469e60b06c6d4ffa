// The federation endpoint's two steps: getSigninToken (session credentials -> SigninToken, valid
// 15 minutes) and the Action=login URL a browser follows. The credentials and the token are
// secrets: no message here ever includes a request URL, only the endpoint's base.
import type { Credentials } from '../../../src-shared/profile';
import { oneLine } from '../../../src-shared/untrusted-text';
import { configuredEndpoint } from '../aws/endpoints';
import { RolecallError } from '../errors';
import type { ConsolePartition } from './partitions';

/** What the login URL names as its issuer (AWS shows it when the console session ends). */
export const ISSUER = 'Rolecall';
const TIMEOUT_MS = 15_000;

/** The sign-in base URL: AWS_ENDPOINT_URL_SIGNIN (or AWS_ENDPOINT_URL), else the region-specific sign-in host. */
export function signinBase(p: ConsolePartition, env: NodeJS.ProcessEnv): string {
  return configuredEndpoint('signin', env) ?? `https://${p.regionalSigninHost}`;
}

export const federationEndpoint = (p: ConsolePartition, env: NodeJS.ProcessEnv) => `${signinBase(p, env)}/federation`;

export interface SigninTokenRequest {
  endpoint: string;
  credentials: Credentials;
  /** Omitted where AWS refuses it (see session-rules.ts). */
  sessionDuration?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Asks the federation endpoint for a SigninToken. */
export async function getSigninToken(r: SigninTokenRequest): Promise<string> {
  const { credentials: c } = r;
  if (!c.sessionToken) {
    throw new RolecallError('the federation endpoint takes only temporary credentials (a role or GetFederationToken session)', 'invalid-input');
  }
  const url = new URL(r.endpoint);
  url.searchParams.set('Action', 'getSigninToken');
  if (r.sessionDuration !== undefined) url.searchParams.set('SessionDuration', String(r.sessionDuration));
  url.searchParams.set('Session', JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken }));
  let res: Response;
  let body: string;
  try {
    res = await (r.fetch ?? fetch)(url, { signal: AbortSignal.timeout(r.timeoutMs ?? TIMEOUT_MS), redirect: 'error' });
    body = await res.text();
  } catch (e) {
    const why = (e as { name?: string }).name === 'TimeoutError' ? 'no answer in time' : causeText(e);
    throw new RolecallError(`could not reach the AWS sign-in endpoint at ${r.endpoint}: ${why}`, 'aws-error');
  }
  if (!res.ok) {
    const said = /<p id="message">([^<]*)<\/p>/.exec(body)?.[1];
    throw new RolecallError(
      `the AWS sign-in endpoint at ${r.endpoint} refused getSigninToken (HTTP ${res.status})${said ? `: ${oneLine(unescapeHtml(said))}` : ''}`,
      res.status === 429 || res.status >= 500 ? 'aws-error' : 'access-denied',
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') throw new RolecallError(`the AWS sign-in endpoint at ${r.endpoint} answered without a SigninToken`, 'aws-error');
  return token;
}

/** The URL that signs a browser in: valid 15 minutes, and as secret as the credentials. */
export function loginUrl(endpoint: string, signinToken: string, destination: string, issuer = ISSUER): string {
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', issuer);
  url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', signinToken);
  return url.toString();
}

/**
 * The console's sign-out, going on to `next`: a browser's old console session is ended before the
 * new one starts. At the partition-wide sign-in host: sign-out is observed to work only there
 * (us-east-1's endpoint, for aws), not at the other region-specific hosts.
 */
export function signOutFirst(p: ConsolePartition, env: NodeJS.ProcessEnv, next: string): string {
  const url = new URL(`${configuredEndpoint('signin', env) ?? `https://${p.signinHost}`}/oauth`);
  url.searchParams.set('Action', 'logout');
  url.searchParams.set('redirect_uri', next);
  return url.toString();
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}

const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
