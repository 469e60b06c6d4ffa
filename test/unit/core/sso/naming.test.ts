import { describe, expect, it } from 'vitest';
import { PROFILE_NAME_PATTERN } from '../../../../src-shared/names';
import type { Profile } from '../../../../src-shared/profile';
import { applySync } from '../../../../src-main/core/sso/merge';
import { checkTemplate, renderName, sanitizeProfileName } from '../../../../src-main/core/sso/naming';
import type { Assignment } from '../../../../src-main/core/sso/sync';

const T = '{accountName}/{roleName}';
const a = (accountId: string, accountName: string, roleName: string): Assignment => ({ accountId, accountName, roleName });

describe('profile names for synced roles', () => {
  it.each([
    ['Acme Prod (EU)/AdministratorAccess', 'Acme-Prod-EU/AdministratorAccess'],
    ['Café Crème/ReadOnly', 'Cafe-Creme/ReadOnly'],
    ["it's $HOME; `rm`/x", 'it-s-HOME-rm/x'],
    ['  --dev  //Admin', 'dev/Admin'],
    ['[prod]\nname = x/R', 'prod-name-x/R'],
  ])('%j becomes %j, a valid profile name', (raw, expected) => {
    expect(sanitizeProfileName(raw)).toBe(expected);
    expect(PROFILE_NAME_PATTERN.test(expected)).toBe(true);
  });

  it('falls back to accountId/roleName when the template leaves nothing usable, and cuts at 128 characters', () => {
    expect(renderName(T, { accountName: '日本', roleName: '', accountId: '123456789012', ssoSession: 's' })).toBe('123456789012');
    const long = renderName(T, { accountName: 'x'.repeat(200), roleName: 'Admin', accountId: '123456789012', ssoSession: 's' });
    expect(long).toHaveLength(128);
    expect(PROFILE_NAME_PATTERN.test(long)).toBe(true);
  });

  it('refuses a template with an unknown field', () => {
    expect(() => checkTemplate('{account}/{roleName}')).toThrow('the profile name template has an unknown field {account}');
    expect(() => checkTemplate('{ssoSession}-{accountId}-{roleName}')).not.toThrow();
  });

  it('makes names unique (also against hand-made profiles) and keeps them stable across syncs', () => {
    const existing: Profile[] = [{ kind: 'iam-user', name: 'dev/Admin', accessKeyId: 'AKIAEXAMPLEEXAMPLE12' }];
    const roles = [a('111111111111', 'dev', 'Admin'), a('222222222222', 'dev', 'Admin'), a('333333333333', 'dev', 'Admin')];
    const first = applySync(existing, 'acme', roles, T);
    expect(first.added).toEqual(['dev/Admin-111111111111', 'dev/Admin-222222222222', 'dev/Admin-333333333333']);

    // Later the iam-user profile is gone and an account is renamed: no synced profile changes name.
    const without = first.profiles.filter((p) => p.kind !== 'iam-user');
    const second = applySync(without, 'acme', [a('111111111111', 'dev', 'Admin'), a('222222222222', 'staging', 'Admin'), a('333333333333', 'dev', 'Admin')], T);
    expect(second.added).toEqual([]);
    expect(second.removed).toEqual([]);
    expect(second.profiles.map((p) => p.name)).toEqual(first.added);
    expect(second.profiles[1]).toMatchObject({ name: 'dev/Admin-222222222222', accountName: 'staging' });
  });

  it('prunes only synced profiles of this instance, and keeps one that a chained profile builds on', () => {
    const base = applySync([], 'acme', [a('111111111111', 'prod', 'Admin'), a('111111111111', 'prod', 'ReadOnly'), a('222222222222', 'dev', 'Admin')], T);
    const profiles: Profile[] = [
      ...base.profiles,
      { kind: 'assume-role', name: 'deploy', sourceProfile: 'prod/ReadOnly', roleArn: 'arn:aws:iam::999999999999:role/Deploy' },
      { kind: 'sso-role', name: 'mine', ssoSession: 'acme', accountId: '333333333333', roleName: 'Gone' },
      { kind: 'sso-role', name: 'theirs', ssoSession: 'other', accountId: '111111111111', roleName: 'Admin', synced: true },
    ];
    const next = applySync(profiles, 'acme', [a('222222222222', 'dev', 'Admin')], T);
    expect(next.removed).toEqual(['prod/Admin']);
    expect(next.orphaned).toEqual(['prod/ReadOnly']);
    expect(next.profiles.map((p) => p.name)).toEqual(['prod/ReadOnly', 'dev/Admin', 'deploy', 'mine', 'theirs']);
  });
});
