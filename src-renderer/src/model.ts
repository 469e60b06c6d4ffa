// What the list shows, as pure functions of the profiles and the query: accounts with their roles,
// chained profiles under the profile they start from, favorites and recently used on top, and a
// fuzzy search over account name, id, role, alias and profile name. No React here.
import type { ProfileRow } from '../../src-shared/api';

export type Item =
  | { type: 'section'; key: string; label: string }
  | { type: 'account'; key: string; accountId: string | null; label: string; color: string; count: number }
  | { type: 'profile'; key: string; profile: ProfileRow; depth: number; showAccount: boolean };

/** A stable hue per account id, so an account has the same color in every run and on every machine. */
export function accountColor(accountId: string | null): string {
  if (!accountId) return 'hsl(220 10% 55%)';
  let h = 0;
  for (const ch of accountId) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h} 65% 50%)`;
}

const byName = (a: ProfileRow, b: ProfileRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export interface Indexed {
  profile: ProfileRow;
  haystack: string;
  /** The haystack's words, for loose matches inside one word (split once, not per keystroke). */
  words: string[];
  /** Its row in a search result, made once: a keystroke allocates no rows, and a row that stays on screen stays the same object (its memoized row is not re-rendered). */
  item: Item;
}

const WORD_BREAK = /[\s/_-]+/;
/** A character of WORD_BREAK, by code: a first letter's search asks it of nearly 10,000 profiles. */
const isBreak = (c: number) => (c < 128 ? c === 32 || c === 47 || c === 95 || c === 45 || (c >= 9 && c <= 13) : /\s/.test(String.fromCharCode(c)));
const HAS_BREAK = /[\s/_-]/;

const built = new WeakMap<ProfileRow[], Indexed[]>();
const building = new WeakMap<ProfileRow[], { sorted: ProfileRow[]; done: Indexed[] }>();

/** The search index of a profile list, built once per list (lazily: the first paint does not wait for it). */
export function indexOf(profiles: ProfileRow[]): Indexed[] {
  indexSome(profiles, () => true);
  return built.get(profiles)!;
}

/**
 * Builds some more of the list's index, 500 profiles at a time while `more()` says so (at least
 * once); true once it is whole. In idle time, so a keystroke is never stuck behind the whole
 * build (10,000 profiles took 90 ms before the code was compiled).
 */
export function indexSome(profiles: ProfileRow[], more: () => boolean): boolean {
  if (built.has(profiles)) return true;
  let b = building.get(profiles);
  // In name order, so a stable sort by score alone keeps ties in name order.
  if (!b) building.set(profiles, (b = { sorted: [...profiles].sort(byName), done: [] }));
  const { sorted, done } = b;
  do {
    for (const end = Math.min(sorted.length, done.length + 500); done.length < end; ) done.push(indexed(sorted[done.length]!));
  } while (done.length < sorted.length && more());
  if (done.length < sorted.length) return false;
  built.set(profiles, done);
  building.delete(profiles);
  return true;
}

function indexed(p: ProfileRow): Indexed {
  const haystack = [p.accountName, p.accountId, p.roleName, p.alias, p.name].filter(Boolean).join(' ').toLowerCase();
  return { profile: p, haystack, words: [...new Set(haystack.split(WORD_BREAK))], item: { type: 'profile', key: `q:${p.name}`, profile: p, depth: 0, showAccount: true } };
}

/** A term spelled loosely ("admacc" for AdministratorAccess): its characters in order inside one word. */
function subsequenceScore(word: string, term: string): number {
  let pos = -1;
  let gaps = 0;
  for (const ch of term) {
    const next = word.indexOf(ch, pos + 1);
    if (next < 0) return -1;
    if (pos >= 0) gaps += next - pos - 1;
    pos = next;
  }
  return Math.max(1, 300 - gaps * 10);
}

/**
 * How well `query` matches: every space-separated term must match, as a substring (scored by how
 * early, a word start best) or else loosely inside one word; -1 when a term does not match.
 */
export function matchScore(haystack: string, query: string, words?: string[]): number {
  return scoreTerms(haystack, query.split(/\s+/).filter(Boolean), words);
}

function scoreTerms(haystack: string, terms: string[], words?: string[]): number {
  let total = 0;
  for (const term of terms) {
    const at = haystack.indexOf(term);
    if (at >= 0) {
      total += 1000 - Math.min(at, 500) + (at === 0 || isBreak(haystack.charCodeAt(at - 1)) ? 200 : 0);
      continue;
    }
    // A loose match lies inside one word, so it is also one of the whole haystack, and it has no
    // word break in it; nor is a single letter loose. These checks spare most profiles the
    // word-by-word look (a cold one took 15 ms of a keystroke over 10,000 profiles).
    if (term.length < 2 || HAS_BREAK.test(term) || subsequenceScore(haystack, term) < 0) return -1;
    let best = -1;
    for (const word of words ?? haystack.split(WORD_BREAK)) best = Math.max(best, subsequenceScore(word, term));
    if (best < 0) return -1;
    total += best;
  }
  return total;
}

const RECENT = 5;

/** The grouped list (no query): Favorites, Recent, then each account with its roles and chains. */
export function groupedItems(profiles: ProfileRow[]): Item[] {
  // In name order once, and every group below is made in that order: one sort of 10,000 (next to
  // nothing, as the core lists them in name order) instead of one per account and per chain.
  const sorted = [...profiles].sort(byName);
  const items: Item[] = [];
  const favorites = sorted.filter((p) => p.favorite);
  if (favorites.length) {
    items.push({ type: 'section', key: 's:fav', label: 'Favorites' });
    for (const p of favorites) items.push({ type: 'profile', key: `fav:${p.name}`, profile: p, depth: 0, showAccount: true });
  }
  const recent = sorted
    .filter((p) => p.lastUsedAt !== null && !p.favorite)
    .sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0))
    .slice(0, RECENT);
  if (recent.length) {
    items.push({ type: 'section', key: 's:recent', label: 'Recently used' });
    for (const p of recent) items.push({ type: 'profile', key: `recent:${p.name}`, profile: p, depth: 0, showAccount: true });
  }
  // Chained profiles hang under their source; the rest group by account. Most lists have no
  // chain at all: then neither a set of every name nor a visited set is made (cold, before the
  // code is compiled, each was a few ms of the first paint with 10,000 roles).
  const chained = sorted.some((p) => p.kind === 'assume-role' && p.source);
  const names = chained ? new Set(sorted.map((p) => p.name)) : undefined;
  const children = new Map<string, ProfileRow[]>();
  const accounts = new Map<string, ProfileRow[]>();
  for (const p of sorted) {
    const parent = names && p.kind === 'assume-role' && p.source && names.has(p.source) ? p.source : undefined;
    const key = parent ?? p.accountId ?? `other:${p.kind === 'iam-user' ? 'IAM users' : 'Other'}`;
    const into = parent ? children : accounts;
    const list = into.get(key);
    if (list) list.push(p);
    else into.set(key, [p]);
  }
  const label = (key: string, list: ProfileRow[]) => {
    if (key.startsWith('other:')) return key.slice(6);
    const name = list.find((p) => p.accountName)?.accountName;
    return name ? `${name}  ${key}` : key;
  };
  // Each label made once, not twice per comparison (1,000 accounts: some 20,000 times).
  const ordered = [...accounts.entries()]
    .map(([key, list]) => {
      const text = label(key, list);
      return { key, list, label: text, sortKey: text.toLowerCase() };
    })
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const seen = new Set<string>();
  const visit = (p: ProfileRow, depth: number) => {
    if (seen.has(p.name)) return;
    seen.add(p.name);
    items.push({ type: 'profile', key: `p:${p.name}`, profile: p, depth, showAccount: depth > 0 });
    const under = children.get(p.name);
    if (under) for (const c of under) visit(c, depth + 1);
  };
  for (const { key, list, label: text } of ordered) {
    const accountId = key.startsWith('other:') ? null : key;
    items.push({ type: 'account', key: `a:${key}`, accountId, label: text, color: accountColor(accountId), count: list.length });
    if (children.size) for (const p of list) visit(p, 0);
    else for (const p of list) items.push({ type: 'profile', key: `p:${p.name}`, profile: p, depth: 0, showAccount: false });
  }
  // Chains whose loop or missing source left them unvisited still show.
  if (children.size && seen.size < sorted.length) for (const p of sorted) visit(p, 0);
  return items;
}

/** With a query: the matching profiles, best first (ties in name order), each with its account shown. */
export function searchItems(index: Indexed[], rawQuery: string, limit = Infinity): Item[] {
  return ranked(matches(index, terms(rawQuery)), limit);
}

const terms = (q: string) => q.trim().toLowerCase().split(/\s+/).filter(Boolean);

/**
 * The matches in the candidates' (name) order, with their scores beside them: no object per
 * match, as a search's first letter matches nearly all of 10,000 profiles.
 */
function matches(candidates: Indexed[], ts: string[]): { found: Indexed[]; scores: Int32Array } {
  const found: Indexed[] = [];
  const scores = new Int32Array(candidates.length);
  for (const x of candidates) {
    const s = scoreTerms(x.haystack, ts, x.words);
    if (s >= 0) scores[found.push(x) - 1] = s;
  }
  return { found, scores };
}

/**
 * Their rows, best first, ties in name order (the matches come in name order). Scores are small
 * integers (at most 1,200 per term), so a counting sort does it in two passes instead of a
 * comparison sort of 10,000 matches (a third of a first letter's keystroke).
 */
function ranked({ found, scores }: { found: Indexed[]; scores: Int32Array }, limit = Infinity): Item[] {
  const n = found.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (scores[i]! > max) max = scores[i]!;
  // starts[k]: where the matches of key k (max - score) begin; filled in name order, so stable.
  const starts = new Uint32Array(max + 2);
  for (let i = 0; i < n; i++) starts[max - scores[i]! + 1]!++;
  for (let k = 1; k < starts.length; k++) starts[k]! += starts[k - 1]!;
  const out: Item[] = new Array(n);
  for (let i = 0; i < n; i++) out[starts[max - scores[i]!]!++] = found[i]!.item;
  return limit < n ? out.slice(0, limit) : out;
}

/**
 * Search as you type: a query that extends the previous one (another character typed) can only
 * match a subset of what that one matched, so only those are looked at again.
 */
export function createSearch(indexed: Indexed[] | (() => Indexed[])): (rawQuery: string) => Item[] {
  const all = typeof indexed === 'function' ? indexed : () => indexed;
  let last: { text: string; ts: string[]; matched: Indexed[] } | undefined;
  return (rawQuery) => {
    const text = rawQuery.trim().toLowerCase();
    const ts = terms(text);
    // Narrowing is safe when every term of the old query is a prefix-extended term at the same place.
    const narrows = last && ts.length >= last.ts.length && last.ts.every((t, i) => (i === last!.ts.length - 1 ? ts[i]!.includes(t) : ts[i] === t));
    // Kept in name order (not rank order), so a narrowed search ranks ties as a fresh one does.
    const m = matches(narrows ? last!.matched : all(), ts);
    last = { text, ts, matched: m.found };
    return ranked(m);
  };
}

export type Tone = 'none' | 'ok' | 'amber' | 'red' | 'expired';

/** The countdown's color: amber under 10 minutes, red under 2, then expired. */
export function toneOf(expiresAt: string | null, now: number): Tone {
  if (!expiresAt) return 'none';
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return 'expired';
  if (left < 2 * 60_000) return 'red';
  if (left < 10 * 60_000) return 'amber';
  return 'ok';
}
