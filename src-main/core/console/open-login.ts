// Opening a login URL in a browser without putting it on a command line: the browser is started
// with a one-time 127.0.0.1 address that answers once, with a 302 to the login URL (the secure
// redirect AWS recommends for it), and then nothing. A browser keeps its command line for as
// long as it runs, and `ps` shows command lines to every local user; the SigninToken does not
// belong there, while the one-time address is spent by the time anyone could read it.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { RolecallError } from '../errors';
import { launchOpener } from '../sso/open-browser';

export type UrlOpener = (url: string) => Promise<void>;

const WAIT_MS = 120_000;

/** Starts the browser at a one-time redirect to `loginUrl`; resolves once the browser has followed it. */
export async function openThroughRedirect(loginUrl: string, open: UrlOpener, o: { timeoutMs?: number } = {}): Promise<void> {
  const path = `/console/${randomBytes(24).toString('base64url')}`;
  let followed: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (followed = resolve));
  let used = false;
  const server = createServer((req, res) => {
    if (used || req.method !== 'GET' || req.url !== path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('This sign-in link has been used or never existed.\n');
      return;
    }
    used = true;
    res.writeHead(302, { location: loginUrl, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-length': '0' }).end();
    followed();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const waitMs = o.timeoutMs ?? WAIT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    await open(`http://127.0.0.1:${port}${path}`).catch((e: unknown) => {
      if (e instanceof RolecallError) throw e;
      throw new RolecallError(`could not open a browser (${e instanceof Error ? e.message : String(e)})`, 'not-found', 'use --print and open the URL yourself, or --browser CMD');
    });
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new RolecallError(`the browser did not open the sign-in link within ${Math.round(waitMs / 1000)} s`, 'timeout', 'use --print and open the URL yourself')),
          waitMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}

/**
 * An opener for `--browser CMD`: the command's words (split at spaces, no shell) with the URL
 * appended. Resolves once it runs; fails when it cannot be started or exits non-zero at once.
 */
export function commandOpener(command: string): UrlOpener {
  const [file, ...args] = command.trim().split(/\s+/);
  if (!file) throw new RolecallError('--browser: a command is required', 'invalid-input');
  return (url) =>
    launchOpener(file, [...args, url]).catch((e: NodeJS.ErrnoException & { exitCode?: number | null }) => {
      const why = e.exitCode !== undefined ? `it exited with ${e.exitCode}` : e.code === 'ENOENT' ? 'command not found' : (e.code ?? e.message);
      throw new RolecallError(`--browser: could not run ${JSON.stringify(file.slice(0, 100))}: ${why}`, 'invalid-input');
    });
}
