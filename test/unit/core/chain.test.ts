// The walks over profile chains that the broker, the profile checks, import, sync and the CLI
// share: a profile's parent, its chain from the root down (loops and missing sources reported,
// each hop's region its own or its nearest ancestor's), and the profiles built on it.
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { chainOf, dependentsOf, descendantsOf, indexProfiles, parentOf, regionOf } from '../../../src-main/core/chain';

const user = (name: string, region?: string): Profile => ({ kind: 'iam-user', name, accessKeyId: 'AKIAEXAMPLEEXAMPLE12', ...(region ? { region } : {}) });
const role = (name: string, sourceProfile: string, region?: string): Profile => ({
  kind: 'assume-role', name, sourceProfile, roleArn: 'arn:aws:iam::444455556666:role/R', ...(region ? { region } : {}),
});
const sso = (name: string, region?: string): Profile => ({ kind: 'sso-role', name, ssoSession: 'acme', accountId: '111111111111', roleName: 'Admin', ...(region ? { region } : {}) });
const web = (name: string): Profile => ({ kind: 'web-identity', name, roleArn: 'arn:aws:iam::444455556666:role/W', webIdentityTokenFile: '/tmp/token' });

describe('parentOf', () => {
  it.each<[Profile, string | undefined]>([
    [role('dev', 'alice'), 'alice'],
    [user('alice'), undefined],
    [sso('acme/Admin'), undefined],
    [web('ci'), undefined],
  ])('%o -> %s', (profile, parent) => {
    expect(parentOf(profile)).toBe(parent);
  });
});

describe('chainOf', () => {
  const names = (c: ReturnType<typeof chainOf>) => c.hops.map((h) => h.profile.name);

  it.each<[string, Profile[], string, string[], ReturnType<typeof chainOf>['problem']]>([
    ['a root alone', [user('alice')], 'alice', ['alice'], undefined],
    ['a 3-hop chain, root first', [role('c', 'b'), user('alice'), role('b', 'a'), role('a', 'alice')], 'c', ['alice', 'a', 'b', 'c'], undefined],
    ['a chain on an Identity Center role', [sso('acme/Admin'), role('prod', 'acme/Admin')], 'prod', ['acme/Admin', 'prod'], undefined],
    ['a profile that does not exist', [user('alice')], 'gone', [], { kind: 'missing', name: 'gone', dependent: undefined }],
    ['a missing source, named with its dependent', [role('b', 'a'), role('a', 'gone')], 'b', ['a', 'b'], { kind: 'missing', name: 'gone', dependent: 'a' }],
    ['a profile that is its own source', [role('a', 'a')], 'a', ['a'], { kind: 'loop', path: ['a', 'a'] }],
    ['a 3-profile loop, from the asked-for profile up', [role('a', 'b'), role('b', 'c'), role('c', 'a')], 'a', ['c', 'b', 'a'], { kind: 'loop', path: ['a', 'b', 'c', 'a'] }],
    ['a chain leading into a loop', [role('x', 'a'), role('a', 'b'), role('b', 'a')], 'x', ['b', 'a', 'x'], { kind: 'loop', path: ['x', 'a', 'b', 'a'] }],
  ])('%s', (_what, profiles, name, hops, problem) => {
    const chain = chainOf(profiles, name);
    expect(names(chain)).toEqual(hops);
    expect(chain.problem).toEqual(problem);
    // The same walk over an index made once for the list (the listing, `list`, `config write`).
    expect(chainOf(indexProfiles(profiles), name)).toEqual(chain);
  });

  it.each<[string, Profile[], (string | undefined)[]]>([
    ['no region anywhere', [user('alice'), role('a', 'alice'), role('b', 'a')], [undefined, undefined, undefined]],
    ["the root's region, all the way down", [user('alice', 'eu-west-1'), role('a', 'alice'), role('b', 'a')], ['eu-west-1', 'eu-west-1', 'eu-west-1']],
    ['a hop of its own overrides for itself and below', [user('alice', 'eu-west-1'), role('a', 'alice', 'ap-south-1'), role('b', 'a')], ['eu-west-1', 'ap-south-1', 'ap-south-1']],
    ["a hop below a region-less root keeps only its own and its children's", [user('alice'), role('a', 'alice', 'us-west-2'), role('b', 'a')], [undefined, 'us-west-2', 'us-west-2']],
    ['the leaf alone', [user('alice', 'eu-west-1'), role('a', 'alice'), role('b', 'a', 'sa-east-1')], ['eu-west-1', 'eu-west-1', 'sa-east-1']],
  ])("gives each hop its region: %s", (_what, profiles, regions) => {
    expect(chainOf(profiles, 'b').hops.map((h) => h.region)).toEqual(regions);
  });
});

describe('regionOf', () => {
  const profiles = [user('alice', 'eu-west-1'), role('a', 'alice'), role('b', 'a', 'us-west-2'), role('c', 'b'), user('bob'), role('loop1', 'loop2'), role('loop2', 'loop1', 'ca-central-1')];
  it.each<[string, string | undefined]>([
    ['alice', 'eu-west-1'],
    ['a', 'eu-west-1'],
    ['b', 'us-west-2'],
    ['c', 'us-west-2'],
    ['bob', undefined],
    ['gone', undefined],
    ['loop1', 'ca-central-1'],
  ])('%s -> %s', (name, region) => {
    expect(regionOf(profiles, name)).toBe(region);
    expect(regionOf(indexProfiles(profiles), name)).toBe(region);
  });
});

describe('dependents', () => {
  const profiles = [user('alice'), role('a', 'alice'), role('b', 'alice'), role('c', 'a'), role('d', 'c'), sso('acme/Admin'), role('e', 'acme/Admin')];

  it.each<[string, string[], string[]]>([
    ['alice', ['a', 'b'], ['a', 'b', 'c', 'd']],
    ['a', ['c'], ['c', 'd']],
    ['d', [], []],
    ['acme/Admin', ['e'], ['e']],
    ['gone', [], []],
  ])('of %s: directly %o, however far down %o', (name, direct, all) => {
    expect(dependentsOf(profiles, name)).toEqual(direct);
    expect(descendantsOf(profiles, name).sort()).toEqual(all);
  });

  it('stops in a loop, and never counts the profile as its own descendant', () => {
    const loop = [role('a', 'b'), role('b', 'a'), role('x', 'a')];
    expect(descendantsOf(loop, 'a').sort()).toEqual(['b', 'x']);
  });
});
