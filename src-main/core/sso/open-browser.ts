// Opening a URL in the person's browser, and guessing whether there is one: over SSH without a
// display, in WSL or on a headless host the device-code flow is the one that works.
import { spawn } from 'node:child_process';

export type BrowserOpener = (url: string) => Promise<void>;

export function browserLikelyAvailable(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.BROWSER) return true;
  if (platform === 'darwin' || platform === 'win32') return !env.SSH_CONNECTION && !env.SSH_TTY;
  if (env.WSL_DISTRO_NAME) return false;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

function command(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): [string, string[]] {
  // $BROWSER, as xdg-open and Python's webbrowser honour it (first entry of a ':' list).
  const browser = env.BROWSER?.split(':')[0]?.trim();
  if (browser) return [browser, [url]];
  if (platform === 'darwin') return ['open', [url]];
  // Not `cmd /c start`, which would read the '&' in the URL as a command separator.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/** Starts the system's URL opener (no shell); rejects when it cannot be started or fails at once. */
export function systemBrowserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): BrowserOpener {
  return (url) => launchOpener(...command(url, env, platform));
}

/**
 * Runs a URL opener or browser, detached and without a shell. Resolves once it runs; rejects with
 * the spawn error (code ENOENT: not found) or, with exitCode, when it exits non-zero at once, as xdg-open does
 * within moments when nothing can open a URL (a browser that opened one stays running).
 */
export function launchOpener(cmd: string, args: string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, 1_500);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(Object.assign(new Error(`${cmd} exited with ${code}`), { exitCode: code }));
    });
  });
}
