// The sandbox's bounded state: records that expired more than a day ago are forgotten once a map grows large.
import { describe, expect, it } from 'vitest';
import { EXPIRED_RETENTION_MS, ExpiringMap } from '../../sandbox/state';

describe('ExpiringMap', () => {
  it('forgets long-expired records when it grows, and keeps live, recently expired and never-expiring ones', () => {
    let now = 0;
    const map = new ExpiringMap<number, { expiresAt?: number }>(
      () => now,
      (v) => v.expiresAt,
    );
    map.set(-1, {}); // a long-term key: no expiry
    for (let i = 0; i < 20_000; i++) map.set(i, { expiresAt: 1000 });
    now = 1000 + EXPIRED_RETENTION_MS + 1;
    map.set(-2, { expiresAt: now - 1 }); // expired just now: still answered as expired
    for (let i = 0; i < 20_000; i++) map.set(100_000 + i, { expiresAt: now + 3600_000 });
    expect(map.has(-1)).toBe(true);
    expect(map.has(-2)).toBe(true);
    expect(map.has(0)).toBe(false);
    expect(map.size).toBe(20_002);
  });
});
