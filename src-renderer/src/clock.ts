// One shared second-ticker: each countdown subscribes on its own, so a tick re-renders only the
// countdowns on screen, never the list.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(l: () => void): () => void {
  listeners.add(l);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((x) => x());
    }, 1000);
  }
  return () => {
    listeners.delete(l);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** After a sleep, the next tick is late: tell every countdown at once (the window got focus or became visible). */
export function tickNow(): void {
  now = Date.now();
  listeners.forEach((x) => x());
}

export const useNow = (): number => useSyncExternalStore(subscribe, () => now);
