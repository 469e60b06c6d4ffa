// The redirect target of the PKCE flow: a one-shot HTTP server on 127.0.0.1 (a picked port) that
// waits for `/oauth/callback?code=..&state=..`. A callback whose state is not ours is refused and
// ignored, so another local page cannot slip its own code in.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RolecallError } from '../errors';

export const CALLBACK_PATH = '/oauth/callback';

export interface Loopback {
  /** http://127.0.0.1:PORT/oauth/callback */
  redirectUri: string;
  /** Resolves with the authorization code; rejects on an error answer, timeout or abort. */
  code: Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

export async function startLoopback(expectedState: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Loopback> {
  let settle!: { resolve: (code: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => undefined); // the caller awaits it; never an unhandled rejection in between

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, title: string, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      res.end(page(title, text));
    };
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return reply(404, 'Not found', 'Nothing here.');
    if (url.searchParams.get('state') !== expectedState) {
      return reply(400, 'Sign-in not accepted', 'This answer does not belong to the sign-in Rolecall started.');
    }
    const error = url.searchParams.get('error');
    if (error) {
      reply(400, 'Sign-in failed', 'Rolecall did not get access. You can close this tab.');
      const what = error === 'access_denied' ? 'the sign-in was denied in the browser' : `the sign-in failed in the browser (${error.slice(0, 64)})`;
      return settle.reject(new RolecallError(what, error === 'access_denied' ? 'access-denied' : 'aws-error'));
    }
    const value = url.searchParams.get('code');
    if (!value) return reply(400, 'Sign-in failed', 'The answer carried no authorization code.');
    reply(200, 'Signed in', 'Rolecall is signed in. You can close this tab.');
    settle.resolve(value);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const timer = setTimeout(
    () => settle.reject(new RolecallError(`no sign-in arrived from the browser within ${Math.round(options.timeoutMs / 60_000)} minutes`, 'timeout')),
    options.timeoutMs,
  );
  const onAbort = () => settle.reject(new RolecallError('the sign-in was cancelled', 'timeout'));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return { redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`, code, close };
}
