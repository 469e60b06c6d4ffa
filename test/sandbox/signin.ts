// The federation endpoint (signin.aws.amazon.com/federation) and a stand-in console:
// getSigninToken turns role or federation-token credentials into a SigninToken (valid
// 15 minutes), login trades it for a console session and redirects to /console, which shows
// who is signed in and where. Refusals answer 400 with an error page, as AWS's endpoint does.
// The browser holds its console session in a cookie: a login into another account while it holds
// one is refused until the console's sign-out (/oauth?Action=logout) has ended it, as AWS does
// ("You must first log out before logging into a different AWS account.").
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { RequestContext, Service } from './service';
import { send } from './service';
import { ExpiringMap, type CredentialRecord, type SandboxState } from './state';

const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const SESSION_COOKIE = 'sandbox-console-session';
const SESSION_DURATION = { min: 900, max: 43200 };

interface SigninToken {
  accessKeyId: string;
  /** SessionDuration asked for, if any; otherwise the console session lasts as long as the credentials. */
  sessionSeconds?: number;
  issuedAt: Date;
}

interface ConsoleSession {
  arn: string;
  accountId: string;
  /** What the console can do, in a sentence. */
  permissions: string;
  region: string;
  destination: string;
  issuer?: string;
  expiresAt: Date;
}

class SigninError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const page = (title: string, body: string) =>
  `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>\n${body}\n</body></html>\n`;
const html = (ctx: RequestContext, status: number, title: string, body: string) =>
  send(ctx.res, status, page(title, body), { 'content-type': 'text/html; charset=utf-8', 'x-amzn-RequestId': ctx.requestId });
const fail = (message: string, status = 400) => new SigninError(status, message);

/** The credential the Session parameter names, if its key and token match and it is still valid. */
function sessionCredential(ctx: RequestContext): CredentialRecord {
  const raw = ctx.url.searchParams.get('Session');
  if (raw === null) throw fail('Invalid Session parameter: missing.');
  let session: unknown;
  try {
    session = JSON.parse(raw);
  } catch {
    throw fail('Invalid Session parameter: not JSON.');
  }
  const { sessionId, sessionKey, sessionToken = '' } = (typeof session === 'object' && session !== null ? session : {}) as Record<string, unknown>;
  if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
    throw fail('Invalid Session parameter: sessionId, sessionKey and sessionToken are required.');
  }
  const rec = ctx.state.credentials.get(sessionId);
  if (!rec || rec.secretAccessKey !== sessionKey || (rec.sessionToken ?? '') !== sessionToken) {
    throw fail('Invalid credentials parameter: the credentials are not valid.');
  }
  if (ctx.state.isExpired(rec)) throw fail('Invalid credentials parameter: the credentials have expired.');
  if (rec.kind !== 'assumed-role' && rec.kind !== 'federated-user') {
    throw fail('Only federation tokens or assume role tokens may be used for federated login');
  }
  return rec;
}

function getSigninToken(ctx: RequestContext, tokens: Map<string, SigninToken>): void {
  const rec = sessionCredential(ctx);
  const rawDuration = ctx.url.searchParams.get('SessionDuration');
  let sessionSeconds: number | undefined;
  if (rawDuration !== null) {
    sessionSeconds = Number(rawDuration);
    if (!/^\d+$/.test(rawDuration) || sessionSeconds < SESSION_DURATION.min || sessionSeconds > SESSION_DURATION.max) {
      throw fail(`Invalid SessionDuration: must be between ${SESSION_DURATION.min} and ${SESSION_DURATION.max} seconds.`);
    }
    if (rec.kind === 'federated-user') throw fail('SessionDuration cannot be used with credentials from GetFederationToken.');
    if (rec.roleChained) throw fail('SessionDuration cannot be used with credentials from role chaining.');
  }
  const token = randomBytes(96).toString('base64url');
  tokens.set(token, { accessKeyId: rec.accessKeyId, sessionSeconds, issuedAt: ctx.state.now() });
  send(ctx.res, 200, JSON.stringify({ SigninToken: token }), { 'content-type': 'application/json', 'x-amzn-RequestId': ctx.requestId });
}

/** The console region: `?region=` of the Destination, or its `REGION.console...` host. */
function regionOf(destination: URL, fallback: string): string {
  const fromQuery = destination.searchParams.get('region');
  if (fromQuery && /^[a-z]{2,}(-[a-z]+)+-\d+$/.test(fromQuery)) return fromQuery;
  return /^([a-z]{2,}(?:-[a-z]+)+-\d+)\.console\./.exec(destination.hostname)?.[1] ?? fallback;
}

function login(ctx: RequestContext, tokens: Map<string, SigninToken>, sessions: Map<string, ConsoleSession>): void {
  const q = ctx.url.searchParams;
  const token = tokens.get(q.get('SigninToken') ?? '');
  const now = ctx.state.now();
  if (!token) throw fail('Invalid SigninToken.');
  if (now.getTime() - token.issuedAt.getTime() > TOKEN_LIFETIME_MS) throw fail('The SigninToken has expired: sign-in tokens are valid for 15 minutes.');
  let destination: URL;
  try {
    destination = new URL(q.get('Destination') ?? '');
    if (destination.protocol !== 'https:' && destination.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw fail('Invalid Destination: an absolute console URL is required.');
  }
  const rec = ctx.state.credentials.get(token.accessKeyId);
  if (!rec || ctx.state.isExpired(rec)) throw fail('Invalid credentials parameter: the credentials have expired.');
  const expiresAt =
    token.sessionSeconds !== undefined ? new Date(now.getTime() + token.sessionSeconds * 1000) : (rec.expiration ?? new Date(now.getTime() + 3600 * 1000));
  const held = sessions.get(cookieOf(ctx) ?? '');
  if (held && held.accountId !== rec.accountId) throw fail('You must first log out before logging into a different AWS account.');
  const id = randomBytes(24).toString('base64url');
  sessions.set(id, {
    arn: rec.arn,
    accountId: rec.accountId,
    permissions: permissionsOf(rec),
    region: regionOf(destination, ctx.state.org.region),
    destination: destination.toString(),
    issuer: q.get('Issuer') ?? undefined,
    expiresAt,
  });
  ctx.res.writeHead(302, {
    location: `${ctx.baseUrl}/console?session=${id}`,
    'set-cookie': `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`,
    'content-length': '0',
    'x-amzn-RequestId': ctx.requestId,
  });
  ctx.res.end();
}

const cookieOf = (ctx: RequestContext): string | undefined =>
  (ctx.req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === SESSION_COOKIE)?.[1];

/** The console's sign-out: ends the browser's console session, then goes on to redirect_uri if it is an address of this endpoint's own. */
function logout(ctx: RequestContext, sessions: Map<string, ConsoleSession>): void {
  sessions.delete(cookieOf(ctx) ?? '');
  const clear = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  let next: URL | undefined;
  try {
    next = new URL(ctx.url.searchParams.get('redirect_uri') ?? '');
  } catch {
    next = undefined;
  }
  if (next && next.origin === new URL(ctx.baseUrl).origin) {
    ctx.res.writeHead(302, { location: next.toString(), 'set-cookie': clear, 'content-length': '0', 'x-amzn-RequestId': ctx.requestId });
    ctx.res.end();
    return;
  }
  ctx.res.setHeader('set-cookie', clear);
  html(ctx, 200, 'Signed out', '<p id="message">You have signed out of the AWS Management Console.</p>');
}

/** A console of a session without permissions can show nothing and change nothing: the page says so. */
function permissionsOf(rec: CredentialRecord): string {
  if (rec.permissions === 'none') {
    return 'This session has no permissions: GetFederationToken was called without a session policy (Policy or PolicyArns).';
  }
  if (rec.kind === 'federated-user') return `Permissions: the session policy passed to GetFederationToken, within those of ${rec.userArn ?? 'the IAM user'}.`;
  return `Permissions: those of ${rec.roleArn ?? rec.arn}.`;
}

function consolePage(ctx: RequestContext, sessions: Map<string, ConsoleSession>): void {
  const s = sessions.get(ctx.url.searchParams.get('session') ?? '');
  if (!s) return html(ctx, 401, 'Sign in', '<p>You are not signed in.</p>');
  if (ctx.state.now().getTime() >= s.expiresAt.getTime()) return html(ctx, 401, 'Session expired', '<p>Your console session has expired. Sign in again.</p>');
  html(
    ctx,
    200,
    'AWS Management Console (sandbox)',
    `<h1>AWS Management Console (sandbox)</h1>\n` +
      `<p id="signed-in">Signed in as ${escapeHtml(s.arn)} in ${escapeHtml(s.region)}</p>\n` +
      `<p id="permissions">${escapeHtml(s.permissions)}</p>\n` +
      `<p id="expires">Session expires at ${s.expiresAt.toISOString()}</p>\n` +
      `<p id="destination">Destination: ${escapeHtml(s.destination)}</p>\n` +
      (s.issuer ? `<p id="issuer">Issuer: ${escapeHtml(s.issuer)}</p>\n` : ''),
  );
}

export function createSigninService(state: SandboxState): Service {
  const now = () => state.now().getTime();
  const tokens = new ExpiringMap<string, SigninToken>(now, (t) => t.issuedAt.getTime() + TOKEN_LIFETIME_MS);
  const sessions = new ExpiringMap<string, ConsoleSession>(now, (s) => s.expiresAt.getTime());
  return {
    name: 'signin',
    operationOf(ctx) {
      if (ctx.url.pathname === '/console') return 'signin:Console';
      if (ctx.url.pathname === '/oauth') return ctx.url.searchParams.get('Action')?.toLowerCase() === 'logout' ? 'signin:Logout' : 'signin:OAuth';
      if (ctx.url.pathname !== '/federation') return undefined;
      const action = ctx.url.searchParams.get('Action')?.toLowerCase();
      return action === 'getsignintoken' ? 'signin:GetSigninToken' : action === 'login' ? 'signin:Login' : 'signin:Federation';
    },
    handle(ctx, operation) {
      try {
        if (ctx.req.method !== 'GET') throw fail('The federation endpoint takes GET requests.', 405);
        if (operation === 'signin:GetSigninToken') return getSigninToken(ctx, tokens);
        if (operation === 'signin:Login') return login(ctx, tokens, sessions);
        if (operation === 'signin:Console') return consolePage(ctx, sessions);
        if (operation === 'signin:Logout') return logout(ctx, sessions);
        if (operation === 'signin:OAuth') throw fail('Invalid Action: the sandbox answers only Action=logout here.');
        throw fail('Invalid Action: use getSigninToken or login.');
      } catch (err) {
        if (!(err instanceof SigninError)) throw err;
        html(ctx, err.status, STATUS_CODES[err.status] ?? 'Error', `<h1>HTTP Status ${err.status}</h1>\n<p id="message">${escapeHtml(err.message)}</p>`);
      }
    },
    sendThrottled(ctx) {
      html(ctx, 429, 'Too Many Requests', '<p id="message">Rate exceeded</p>');
    },
    sendServerError(ctx, status) {
      html(ctx, status, 'Service error', `<p id="message">${status === 503 ? 'Service Unavailable' : 'Internal Server Error'}</p>`);
    },
  };
}
