// When a session is due for refresh (refreshTime): the broker writes it with the session, and the
// broker, the agent and the credential_process hot path all trust it. Too late hands out expired
// credentials; too early calls STS on every request.
import { describe, expect, it } from 'vitest';
import { refreshTime } from '../../../../src-main/core/broker/session-cache';

const obtainedAt = Date.parse('2030-01-01T12:00:00Z');
const at = (secondsAfterObtained: number) => new Date(obtainedAt + secondsAfterObtained * 1000);

describe('refreshTime', () => {
  it.each([
    // [session lifetime s, refreshAheadSeconds, due s after it was obtained]
    [3600, 900, 2700], // the margin: 15 minutes before a 1-hour session ends
    [43200, 900, 42300],
    [3600, 60, 3540],
    [3600, 3000, 1800], // a margin longer than half the life: halfway instead
    [1800, 900, 900], // exactly half: both rules agree
    [1801, 900, 901],
    [900, 900, 450], // the shortest STS session: halfway, not at once
    [900, 60, 840],
    [120, 900, 60],
  ])('a %i s session with refreshAheadSeconds %i is due %i s after it was obtained', (lifetime, ahead, due) => {
    expect(refreshTime(at(lifetime), obtainedAt, ahead)).toEqual(at(due));
  });

  it('is never after expiry, and never before it was obtained', () => {
    for (const lifetime of [60, 900, 3599, 3600, 7200, 129600]) {
      for (const ahead of [60, 300, 900, 3000]) {
        const due = refreshTime(at(lifetime), obtainedAt, ahead).getTime();
        expect(due).toBeLessThan(at(lifetime).getTime());
        expect(due).toBeGreaterThan(obtainedAt);
      }
    }
  });
});
