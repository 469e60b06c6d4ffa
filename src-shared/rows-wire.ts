// The profile list between the web bridge and its window, compact. 10,000 rows as JSON objects
// were 3 MB, and receiving, decoding and parsing them was most of the window's first paint. Here
// the keys are said once and each row is an array of its values: half the size, and arrays of
// plain values parse faster than objects. Each row's text is made once per row (the bridge keeps
// it for a row that has not changed), so a change of one profile re-encodes one row, not 10,000.
// No zod: the window's first script decodes it. The bridge sends it only to a request that asks
// for it by media type; every other client gets the contract's plain JSON.

export const ROWS_MEDIA_TYPE = 'application/vnd.rolecall.rows+json';

export interface RowsWire {
  columns: string[];
  rows: unknown[][];
}

/** One row's JSON: its values in the columns' order (an absent key is null). Its values are plain JSON values. */
export const rowJson = (row: Record<string, unknown>, columns: readonly string[]): string => JSON.stringify(columns.map((c) => row[c] ?? null));

/** The answer made of the rows' JSON (rowJson), in order. */
export const rowsJson = (columns: readonly string[], rows: readonly string[]): string => `{"columns":${JSON.stringify(columns)},"rows":[${rows.join(',')}]}`;

/** The rows back as objects; throws on a form it does not know (an answer it cannot read is an error, never an empty list). */
export function decodeRows<T>(wire: RowsWire): T[] {
  const { columns, rows } = wire;
  if (!Array.isArray(columns) || !Array.isArray(rows)) throw new Error('not a rows answer');
  const n = columns.length;
  const out: T[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) o[columns[i]!] = row[i] ?? null;
    out[r] = o as T;
  }
  return out;
}

/** A fetch Response's rows: the compact form when the bridge sent it, else the contract's `{"result": [...]}`. */
export async function rowsOf<T>(res: Response): Promise<T[] | undefined> {
  if ((res.headers.get('content-type') ?? '').startsWith(ROWS_MEDIA_TYPE)) return decodeRows<T>((await res.json()) as RowsWire);
  return ((await res.json()) as { result?: T[] }).result;
}
