// "did you mean": which profile a mistyped name most likely meant, and when no guess is made.
import { describe, expect, it } from 'vitest';
import { profileNotFound, suggestProfile } from '../../../src-main/core/profiles';

const NAMES = ['alice', 'dev/ReadOnly', 'prod/ReadOnly', 'acme-dev/AdministratorAccess', 'prod'];

describe('suggestProfile', () => {
  it.each([
    ['a letter off', 'alcie', 'alice'],
    ['another case', 'DEV/readonly', 'dev/ReadOnly'],
    ['two letters swapped', 'dev/ReadOnyl', 'dev/ReadOnly'],
    ['a letter missing', 'prd', 'prod'],
    ['the role part of the one account/role name ending so', 'AdministratorAccess', 'acme-dev/AdministratorAccess'],
  ])('%s', (_, given, meant) => {
    expect(suggestProfile(given, NAMES)).toBe(meant);
  });

  it.each<[string, string, string[]]>([
    ['nothing close', 'staging', NAMES],
    ['a role part two names end with', 'ReadOnly', NAMES],
    ['no profiles at all', 'alice', []],
  ])('makes no guess for %s', (_, given, names) => {
    expect(suggestProfile(given, names)).toBeUndefined();
  });

  it('puts the guess in the hint of the not-found error', () => {
    expect(profileNotFound('alcie', [{ name: 'alice' }])).toMatchObject({ message: "profile 'alcie' does not exist", code: 'not-found', hint: "did you mean 'alice'? (all of them: rolecall list)" });
    expect(profileNotFound('x', [])).toMatchObject({ hint: 'run: rolecall list' });
  });
});
