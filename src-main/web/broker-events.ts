// What the broker does on its own (a refresh asked by a CLI process through the agent, a retry
// after an outage) as the API's events, so a page of `rolecall serve --web` hears of it as the
// app's window does: sessionChanged for a new session, notice for the broker's notices (a
// background refresh that failed among them). Passed to the core when it is made.
import type { ApiEvents } from '../core/api-events';
import type { SessionInfo } from '../core/broker/types';

export function brokerEvents(events: ApiEvents): { onSession: (profile: string, s: SessionInfo) => void; onNotice: (message: string) => void } {
  return {
    onSession: (profile, s) => events.emit('sessionChanged', { profile, expiresAt: s.expiration ? s.expiration.toISOString() : null }),
    onNotice: (message) => events.emit('notice', { message }),
  };
}
