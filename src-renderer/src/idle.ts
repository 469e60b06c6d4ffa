// Idle-time work for the window; its own module so the tiny entry (token.ts) can use it without the store.

/** In idle time, or after `timeoutMs` at the latest (without requestIdleCallback: soon). */
export function whenIdle(f: (deadline?: IdleDeadline) => void, timeoutMs: number): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: timeoutMs });
  else setTimeout(f, 50);
}
