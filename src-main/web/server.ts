// The web bridge: RolecallApi over loopback HTTP, so the same renderer runs in a browser
// (`rolecall serve --web`, UI tests). `POST /api/<method>` with `{"args": [...]}` and
// `Authorization: Bearer <token>`; arguments and results are checked with the shared contract.
// `GET /api/events` (same token, read with fetch: EventSource cannot send a header) streams the
// API's events as server-sent events, each payload checked against the contract.
// Every request must name the bridge itself as Host (DNS rebinding), and a POST may carry no
// Origin but the bridge's own. The token is per start, random, and compared in constant time.
// It is never in a page the bridge serves: anyone who can reach the port could read it there.
// The page gets it from the URL fragment `#token=...` its starter was shown (never sent to a server).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProfileRow, RolecallApiContract, RolecallEventContract, rolecallEvents, subscribe, type RolecallApi, type RolecallMethod } from '../../src-shared/api';
import { ROWS_MEDIA_TYPE, rowJson, rowsJson } from '../../src-shared/rows-wire';
import { RENDERER_CSP } from '../../src-shared/csp';
import { describeIssue } from '../../src-shared/names';
import { RolecallError, describeError, isRolecallError, type ErrorCode } from '../core/errors';
import { readStatic } from './static';

export interface WebBridgeOptions {
  api: RolecallApi;
  /** The built renderer (out/renderer); without it only the API is served. */
  rendererDir?: string;
  /** Default: a free port. */
  port?: number;
}

export interface WebBridge {
  /** http://127.0.0.1:<port>/ (no token in it). */
  url: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

const statusOf: Record<ErrorCode, number> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  'sign-in-required': 403,
  'mfa-required': 403,
  'access-denied': 403,
  'aws-error': 502,
  keychain: 500,
  file: 500,
  agent: 503,
  timeout: 504,
};

const commonHeaders = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly code?: string,
  ) {
    super(message);
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export async function startWebBridge(opts: WebBridgeOptions): Promise<WebBridge> {
  const token = randomBytes(32).toString('hex');
  const tokenDigest = sha256(token);
  let port = 0;
  const ownOrigins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

  const authorized = (header: string | undefined): boolean => {
    const m = /^Bearer ([^\s]+)$/.exec(header ?? '');
    // Digests of equal length, so timingSafeEqual neither throws nor leaks the token's length.
    return !!m && timingSafeEqual(sha256(m[1]!), tokenDigest);
  };

  const streams = new Set<http.ServerResponse>();

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { ...commonHeaders, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': rolecall events\n\n');
    const offs = rolecallEvents.map((event) =>
      subscribe(opts.api, event, (payload) => {
        const checked = RolecallEventContract[event].safeParse(payload);
        if (checked.success) res.write(`event: ${event}\ndata: ${JSON.stringify(checked.data)}\n\n`);
      }),
    );
    // A comment now and then keeps proxies and idle timers from closing a quiet stream.
    const beat = setInterval(() => res.write(': beat\n\n'), 15_000);
    streams.add(res);
    res.on('close', () => {
      clearInterval(beat);
      offs.forEach((off) => off());
      streams.delete(res);
    });
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins().includes(origin)) throw new HttpError(403, 'cross-origin request refused');
    if (name === 'events') {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET', { Allow: 'GET' });
      if (!authorized(req.headers.authorization)) throw new HttpError(401, 'a valid token is required', { 'WWW-Authenticate': 'Bearer' });
      return handleEvents(req, res);
    }
    if (req.method !== 'POST') throw new HttpError(405, 'use POST', { Allow: 'POST' });
    if (!authorized(req.headers.authorization)) throw new HttpError(401, 'a valid token is required', { 'WWW-Authenticate': 'Bearer' });
    if (!Object.hasOwn(RolecallApiContract, name)) throw new HttpError(404, `no method ${JSON.stringify(name)}`);
    const method = name as RolecallMethod;
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'the body must be application/json');
    const body = await readBody(req);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HttpError(400, 'the body is not JSON');
    }
    const raw = typeof parsed === 'object' && parsed !== null && 'args' in parsed ? parsed.args : undefined;
    if (!Array.isArray(raw)) throw new HttpError(400, 'the body must be {"args": [...]}');
    const contract = RolecallApiContract[method];
    const args = contract.args.safeParse(raw);
    if (!args.success) throw new HttpError(400, describeIssue(args.error, `bad arguments for ${method}`));
    // The window asks for the profile list in its compact form (src-shared/rows-wire.ts).
    if (method === 'listProfiles' && (req.headers.accept ?? '').includes(ROWS_MEDIA_TYPE)) return sendText(res, 200, await profileRows(), {}, ROWS_MEDIA_TYPE);
    sendText(res, 200, await answer(method, args.data));
  }

  async function invoke(method: RolecallMethod, args: unknown[]): Promise<unknown> {
    try {
      return await (opts.api[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (e) {
      throw new HttpError(isRolecallError(e) ? (statusOf[e.code] ?? 500) : 500, describeError(e), {}, isRolecallError(e) ? e.code : undefined);
    }
  }

  /** The JSON of a method's answer, checked against the contract: only what it describes leaves (zod drops unknown keys). */
  async function answer(method: RolecallMethod, args: unknown[]): Promise<string> {
    const contract = RolecallApiContract[method];
    const result = await invoke(method, args);
    // The same frozen answer of frozen rows (the core's unchanged listing) gets the same bytes.
    const kept = typeof result === 'object' && result !== null ? answers.get(result) : undefined;
    if (kept?.schema === contract.result) return kept.text;
    const checked = checkResult(contract.result, result);
    if (!checked.success) throw new HttpError(500, `the core's answer to ${method} does not match the contract`);
    if (checked.immutable) answers.set(result as object, { schema: contract.result, text: checked.text });
    return checked.text;
  }

  /** The profile list in the window's compact form, each row checked against the contract as for answer(). */
  async function profileRows(): Promise<string> {
    const result = await invoke('listProfiles', []);
    const kept = typeof result === 'object' && result !== null ? rowAnswers.get(result) : undefined;
    if (kept !== undefined) return kept;
    const write = (row: unknown) => rowJson(row as Record<string, unknown>, PROFILE_ROW_COLUMNS);
    const checked = Array.isArray(result) ? checkedParts(RolecallApiContract.listProfiles.result.element, result, checkedRows, write) : undefined;
    if (!checked) throw new HttpError(500, "the core's answer to listProfiles does not match the contract");
    const text = rowsJson(PROFILE_ROW_COLUMNS, checked.parts);
    if (checked.immutable) rowAnswers.set(result as object, text);
    return text;
  }

  // The listing's answer is made when the profiles change (and at start), not when the window asks:
  // the first load after a change finds it ready. A failure here is the next request's to report.
  const prepare = () => void profileRows().catch(() => undefined);
  const offPrepare = subscribe(opts.api, 'profilesChanged', prepare);

  async function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET', { Allow: 'GET, HEAD' });
    const page = urlPath === '/' || urlPath === '/index.html';
    const notBuilt = 'the Rolecall window is not built here: run npm run build (or npx electron-vite build) and start again';
    if (!opts.rendererDir) throw new HttpError(404, page ? notBuilt : 'not found');
    let file: { body: Buffer; contentType: string } | undefined;
    if (page) {
      const html = await readFile(path.join(opts.rendererDir, 'index.html'), 'utf8').catch(() => undefined);
      if (html === undefined) throw new HttpError(404, notBuilt);
      file = { body: Buffer.from(html), contentType: 'text/html; charset=utf-8' };
    } else {
      file = await readStatic(opts.rendererDir, urlPath);
    }
    if (!file) throw new HttpError(404, 'not found');
    // A script or style named by its content hash (Vite's name-HASH8.js) never changes: kept, the
    // browser neither fetches nor compiles it again on a reload (V8 keeps the compiled code of cached scripts).
    // The page itself names the current hashes, so it is never kept.
    const hashed = /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css)$/.test(urlPath);
    res.writeHead(200, {
      ...commonHeaders,
      ...(hashed ? { 'Cache-Control': 'public, max-age=31536000, immutable' } : {}),
      ...(file.contentType.startsWith('text/html') ? { 'Content-Security-Policy': RENDERER_CSP } : {}),
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS rebinding: a page of another site resolved to 127.0.0.1 still sends its own Host.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpError(403, 'unexpected Host header');
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (!rawPath.startsWith('/')) throw new HttpError(400, 'bad request');
    const api = /^\/api\/([^/]*)$/.exec(rawPath);
    if (api) return handleApi(req, res, decodeURIComponentOr(api[1]!));
    if (rawPath.startsWith('/api/')) throw new HttpError(404, 'not found');
    return handleStatic(req, res, rawPath);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof HttpError ? e : new HttpError(500, 'internal error');
      if (res.headersSent) return void res.destroy();
      if (err.status === 413) {
        // Closing while the client still sends would turn the close into a reset that loses the
        // answer: drop the rest of the body, and close once the answer is out and the body is in.
        const close = () => req.socket.destroy();
        req.removeAllListeners('data');
        req.on('data', () => undefined).resume();
        res.once('finish', () => {
          if (req.complete) return close();
          req.once('end', close);
          setTimeout(close, 5000).unref();
        });
      }
      sendJson(res, err.status, err.code ? { error: err.message, code: err.code } : { error: err.message }, err.headers);
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new RolecallError(`port ${opts.port} on 127.0.0.1 is in use`, 'conflict', 'choose another with --port') : e),
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  prepare();
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        offPrepare();
        for (const r of streams) r.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The contract's zod schemas, seen through the little this needs (this layer does not import zod).
interface Schema {
  safeParse(x: unknown): { success: true; data: unknown } | { success: false };
  def?: { type?: string; checks?: unknown[] };
  element?: Schema;
}
// A frozen object (the core freezes the rows of its listings, all of plain values) cannot change
// after its check, so its checked JSON is kept: 10,000 profile rows are checked and serialized
// when they change, not on every listProfiles. Anything else, and every argument from the page, is checked each time.
const checkedElements = new WeakMap<Schema, WeakMap<object, string>>();
/** The JSON sent for a frozen array of frozen rows: it cannot change, and its rows were checked. */
const answers = new WeakMap<object, { schema: unknown; text: string }>();

const PROFILE_ROW_COLUMNS = Object.keys(ProfileRow.shape);
/** The compact answer of a frozen listing (frozen rows: it cannot change). */
const rowAnswers = new WeakMap<object, string>();
/** Each frozen row's compact JSON, made from what the contract's check gave. */
const checkedRows = new WeakMap<object, string>();

/**
 * Each element checked against `element` (unknown keys dropped) and written by `write`; a frozen
 * element's text is kept in `kept`, so it is checked and written once. Undefined when one does not pass.
 */
function checkedParts(element: Schema, result: unknown[], kept: WeakMap<object, string>, write: (checked: unknown) => string): { parts: string[]; immutable: boolean } | undefined {
  let immutable = Object.isFrozen(result);
  const parts: string[] = new Array(result.length);
  for (let i = 0; i < result.length; i++) {
    const x: unknown = result[i];
    const frozen = typeof x === 'object' && x !== null && Object.isFrozen(x);
    immutable &&= frozen;
    let out = frozen ? kept.get(x) : undefined;
    if (out === undefined) {
      const r = element.safeParse(x);
      if (!r.success) return undefined;
      out = write(r.data);
      if (frozen) kept.set(x, out);
    }
    parts[i] = out;
  }
  return { parts, immutable };
}

/** `{"result": ...}` of the checked result, as JSON.stringify would write it. */
function checkResult(contractSchema: unknown, result: unknown): { success: true; text: string; immutable?: boolean } | { success: false } {
  const schema = contractSchema as Schema;
  const element = schema.element;
  if (schema.def?.type !== 'array' || !element || (schema.def.checks?.length ?? 0) > 0 || !Array.isArray(result)) {
    const r = schema.safeParse(result);
    return r.success ? { success: true, text: JSON.stringify({ result: r.data }) } : { success: false };
  }
  let seen = checkedElements.get(element);
  if (!seen) checkedElements.set(element, (seen = new WeakMap()));
  // An array's JSON is its elements' JSON between commas (undefined would be null, as there).
  const checked = checkedParts(element, result, seen, (x) => JSON.stringify(x) ?? 'null');
  return checked ? { success: true, text: `{"result":[${checked.parts.join(',')}]}`, immutable: checked.immutable } : { success: false };
}

function decodeURIComponentOr(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) return Promise.reject(new HttpError(413, 'the body is too large', { Connection: 'close' }));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new HttpError(413, 'the body is too large', { Connection: 'close' }));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), headers);
}

function sendText(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}, mediaType = 'application/json'): void {
  res.writeHead(status, { ...commonHeaders, ...headers, 'Content-Type': `${mediaType}; charset=utf-8`, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
