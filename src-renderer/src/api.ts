// The renderer's one door to the core: the preload's RolecallApi (Electron), or else the web
// bridge over fetch (src-main/web), with the token from the URL fragment `#token=...` that
// `rolecall serve --web` prints. Events come over one server-sent-events stream, read with fetch
// (EventSource cannot send the token as a header, and a token in a query string ends up in logs).
// Names only, no zod: this is on the first paint's path (the schemas load later, with the forms).
import { RolecallCallError, eventMethodName, rolecallEvents, rolecallMethods, type RolecallEvent, type RolecallMethod } from '../../src-shared/api-names';
import type { RolecallApi } from '../../src-shared/api';
import { ROWS_MEDIA_TYPE, rowsOf } from '../../src-shared/rows-wire';
import { bridgeToken } from './token';

declare global {
  interface Window {
    rolecall?: RolecallApi;
  }
}

/** Splits a server-sent-events text into complete events; returns them and the unfinished rest. */
export function parseSse(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const events: { event: string; data: string }[] = [];
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

export function webApi(token: string, base = ''): RolecallApi {
  const headers = { Authorization: `Bearer ${token}` };
  const call = async (method: RolecallMethod, args: unknown[]): Promise<unknown> => {
    let res: Response;
    try {
      // The profile list comes compact (src-shared/rows-wire.ts): 10,000 rows as objects were 3 MB.
      const accept: Record<string, string> = method === 'listProfiles' ? { Accept: ROWS_MEDIA_TYPE } : {};
      res = await fetch(`${base}/api/${method}`, { method: 'POST', headers: { ...headers, ...accept, 'Content-Type': 'application/json' }, body: JSON.stringify({ args }) });
    } catch {
      throw new RolecallCallError('Rolecall is not answering: is `rolecall serve --web` still running?', 'agent');
    }
    if (res.ok && method === 'listProfiles') return rowsOf(res);
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      // {error, code?}, as web/server.ts sends it.
      const e = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; code?: unknown };
      throw new RolecallCallError(typeof e.error === 'string' ? e.error : `the Rolecall bridge answered ${res.status}`, typeof e.code === 'string' ? e.code : undefined);
    }
    // The bridge checked the answer against the contract before sending it (a second check here took
    // most of the renderer's share of the first paint with 10,000 roles); the page trusts only its own bridge.
    return (body as { result?: unknown }).result;
  };

  const listeners = new Map<RolecallEvent, Set<(p: unknown) => void>>();
  let streaming = false;
  const stream = async () => {
    if (streaming) return;
    streaming = true;
    for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
      try {
        const res = await fetch(`${base}/api/events`, { headers });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const { event, data } of parsed.events) {
            // The bridge checked each payload against the contract before sending it, as it does the answers.
            const set = listeners.get(event as RolecallEvent);
            if (set?.size) {
              const payload: unknown = JSON.parse(data);
              set.forEach((l) => l(payload));
            }
          }
        }
      } catch {
        // reconnect below
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  };
  const on = (event: RolecallEvent) => (listener: (p: unknown) => void) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    void stream();
    return () => void set.delete(listener);
  };
  return Object.fromEntries([
    ...rolecallMethods.map((m) => [m, (...args: unknown[]) => call(m, args)] as const),
    ...rolecallEvents.map((e) => [eventMethodName(e), on(e)] as const),
  ]) as unknown as RolecallApi;
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
