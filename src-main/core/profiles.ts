// Adding, editing and removing profiles: every change is one locked read-modify-write of the
// state file, checked as a whole (names unique, sources exist, no loops) before it is saved.
import { Profile, type AppState } from '../../src-shared/profile';
import { describeIssue } from '../../src-shared/names';
import { chainOf, dependentsOf, parentOf } from './chain';
import { RolecallError } from './errors';

export interface ProfileStateStore {
  update(fn: (state: AppState) => AppState | void | Promise<AppState | void>): Promise<AppState>;
}

/** Validates one profile's fields, naming it in the message. */
export function parseProfile(input: unknown): Profile {
  const parsed = Profile.safeParse(input);
  if (parsed.success) return parsed.data;
  const name = (input as { name?: unknown } | null)?.name;
  throw new RolecallError(describeIssue(parsed.error, typeof name === 'string' ? `profile '${name}'` : 'profile'), 'invalid-input');
}

/**
 * The profile a mistyped name most likely meant, as misspelled commands get one: the same name
 * in other case, the one "account/role" name ending in "/NAME", else the nearest name within
 * a third of its length in edits; undefined when none is close.
 */
export function suggestProfile(given: string, names: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  const sameCase = names.find((n) => n.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const bySuffix = names.filter((n) => n.toLowerCase().endsWith(`/${lower}`));
  if (bySuffix.length === 1) return bySuffix[0];
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const d = editDistance(lower, name.toLowerCase());
    if (d <= Math.max(1, Math.floor(given.length / 3)) && (!best || d < best.distance)) best = { name, distance: d };
  }
  return best?.name;
}

/** Levenshtein distance, with a swap of two neighbours counting as one edit (Damerau). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** "profile 'NAME' does not exist", with the likely meant name when one is close (all commands that take a profile use it). */
export function profileNotFound(name: string, profiles: readonly { name: string }[]): RolecallError {
  const meant = suggestProfile(name, profiles.map((p) => p.name));
  return new RolecallError(`profile '${name}' does not exist`, 'not-found', meant ? `did you mean '${meant}'? (all of them: rolecall list)` : 'run: rolecall list');
}

const notFound = (name: string, profiles: readonly { name: string }[] = []) => profileNotFound(name, profiles);

/** Checks what must hold between profiles: each source exists, and no profile is its own ancestor. */
export function checkProfileGraph(state: AppState, changed: Profile): void {
  if (changed.kind === 'sso-role' && !state.ssoSessions.some((s) => s.name === changed.ssoSession)) {
    throw new RolecallError(`profile '${changed.name}': Identity Center '${changed.ssoSession}' is not set up`, 'not-found', `sign in first: rolecall login sso ${changed.ssoSession} --start-url URL --region REGION`);
  }
  const { problem } = chainOf(state.profiles, changed.name);
  if (problem?.kind === 'missing') {
    throw new RolecallError(`profile '${problem.dependent ?? changed.name}': its source profile '${problem.name}' does not exist`, 'not-found', 'run: rolecall list');
  }
  if (problem?.kind === 'loop') {
    throw new RolecallError(`profile '${changed.name}': its source profiles would form a loop (${problem.path.join(' -> ')})`, 'invalid-input');
  }
}

/** Adds a profile; refuses a name already taken. */
export async function addProfile(store: ProfileStateStore, input: unknown): Promise<Profile> {
  const profile = parseProfile(input);
  await store.update((state) => {
    if (state.profiles.some((p) => p.name === profile.name)) {
      throw new RolecallError(`profile '${profile.name}' already exists`, 'conflict', `choose another name, or: rolecall profile edit ${profile.name}`);
    }
    state.profiles.push(profile);
    checkProfileGraph(state, profile);
  });
  return profile;
}

/**
 * Changes some fields of a profile. A field set to undefined in `changes` is left as it was;
 * one listed in `clear` is removed. The kind and the name stay.
 */
export async function editProfile(store: ProfileStateStore, name: string, changes: Record<string, unknown>, clear: string[] = []): Promise<Profile> {
  let edited: Profile | undefined;
  await store.update((state) => {
    const i = state.profiles.findIndex((p) => p.name === name);
    const current = state.profiles[i];
    if (!current) throw notFound(name, state.profiles);
    const next: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(changes)) if (v !== undefined) next[k] = v;
    for (const k of clear) delete next[k];
    if (next.kind !== current.kind || next.name !== current.name) {
      throw new RolecallError(`profile '${name}': its kind and name cannot change; remove it and add it again`, 'invalid-input');
    }
    edited = parseProfile(next);
    state.profiles[i] = edited;
    checkProfileGraph(state, edited);
  });
  return edited as Profile;
}

/** Removes a profile; refuses while other profiles use it as their source, naming them. */
export async function removeProfile(store: ProfileStateStore, name: string): Promise<Profile> {
  let removed: Profile | undefined;
  await store.update((state) => {
    removed = state.profiles.find((p) => p.name === name);
    if (!removed) throw notFound(name, state.profiles);
    const dependents = dependentsOf(state.profiles, name);
    if (dependents.length) {
      const list = dependents.map((d) => `'${d}'`).join(', ');
      throw new RolecallError(
        `profile '${name}' is the source of ${list}`,
        'conflict',
        `remove ${dependents.length > 1 ? 'those' : 'that one'} first, or give ${dependents.length > 1 ? 'them' : 'it'} another source (rolecall profile edit NAME --source OTHER)`,
      );
    }
    state.profiles = state.profiles.filter((p) => p.name !== name);
  });
  return removed as Profile;
}

/**
 * Renames a profile; profiles whose source it is follow. Refuses a name already taken. Returns
 * the profiles that now name it as their source.
 */
export async function renameProfile(store: ProfileStateStore, from: string, to: string): Promise<{ renamed: Profile; dependents: string[] }> {
  let renamed: Profile | undefined;
  let dependents: string[] = [];
  await store.update((state) => {
    const i = state.profiles.findIndex((p) => p.name === from);
    const current = state.profiles[i];
    if (!current) throw notFound(from, state.profiles);
    if (from === to) throw new RolecallError(`profile '${from}' already has that name`, 'invalid-input');
    if (state.profiles.some((p) => p.name === to)) {
      throw new RolecallError(`profile '${to}' already exists`, 'conflict', `choose another name, or remove it first: rolecall profile remove ${to}`);
    }
    renamed = parseProfile({ ...current, name: to });
    state.profiles[i] = renamed;
    dependents = dependentsOf(state.profiles, from);
    state.profiles = state.profiles.map((p) => (dependents.includes(p.name) && 'sourceProfile' in p ? { ...p, sourceProfile: to } : p));
    if (state.settings.defaultProfile === from) state.settings.defaultProfile = to;
    checkProfileGraph(state, renamed);
  });
  return { renamed: renamed as Profile, dependents };
}

export interface ImportResult {
  added: string[];
  addedSsoSessions: string[];
  skipped: { name: string; reason: string }[];
}

/** Why an imported profile (or Identity Center) is not added. */
export type ImportSkip =
  | { name: string; why: 'exists' }
  | { name: string; why: 'sso-session-differs'; ssoSession: string }
  | { name: string; why: 'no-source'; parent?: string; ssoSession?: string };

/**
 * What an import adds to this state, in the order it adds it (sources first, each profile only
 * once its source or Identity Center is in), and what it leaves and why. Pure: importProfiles
 * applies it, and the take-over plans its cuts from the same answer.
 */
export function planImport(state: AppState, imported: { profiles: Profile[]; ssoSessions: AppState['ssoSessions'] }): { ssoSessions: AppState['ssoSessions']; profiles: Profile[]; skipped: ImportSkip[] } {
  const ssoSessions: AppState['ssoSessions'] = [];
  const skipped: ImportSkip[] = [];
  const sessions = new Set(state.ssoSessions.map((x) => x.name));
  // An Identity Center of the file that Rolecall has under its name with another start URL or
  // region: its profiles must not sign in through Rolecall's (another organization, perhaps).
  const differing = new Set<string>();
  for (const s of imported.ssoSessions) {
    const existing = state.ssoSessions.find((x) => x.name === s.name);
    if (!existing) {
      ssoSessions.push(s);
      sessions.add(s.name);
    } else if (existing.startUrl !== s.startUrl || existing.region !== s.region) {
      differing.add(s.name);
      skipped.push({ name: `sso-session ${s.name}`, why: 'sso-session-differs', ssoSession: s.name });
    }
  }
  const known = new Set(state.profiles.map((p) => p.name));
  let pending = imported.profiles.filter((p) => {
    if (known.has(p.name)) skipped.push({ name: p.name, why: 'exists' });
    else if (p.kind === 'sso-role' && differing.has(p.ssoSession)) skipped.push({ name: p.name, why: 'sso-session-differs', ssoSession: p.ssoSession });
    else return true;
    return false;
  });
  const profiles: Profile[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    pending = pending.filter((p) => {
      const parent = parentOf(p);
      if (parent !== undefined && !known.has(parent)) return true;
      if (p.kind === 'sso-role' && !sessions.has(p.ssoSession)) return true;
      profiles.push(p);
      known.add(p.name);
      grew = true;
      return false;
    });
  }
  for (const p of pending) {
    const parent = parentOf(p);
    skipped.push(parent !== undefined ? { name: p.name, why: 'no-source', parent } : { name: p.name, why: 'no-source', ssoSession: (p as { ssoSession?: string }).ssoSession });
  }
  return { ssoSessions, profiles, skipped };
}

/**
 * Adds imported profiles and Identity Center instances in one state update. Names already in
 * Rolecall are kept as they are; a profile whose source did not make it in is skipped with it.
 */
export async function importProfiles(store: ProfileStateStore, imported: { profiles: Profile[]; ssoSessions: AppState['ssoSessions'] }): Promise<ImportResult> {
  const result: ImportResult = { added: [], addedSsoSessions: [], skipped: [] };
  await store.update((state) => {
    const plan = planImport(state, imported);
    state.ssoSessions.push(...plan.ssoSessions);
    state.profiles.push(...plan.profiles);
    result.addedSsoSessions = plan.ssoSessions.map((s) => s.name);
    result.added = plan.profiles.map((p) => p.name);
    result.skipped = plan.skipped.map((k) => ({ name: k.name, reason: importSkipReason(k) }));
  });
  return result;
}

function importSkipReason(k: ImportSkip): string {
  if (k.why === 'exists') return 'a Rolecall profile of that name exists (kept as it is)';
  if (k.why === 'sso-session-differs') {
    return k.name.startsWith('sso-session ')
      ? `Rolecall already has an Identity Center '${k.ssoSession}' with another start URL or region`
      : `its Identity Center '${k.ssoSession}' differs from Rolecall's of that name (another start URL or region); rename the sso-session in the file and import again`;
  }
  return `its ${k.parent !== undefined ? `source profile '${k.parent}'` : `Identity Center '${k.ssoSession}'`} was not imported${k.parent !== undefined ? '; import again once it is in Rolecall (rolecall config import --take-over brings static keys along)' : ''}`;
}
