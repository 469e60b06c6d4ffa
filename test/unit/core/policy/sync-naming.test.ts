// What a sync makes of the roles an Identity Center sign-in grants: the profile names people
// put in scripts (unique, stable), and which profiles it removes (only its own, never one that
// another profile builds on).
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-shared/profile';
import { applySync } from '../../../../src-main/core/sso/merge';
import { renderName, sanitizeProfileName, uniqueName } from '../../../../src-main/core/sso/naming';
import type { Assignment } from '../../../../src-main/core/sso/sync';

const T = '{accountName}/{roleName}';
const v = { accountName: 'acme-prod', accountId: '111122223333', roleName: 'Admin', ssoSession: 'acme' };
const a = (accountId: string, accountName: string, roleName: string): Assignment => ({ accountId, accountName, roleName });

describe('renderName', () => {
  it.each([
    ['{accountName}/{roleName}', 'acme-prod/Admin'],
    ['{ssoSession}-{accountId}-{roleName}', 'acme-111122223333-Admin'],
    ['{accountId}', '111122223333'],
    ['fixed', 'fixed'],
    ['{accountName}//{roleName}', 'acme-prod/Admin'],
    ['-{roleName}-', 'Admin'],
    ['{nope}/{roleName}', 'Admin'], // unknown fields render empty (checkTemplate refuses them earlier)
    ['///', '111122223333/Admin'], // nothing usable: accountId/roleName
    ['', '111122223333/Admin'],
  ])('%j renders %j', (template, name) => {
    expect(renderName(template, v)).toBe(name);
  });
});

describe('sanitizeProfileName', () => {
  it.each([
    ['a..b', 'a..b'],
    ['a/-b-/c', 'a/b/c'],
    ['.hidden/role.', 'hidden/role'],
    ['x'.repeat(127) + '/y', 'x'.repeat(127)],
    ['a__b++c@d', 'a__b++c@d'],
    ['@@@x', 'x'],
    ['a---b', 'a-b'],
  ])('%j -> %j', (raw, name) => {
    expect(sanitizeProfileName(raw)).toBe(name);
  });
});

describe('uniqueName', () => {
  it.each<[string, string[], string]>([
    ['dev/Admin', [], 'dev/Admin'],
    ['dev/Admin', ['dev/Admin'], 'dev/Admin-111122223333'],
    ['dev/Admin', ['dev/Admin', 'dev/Admin-111122223333'], 'dev/Admin-111122223333-2'],
    ['dev/Admin', ['dev/Admin', 'dev/Admin-111122223333', 'dev/Admin-111122223333-2'], 'dev/Admin-111122223333-3'],
    ['x'.repeat(128), ['x'.repeat(128)], 'x'.repeat(115) + '-111122223333'],
  ])('%j with %j taken is %j, and is then taken', (desired, taken, name) => {
    const set = new Set(taken);
    expect(uniqueName(desired, '111122223333', set)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(128);
    expect(set.has(name)).toBe(true);
  });
});

describe('applySync', () => {
  const synced = (name: string, accountId: string, roleName: string, ssoSession = 'acme'): Profile => ({
    kind: 'sso-role', name, ssoSession, accountId, accountName: 'old', roleName, synced: true,
  });

  it('adds new roles as synced profiles of this instance, sorted as granted, and counts what is granted', () => {
    const r = applySync([], 'acme', [a('111111111111', 'prod', 'Admin'), a('222222222222', 'dev', 'ReadOnly')], T);
    expect(r.added).toEqual(['prod/Admin', 'dev/ReadOnly']);
    expect(r.profiles).toEqual([
      { kind: 'sso-role', name: 'prod/Admin', ssoSession: 'acme', accountId: '111111111111', accountName: 'prod', roleName: 'Admin', synced: true },
      { kind: 'sso-role', name: 'dev/ReadOnly', ssoSession: 'acme', accountId: '222222222222', accountName: 'dev', roleName: 'ReadOnly', synced: true },
    ]);
    expect(r).toMatchObject({ removed: [], orphaned: [], total: 2 });
  });

  it('skips assignments no profile can hold, and the same role granted twice', () => {
    const r = applySync([], 'acme', [a('1234', 'x', 'Admin'), a('111111111111', 'prod', ''), a('111111111111', 'prod', 'Admin'), a('111111111111', 'prod', 'Admin')], T);
    expect(r.added).toEqual(['prod/Admin']);
  });

  it.each<[string, Profile, 'removed' | 'kept' | 'orphaned']>([
    ['a synced profile whose role is gone', synced('gone', '333333333333', 'Gone'), 'removed'],
    ['a hand-made profile of this instance', { ...synced('mine', '333333333333', 'Gone'), synced: undefined } as Profile, 'kept'],
    ['a synced profile of another instance', synced('theirs', '333333333333', 'Gone', 'other'), 'kept'],
    ['an IAM user', { kind: 'iam-user', name: 'alice', accessKeyId: 'AKIAEXAMPLEEXAMPLE12' }, 'kept'],
  ])('prunes: %s is %s', (_what, profile, fate) => {
    const r = applySync([profile], 'acme', [], T);
    expect(r.removed).toEqual(fate === 'removed' ? [profile.name] : []);
    expect(r.profiles).toEqual(fate === 'removed' ? [] : [profile]);
  });

  it('keeps a synced profile whose role is gone while another profile builds on it, and reports it', () => {
    const base = synced('prod/Admin', '111111111111', 'Admin');
    const onTop: Profile = { kind: 'assume-role', name: 'deploy', sourceProfile: 'prod/Admin', roleArn: 'arn:aws:iam::999999999999:role/Deploy' };
    const r = applySync([base, onTop], 'acme', [], T);
    expect(r).toMatchObject({ removed: [], orphaned: ['prod/Admin'], added: [] });
    expect(r.profiles).toEqual([base, onTop]);
  });

  it('keeps a granted profile as it is (name, user settings), only updating a renamed account', () => {
    const p = { ...synced('my-name', '111111111111', 'Admin'), region: 'eu-west-1', accountName: 'prod' } as Profile;
    expect(applySync([p], 'acme', [a('111111111111', 'prod', 'Admin')], T).profiles).toEqual([p]);
    const renamed = applySync([p], 'acme', [a('111111111111', 'production', 'Admin')], T);
    expect(renamed.profiles).toEqual([{ ...p, accountName: 'production' }]);
    expect(renamed.added).toEqual([]);
  });
});
