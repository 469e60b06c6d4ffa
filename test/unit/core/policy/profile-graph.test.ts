// What must hold between profiles before a change is saved (checkProfileGraph): each source
// exists, an Identity Center profile's instance is set up, and no profile is its own ancestor.
import { describe, expect, it } from 'vitest';
import type { AppState, Profile } from '../../../../src-shared/profile';
import { emptyAppState } from '../../../../src-shared/profile';
import { dependentsOf } from '../../../../src-main/core/chain';
import { checkProfileGraph } from '../../../../src-main/core/profiles';

const role = (name: string, sourceProfile: string): Profile => ({ kind: 'assume-role', name, sourceProfile, roleArn: 'arn:aws:iam::444455556666:role/R' });
const user = (name: string): Profile => ({ kind: 'iam-user', name, accessKeyId: 'AKIAEXAMPLEEXAMPLE12' });
const sso = (name: string, ssoSession: string): Profile => ({ kind: 'sso-role', name, ssoSession, accountId: '111111111111', roleName: 'Admin' });
const stateOf = (...profiles: Profile[]): AppState => ({
  ...emptyAppState(),
  profiles,
  ssoSessions: [{ name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'eu-west-1' }],
});

describe('checkProfileGraph', () => {
  it.each<[string, Profile[], Profile]>([
    ['an IAM user', [], user('alice')],
    ['a role on a user', [user('alice')], role('dev', 'alice')],
    ['a 3-hop chain', [user('alice'), role('a', 'alice'), role('b', 'a')], role('c', 'b')],
    ['a role on an Identity Center role', [sso('acme/Admin', 'acme')], role('prod', 'acme/Admin')],
    ['an Identity Center role of a set-up instance', [], sso('acme/Admin', 'acme')],
  ])('accepts %s', (_what, others, changed) => {
    expect(() => checkProfileGraph(stateOf(...others, changed), changed)).not.toThrow();
  });

  it.each<[string, Profile[], Profile, string, string]>([
    ['a missing source', [], role('dev', 'gone'), "profile 'dev': its source profile 'gone' does not exist", 'not-found'],
    ['an instance not set up', [], sso('x/Admin', 'other'), "profile 'x/Admin': Identity Center 'other' is not set up", 'not-found'],
    ['a profile that is its own source', [], role('a', 'a'), "profile 'a': its source profiles would form a loop (a -> a)", 'invalid-input'],
    ['a 2-profile loop', [role('b', 'a')], role('a', 'b'), "profile 'a': its source profiles would form a loop (a -> b -> a)", 'invalid-input'],
    ['a 3-profile loop', [role('b', 'c'), role('c', 'a')], role('a', 'b'), "profile 'a': its source profiles would form a loop (a -> b -> c -> a)", 'invalid-input'],
  ])('refuses %s', (_what, others, changed, message, code) => {
    expect(() => checkProfileGraph(stateOf(...others, changed), changed)).toThrow(expect.objectContaining({ message, code }));
  });

  it('says how to sign in to the missing instance', () => {
    expect(() => checkProfileGraph(stateOf(), sso('x/Admin', 'other'))).toThrow(
      expect.objectContaining({ hint: 'sign in first: rolecall login sso other --start-url URL --region REGION' }),
    );
  });

  it('finds the profiles built directly on one (the ones that stop its removal)', () => {
    const s = stateOf(user('alice'), role('a', 'alice'), role('b', 'alice'), role('c', 'a'), sso('acme/Admin', 'acme'));
    expect(dependentsOf(s.profiles, 'alice')).toEqual(['a', 'b']);
    expect(dependentsOf(s.profiles, 'a')).toEqual(['c']);
    expect(dependentsOf(s.profiles, 'c')).toEqual([]);
    expect(dependentsOf(s.profiles, 'acme')).toEqual([]);
  });
});
