// `sync` against the sandbox: a large organization behind a rate limit, and a re-sync after
// assignments were removed, with what the user set on profiles surviving.
import { afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import type { SyncProgress } from '../../../src-main/core/sso/sync';
import { ACME, accountId, orgOf, startSsoHarness, type SsoHarness } from './harness';

let h: SsoHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ROLES = ['Admin', 'Developer', 'ReadOnly'];

describe('sync', () => {
  it('lists 1,000 accounts x 3 roles under a 20 req/s ListAccountRoles limit, with every role present and no failure surfaced', async () => {
    h = await startSsoHarness(orgOf(1000));
    await h.manager.login({ startUrl: ACME, region: 'us-east-1' });
    h.sandbox.knobs.set({ rateLimits: { 'sso:ListAccountRoles': 20 } });
    let last: SyncProgress | undefined;
    const started = performance.now();
    const result = await h.manager.sync('acme', { onProgress: (p) => (last = p) });
    const seconds = (performance.now() - started) / 1000;

    expect(result).toMatchObject({ accounts: 1000, roles: 3000, removed: [] });
    expect(result.added).toHaveLength(3000);
    expect(last).toEqual({ accounts: 1000, listingDone: true, accountsDone: 1000, roles: 3000 });
    const profiles = (await h.state.load()).profiles;
    const have = new Set(profiles.map((p) => (p.kind === 'sso-role' ? `${p.accountId}:${p.roleName}` : '')));
    for (let i = 0; i < 1000; i++) for (const r of ROLES) expect(have.has(`${accountId(i)}:${r}`)).toBe(true);
    expect(new Set(profiles.map((p) => p.name)).size).toBe(3000);
    // Every account's roles were listed once successfully; throttled calls were retried, not surfaced.
    const calls = h.sandbox.knobs.count('sso:ListAccountRoles');
    expect(calls - (h.sandbox.knobs.throttled.get('sso:ListAccountRoles') ?? 0)).toBe(1000);
    // The floor is 1,000 calls / 20 per second = 50 s; pacing must not waste much beyond it.
    console.log(`sync 1000x3 at 20 req/s: ${seconds.toFixed(1)} s (floor 50 s), ${calls} ListAccountRoles calls`);
    expect(seconds).toBeLessThan(50 * 1.5);
  }, 120_000);

  it('a re-sync prunes exactly the removed roles and keeps names and what the user set', async () => {
    h = await startSsoHarness(orgOf(30));
    await h.manager.login({ startUrl: ACME, region: 'us-east-1' });
    const first = await h.manager.sync('acme');
    expect(first.added).toHaveLength(90);
    expect(first.added).toContain('team-0000/Admin');
    const before = (await h.state.load()).profiles;

    const chained: Profile = { kind: 'assume-role', name: 'deploy', sourceProfile: 'team-0000/Admin', roleArn: 'arn:aws:iam::999999999999:role/Deploy' };
    const manual: Profile = { kind: 'sso-role', name: 'hand-made', ssoSession: 'acme', accountId: accountId(1), roleName: 'Developer' };
    await h.state.update((s) => {
      const p = s.profiles.find((x) => x.name === 'team-0000/Admin');
      if (p) Object.assign(p, { region: 'eu-central-1', alias: 'prod admin', favorite: true });
      s.profiles.push(chained, manual);
    });

    // Ten assignments go (Developer in accounts 0-9), account 15 is renamed; a new sign-in follows.
    const next = orgOf(30, ROLES, (i, r) => i < 10 && r === 'Developer');
    const acct15 = next.accounts[15];
    if (acct15) acct15.name = 'renamed team';
    await h.restartSandbox(next);
    // A new sandbox is a new Identity Center: the cached client registration is unknown there, which
    // the device-code flow notices (invalid_client) and registers afresh.
    await h.manager.login({ name: 'acme', deviceCode: true });
    h.forgotten.length = 0;
    const second = await h.manager.sync('acme');

    const gone = Array.from({ length: 10 }, (_, i) => `team-${String(i).padStart(4, '0')}/Developer`);
    expect(second.removed.sort()).toEqual(gone);
    expect(second.added).toEqual([]);
    expect(h.forgotten.sort()).toEqual(gone);
    const after = (await h.state.load()).profiles;
    expect(after.map((p) => p.name).sort()).toEqual([...before.map((p) => p.name).filter((n) => !gone.includes(n)), 'deploy', 'hand-made'].sort());
    expect(after.find((p) => p.name === 'team-0000/Admin')).toMatchObject({ region: 'eu-central-1', alias: 'prod admin', favorite: true, synced: true });
    expect(after.find((p) => p.name === 'deploy')).toEqual(chained);
    expect(after.find((p) => p.name === 'hand-made')).toEqual(manual);
    expect(after.find((p) => p.name === 'team-0015/Admin')).toMatchObject({ accountName: 'renamed team' });
  });
});
