// The compact form of the profile list between the web bridge and its window: rows come back
// exactly as they went, whatever their values, and repeated strings are said once.
import { describe, expect, it } from 'vitest';
import { decodeRows, encodeRows } from '../../../src-shared/rows-wire';

const columns = ['name', 'accountId', 'favorite', 'chainDepth', 'lastUsedAt', 'note'];

describe('the rows wire', () => {
  it('gives back the rows it was given: strings, numbers, booleans and nulls, an absent key as null', () => {
    const rows = [
      { name: 'a/Admin', accountId: '111111111111', favorite: true, chainDepth: 0, lastUsedAt: 1_700_000_000_000, note: 'x' },
      { name: 'a/Read', accountId: '111111111111', favorite: false, chainDepth: 2, lastUsedAt: null, note: null },
      { name: 'b/Admin', accountId: null, favorite: false, chainDepth: 0, lastUsedAt: null },
    ];
    expect(decodeRows(encodeRows(rows, columns))).toEqual([rows[0], rows[1], { ...rows[2], note: null }]);
  });

  it('says each repeated string once, and keeps numbers as numbers where a column has them', () => {
    const rows = Array.from({ length: 30 }, (_x, i) => ({ name: `acct-${Math.floor(i / 10)}/Role${i % 10}`, accountId: `44440000000${Math.floor(i / 10)}`, favorite: false, chainDepth: i % 3, lastUsedAt: null, note: 'Role' }));
    const wire = encodeRows(rows, columns);
    // Three account ids, thirty names, one note; the number column is not looked up in the table.
    expect(wire.strings.filter((s) => s.startsWith('4444'))).toHaveLength(3);
    expect(wire.strings.filter((s) => s === 'Role')).toHaveLength(1);
    expect(wire.interned.map((i) => columns[i])).toEqual(['name', 'accountId', 'lastUsedAt', 'note']);
    expect(wire.rows[4]![columns.indexOf('chainDepth')]).toBe(1);
    expect(decodeRows(wire)).toEqual(rows);
    // A string that looks like a number stays a string.
    expect(decodeRows(encodeRows([{ name: '0', accountId: '1', favorite: false, chainDepth: 0, lastUsedAt: null, note: '' }], columns))).toEqual([{ name: '0', accountId: '1', favorite: false, chainDepth: 0, lastUsedAt: null, note: '' }]);
  });

  it('refuses a form it does not know: an answer it cannot read is an error, never an empty list', () => {
    expect(() => decodeRows({ result: [] } as never)).toThrow('not a rows answer');
  });
});
