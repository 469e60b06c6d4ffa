// The web bridge's token, without the rest of the API (no zod): prefetch.ts needs it before anything else loads.
import { whenIdle } from './idle';

const TOKEN_KEY = 'rolecall-token';

let known: string | undefined;

/** The bridge's token: the fragment (kept for reloads, then taken off the address bar). */
export function bridgeToken(): string | undefined {
  if (known) return known;
  const fromHash = /^#token=([0-9a-f]{64})$/.exec(window.location.hash)?.[1];
  if (fromHash) {
    known = fromHash;
    // Once the page is idle: on a fresh page the storage's first write took 15-25 ms, which held up
    // the list's first paint when it ran between the list's request and its answer. Until then a
    // reload still finds the token in the address.
    const keep = () => {
      window.sessionStorage.setItem(TOKEN_KEY, fromHash);
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    };
    whenIdle(keep, 1000);
    return fromHash;
  }
  return (known = window.sessionStorage.getItem(TOKEN_KEY) ?? undefined);
}
