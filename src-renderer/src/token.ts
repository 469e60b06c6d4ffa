// The web bridge's token, without the rest of the API (no zod): prefetch.ts needs it before anything else loads.
const TOKEN_KEY = 'rolecall-token';

/** The bridge's token: the fragment (kept for reloads, then taken off the address bar). */
export function bridgeToken(): string | undefined {
  const fromHash = /^#token=([0-9a-f]{64})$/.exec(window.location.hash)?.[1];
  if (fromHash) {
    // Just after the caller's first request is on its way: on a fresh page, the storage's first
    // write took 15 ms. Until then a reload still finds the token in the address.
    setTimeout(() => {
      window.sessionStorage.setItem(TOKEN_KEY, fromHash);
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
    }, 0);
    return fromHash;
  }
  return window.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}
