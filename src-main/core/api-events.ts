// The RolecallApi's events on the core's side: a typed fan-out that the faces (Electron IPC, the
// web bridge's server-sent events) subscribe to. A listener that throws cannot stop the others.
import { RolecallEventContract, eventMethodName, rolecallEvents, type RolecallEvent, type RolecallEventPayload, type RolecallEvents } from '../../src-shared/api';
import type { SessionInfo } from './broker/types';

export class ApiEvents {
  private readonly listeners = new Map<RolecallEvent, Set<(p: unknown) => void>>();

  on<E extends RolecallEvent>(event: E, listener: (p: RolecallEventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => void set.delete(l);
  }

  /** Emits a payload the contract accepts; anything else is a bug on this side and is dropped. */
  emit<E extends RolecallEvent>(event: E, payload: RolecallEventPayload<E>): void {
    const checked = RolecallEventContract[event].safeParse(payload);
    if (!checked.success) return;
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(checked.data);
      } catch {
        // one face's failure is not another's
      }
    }
  }

  /** The `onX(listener)` methods of the API. */
  methods(): RolecallEvents {
    return Object.fromEntries(rolecallEvents.map((e) => [eventMethodName(e), (l: (p: unknown) => void) => this.on(e, l as never)])) as unknown as RolecallEvents;
  }
}

/**
 * What the broker does on its own (a refresh asked by a CLI process through the agent, a retry
 * after an outage) as these events, for the core's onSession and onNotice: sessionChanged for a
 * new session, notice for the broker's notices (a background refresh that failed among them).
 * The app's window and a page of `rolecall serve --web` hear of it alike.
 */
export function brokerEvents(events: ApiEvents): { onSession: (profile: string, s: SessionInfo) => void; onNotice: (message: string) => void } {
  return {
    onSession: (profile, s) => events.emit('sessionChanged', { profile, expiresAt: s.expiration ? s.expiration.toISOString() : null }),
    onNotice: (message) => events.emit('notice', { message }),
  };
}
