// The renderer's one door to the core: the preload's RolecallApi (Electron), or else the web
// bridge over fetch (src-main/web), with the token the bridge put in the page (meta tag) or the
// URL fragment `#token=...` that `rolecall serve --web` prints.
import { RolecallApiContract, rolecallMethods, type RolecallApi, type RolecallMethod } from '../../src-shared/api';

declare global {
  interface Window {
    rolecall?: RolecallApi;
  }
}

const TOKEN_KEY = 'rolecall-token';

/** The bridge's token: the meta tag, else the fragment (kept for reloads, then taken off the address bar). */
function bridgeToken(): string | undefined {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="rolecall-token"]')?.content;
  if (meta) return meta;
  const fromHash = /^#token=([0-9a-f]{64})$/.exec(window.location.hash)?.[1];
  if (fromHash) {
    window.sessionStorage.setItem(TOKEN_KEY, fromHash);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function webApi(token: string, base = ''): RolecallApi {
  const call = async (method: RolecallMethod, args: unknown[]): Promise<unknown> => {
    const res = await fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ args }),
    });
    const body: unknown = await res.json().catch(() => undefined);
    const field = (k: string) => (typeof body === 'object' && body !== null && k in body ? (body as Record<string, unknown>)[k] : undefined);
    if (!res.ok) {
      const error = field('error');
      throw new Error(typeof error === 'string' ? error : `the Rolecall bridge answered ${res.status}`);
    }
    // The bridge checked it already; the renderer checks what it receives all the same.
    return RolecallApiContract[method].result.parse(field('result'));
  };
  return Object.fromEntries(rolecallMethods.map((m) => [m, (...args: unknown[]) => call(m, args)])) as RolecallApi;
}

let web: RolecallApi | undefined;

export function getApi(): RolecallApi {
  if (window.rolecall) return window.rolecall;
  if (web) return web;
  const token = bridgeToken();
  if (!token) throw new Error('Rolecall API is not available in this window: open the address `rolecall serve --web` printed');
  web = webApi(token);
  return web;
}
