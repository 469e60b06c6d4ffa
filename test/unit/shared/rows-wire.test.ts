// The compact form of the profile list between the web bridge and its window: rows come back
// exactly as they went, whatever their values, with the keys said once.
import { describe, expect, it } from 'vitest';
import { decodeRows, rowJson, rowsJson, type RowsWire } from '../../../src-shared/rows-wire';

const columns = ['name', 'accountId', 'favorite', 'chainDepth', 'lastUsedAt', 'note'];
const wire = (rows: Record<string, unknown>[]) => JSON.parse(rowsJson(columns, rows.map((r) => rowJson(r, columns)))) as RowsWire;

describe('the rows wire', () => {
  it('gives back the rows it was given: strings, numbers, booleans and nulls, an absent key as null', () => {
    const rows = [
      { name: 'a/Admin', accountId: '111111111111', favorite: true, chainDepth: 0, lastUsedAt: 1_700_000_000_000, note: 'x "quoted" \u2028' },
      { name: 'a/Read', accountId: '111111111111', favorite: false, chainDepth: 2, lastUsedAt: null, note: null },
      { name: '0', accountId: null, favorite: false, chainDepth: 0, lastUsedAt: null },
    ];
    expect(decodeRows(wire(rows))).toEqual([rows[0], rows[1], { ...rows[2], note: null }]);
    expect(decodeRows(wire([]))).toEqual([]);
  });

  it('says the keys once, not on every row', () => {
    const rows = Array.from({ length: 50 }, (_x, i) => ({ name: `acct/Role${i}`, accountId: '444455556666', favorite: false, chainDepth: 0, lastUsedAt: null, note: null }));
    const text = rowsJson(columns, rows.map((r) => rowJson(r, columns)));
    expect(text.split('"chainDepth"')).toHaveLength(2);
    expect(text.length).toBeLessThan(JSON.stringify(rows).length * 0.6);
  });

  it('refuses a form it does not know: an answer it cannot read is an error, never an empty list', () => {
    expect(() => decodeRows({ result: [] } as never)).toThrow('not a rows answer');
  });
});
