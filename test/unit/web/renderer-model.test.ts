// The window's list as pure functions: grouping by account with chains under their source,
// favorites and recent on top, the fuzzy search (and its as-you-type narrowing), countdown tones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountColor, createSearch, groupedItems, indexOf, indexSome, matchScore, searchItems, toneOf, type Item } from '../../../src-renderer/src/model';
import { NOW, row } from '../app/fixtures';

const names = (items: Item[]) => items.map((i) => (i.type === 'profile' ? `${'  '.repeat(i.depth)}${i.profile.name}` : `[${i.label}]`));

const profiles = [
  row('acme-prod/ReadOnlyAccess', { accountId: '777788889999', accountName: 'acme-prod', roleName: 'ReadOnlyAccess' }),
  row('acme-prod/AdministratorAccess', { accountId: '777788889999', accountName: 'acme-prod', roleName: 'AdministratorAccess', favorite: true }),
  row('acme-dev/PowerUserAccess', { accountName: 'acme-dev', roleName: 'PowerUserAccess', lastUsedAt: NOW }),
  row('alice', { kind: 'iam-user', accountId: null, roleName: null, accountName: null, source: null }),
  row('dev-developer', { kind: 'assume-role', source: 'alice', accountId: '444455556666', accountName: 'acme-dev', roleName: 'Developer' }),
  row('audit', { kind: 'assume-role', source: 'dev-developer', accountId: '210987654321', accountName: null, roleName: 'Auditor', chainDepth: 1, alias: 'audit-chain' }),
];

describe('groupedItems', () => {
  it('favorites, then recent, then accounts by name with their roles, chains under the profile they start from', () => {
    expect(names(groupedItems(profiles))).toEqual([
      '[Favorites]',
      'acme-prod/AdministratorAccess',
      '[Recently used]',
      'acme-dev/PowerUserAccess',
      '[acme-dev  444455556666]',
      'acme-dev/PowerUserAccess',
      '[acme-prod  777788889999]',
      'acme-prod/AdministratorAccess',
      'acme-prod/ReadOnlyAccess',
      '[IAM users]',
      'alice',
      '  dev-developer',
      '    audit',
    ]);
  });

  it('still shows a profile whose source is missing', () => {
    expect(names(groupedItems([row('orphan', { kind: 'assume-role', source: 'gone', accountId: '210987654321', accountName: null })]))).toEqual(['[210987654321]', 'orphan']);
  });
});

describe('search', () => {
  const index = indexOf(profiles);
  const found = (q: string) => names(searchItems(index, q));

  it('matches account name, id, role and alias, each term, best first', () => {
    expect(found('prod read')).toEqual(['acme-prod/ReadOnlyAccess']);
    expect(found('7777 admin')).toEqual(['acme-prod/AdministratorAccess']);
    expect(found('audit-chain')).toEqual(['audit']);
    expect(found('ACME-DEV')).toEqual(['acme-dev/PowerUserAccess', 'dev-developer']);
    expect(found('zzz')).toEqual([]);
  });

  it('takes a loosely spelled term inside one word, not scattered over several', () => {
    expect(found('admacc')).toEqual(['acme-prod/AdministratorAccess']);
    // r..e..a..d exists across "poweruseraccess" and "acme-dev", but in no single word.
    expect(found('pow read')).toEqual([]);
    expect(matchScore('acme-prod readonlyaccess', 'read')).toBeGreaterThan(matchScore('acme-prod readonlyaccess', 'rdnly'));
  });

  it('ranks a match at the start of a word (after a space, /, _, - or any Unicode space) above one inside a word', () => {
    for (const sep of [' ', '/', '_', '-', '\t', '\u00a0', '\u3000']) {
      expect(matchScore(`xx${sep}prod`, 'prod'), JSON.stringify(sep)).toBe(matchScore('prod', 'prod') - 3);
    }
    expect(matchScore('xx.prod', 'prod')).toBe(matchScore('prod', 'prod') - 3 - 200);
  });

  it('as you type gives exactly what a fresh search gives, whatever is typed or deleted', () => {
    const alphabet = fc.constantFrom('a', 'c', 'm', 'e', '-', 'p', 'r', 'o', 'd', ' ', '7', 'x', 'i');
    fc.assert(
      fc.property(fc.array(fc.array(alphabet, { maxLength: 8 }).map((a) => a.join('')), { maxLength: 12 }), (queries) => {
        const search = createSearch(index);
        for (const q of queries) expect(names(search(q))).toEqual(found(q));
      }),
      // Ties in rank order once hid here for ~1 run in 4,000: enough runs to catch that kind.
      { numRuns: 3000 },
    );
  });
});

describe('search over many profiles', () => {
  // The ranking is a counting sort by score: it must order as the plain rule says, here over 600.
  const many = Array.from({ length: 600 }, (_, i) =>
    row(`acct-${String(i % 60).padStart(2, '0')}/${['ReadOnly', 'Admin', 'Deploy', 'PowerUser', 'Billing'][i % 5]}-${Math.floor(i / 60)}`, {
      accountId: String(100000000000 + (i % 60)),
      accountName: `acct-${String(i % 60).padStart(2, '0')}`,
      roleName: ['ReadOnly', 'Admin', 'Deploy', 'PowerUser', 'Billing'][i % 5]!,
    }),
  );
  const index = indexOf(many);

  it('ranks best first with ties in name order, as a stable sort by score does', () => {
    for (const q of ['a', 'd', 'o', '1', 'acct', 'r', 'ad 0', 'pow']) {
      const expected = index
        .map((x) => ({ name: x.profile.name, s: matchScore(x.haystack, q, x.words) }))
        .filter((x) => x.s >= 0)
        .sort((a, b) => b.s - a.s || (a.name < b.name ? -1 : 1))
        .map((x) => x.name);
      const got = searchItems(index, q).map((i) => (i.type === 'profile' ? i.profile.name : ''));
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(expected);
    }
    expect(searchItems(index, 'a')).toHaveLength(600);
    expect(searchItems(index, 'a', 5)).toEqual(searchItems(index, 'a').slice(0, 5));
  });

  it('builds the index a slice at a time in idle time, and a search before the end finishes it', () => {
    const list = [...many].reverse();
    let slices = 0;
    // No time left in this idle period: one slice of 500, not the whole list.
    expect(indexSome(list, () => false)).toBe(false);
    expect(indexSome(list, () => ++slices < 1)).toBe(true);
    expect(indexOf(list).map((x) => x.haystack)).toEqual(index.map((x) => x.haystack));
    // Another list, cut short after its first slice, is finished by the first search.
    const other = many.slice(0, 550);
    expect(indexSome(other, () => false)).toBe(false);
    expect(searchItems(indexOf(other), 'acct')).toHaveLength(550);
    expect(indexSome(other, () => false)).toBe(true);
  });
});

describe('countdown tone and account color', () => {
  it('amber under 10 minutes, red under 2, then expired', () => {
    const at = (m: number) => new Date(NOW + m * 60_000).toISOString();
    expect([toneOf(null, NOW), toneOf(at(30), NOW), toneOf(at(9.9), NOW), toneOf(at(1.9), NOW), toneOf(at(0), NOW)]).toEqual(['none', 'ok', 'amber', 'red', 'expired']);
  });

  it('gives an account the same color every time, and different accounts (mostly) different ones', () => {
    expect(accountColor('777788889999')).toBe(accountColor('777788889999'));
    expect(accountColor('777788889999')).not.toBe(accountColor('444455556666'));
  });
});
