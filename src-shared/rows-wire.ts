// The profile list between the web bridge and its window, compact. 10,000 rows as JSON objects
// were 3 MB, and receiving, decoding and parsing them was most of the window's first paint. Here
// each key is said once, and each distinct string once, in a table the rows point into (an
// account's name and id, a role's name and the instance repeat across rows). No zod: the window's
// first script decodes it. The bridge sends it only to a request that asks for it by media type;
// every other client gets the contract's plain JSON.

export const ROWS_MEDIA_TYPE = 'application/vnd.rolecall.rows+json';

export interface RowsWire {
  columns: string[];
  /** Columns whose values are indexes into `strings` (or null). */
  interned: number[];
  strings: string[];
  rows: unknown[][];
}

/** Rows whose values are plain JSON values, each row having `columns` (an absent key is null). */
export function encodeRows(rows: readonly Record<string, unknown>[], columns: string[]): RowsWire {
  // A column is interned when no row has anything in it but a string or null.
  const interned = columns.flatMap((c, i) => (rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'string') ? [i] : []));
  const isInterned = columns.map((_c, i) => interned.includes(i));
  const index = new Map<string, number>();
  const strings: string[] = [];
  const out = rows.map((r) =>
    columns.map((c, i) => {
      const v = r[c] ?? null;
      if (v === null || !isInterned[i]) return v;
      let at = index.get(v as string);
      if (at === undefined) index.set(v as string, (at = strings.push(v as string) - 1));
      return at;
    }),
  );
  return { columns, interned, strings, rows: out };
}

/** The rows back as objects; throws on a form it does not know (an answer it cannot read is an error, never an empty list). */
export function decodeRows<T>(wire: RowsWire): T[] {
  const { columns, interned, strings, rows } = wire;
  if (!Array.isArray(columns) || !Array.isArray(interned) || !Array.isArray(strings) || !Array.isArray(rows)) throw new Error('not a rows answer');
  const isInterned = columns.map((_c, i) => interned.includes(i));
  const n = columns.length;
  const out: T[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const v = row[i] ?? null;
      o[columns[i]!] = v !== null && isInterned[i] ? strings[v as number] : v;
    }
    out[r] = o as T;
  }
  return out;
}

/** A fetch Response's rows: the compact form when the bridge sent it, else the contract's `{"result": [...]}`. */
export async function rowsOf<T>(res: Response): Promise<T[] | undefined> {
  if ((res.headers.get('content-type') ?? '').startsWith(ROWS_MEDIA_TYPE)) return decodeRows<T>((await res.json()) as RowsWire);
  return ((await res.json()) as { result?: T[] }).result;
}
