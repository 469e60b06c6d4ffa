// Rolecall's state file (profiles, sso-sessions, settings). Every change is a locked
// read-modify-write, so the app, the agent and CLI processes never overwrite each other's edits.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppState, emptyAppState, Profile } from '../../../src-shared/profile';
import { describeIssue } from '../../../src-shared/names';
import { RolecallError } from '../errors';
import { withFileLock, type FileLockOptions } from '../lock';
import type { RolecallPaths } from '../paths';
import { writeFileAtomic } from './atomic';

/** Returns the new state, or mutates the given one in place and returns nothing. */
export type StateUpdate = (state: AppState) => AppState | void | Promise<AppState | void>;

export class StateStore {
  readonly file: string;
  private readonly lockPath: string;

  constructor(
    paths: Pick<RolecallPaths, 'stateFile' | 'locksDir'>,
    private readonly lockOptions: FileLockOptions = {},
  ) {
    this.file = paths.stateFile;
    this.lockPath = path.join(paths.locksDir, 'state.lock');
  }

  async load(): Promise<AppState> {
    const json = await this.readJson();
    return json === undefined ? emptyAppState() : this.check(json);
  }

  /**
   * The state for a reader that never changes it (the window's listing). A profile whose text in
   * the file equals the last read's is that read's checked object, so after another process
   * changes one profile only that one is checked again: checking all 10,000 took 15-40 ms on the
   * path of the window's first paint. Its profiles are frozen; to change the state, use update().
   */
  async read(): Promise<AppState> {
    const json = await this.readJson();
    if (json === undefined) return emptyAppState();
    const raw = (json as { profiles?: unknown } | null)?.profiles;
    if (!Array.isArray(raw)) return this.check(json);
    const known = new Map<string, KnownProfile>();
    const profiles: Profile[] = [];
    for (const p of raw as unknown[]) {
      const name = (p as { name?: unknown } | null)?.name;
      const before = typeof name === 'string' ? this.known.get(name) : undefined;
      let profile = before && sameJson(before.raw, p) ? before.profile : undefined;
      if (!profile) {
        const checked = Profile.safeParse(p);
        // The whole file's check says where the fault is (profiles[i].field), as load() does.
        if (!checked.success) return this.check(json);
        profile = deepFreeze(checked.data);
      }
      if (typeof name === 'string') known.set(name, { raw: p, profile });
      profiles.push(profile);
    }
    const rest = AppState.safeParse({ ...(json as object), profiles: [] });
    if (!rest.success) return this.check(json);
    this.known = known;
    return { ...rest.data, profiles };
  }

  /** The last read()'s profiles by name: the file's object and the checked profile made from it. */
  private known = new Map<string, KnownProfile>();

  /** The file's JSON, or undefined when there is no file yet. */
  private async readJson(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RolecallError(`Cannot read ${this.file}: ${(e as NodeJS.ErrnoException).code ?? e}`, 'file', undefined, { cause: e });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      // V8's message quotes the file's text; say where instead.
      const at = /position (\d+)/.exec((e as Error).message);
      const where = at ? ` (line ${lineOf(text, Number(at[1]))})` : '';
      throw this.broken(`${this.file} is not valid JSON${where}`);
    }
  }

  private check(json: unknown): AppState {
    const parsed = AppState.safeParse(json);
    if (!parsed.success) throw this.broken(describeIssue(parsed.error, this.file));
    return parsed.data;
  }

  /** Applies fn to the current state under the cross-process lock and saves the result (mode 0600). */
  async update(fn: StateUpdate): Promise<AppState> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    return withFileLock(
      this.lockPath,
      async () => {
        const current = await this.load();
        const next = (await fn(current)) ?? current;
        const checked = AppState.safeParse(next);
        if (!checked.success) throw new RolecallError(describeIssue(checked.error as z.ZodError, 'the new state'), 'invalid-input');
        await writeFileAtomic(this.file, JSON.stringify(checked.data, null, 2) + '\n', { mode: 0o600 });
        return checked.data;
      },
      this.lockOptions,
    );
  }

  private broken(message: string): RolecallError {
    return new RolecallError(message, 'file', `fix or move the file; Rolecall has left it as it was`);
  }
}

interface KnownProfile {
  raw: unknown;
  profile: Profile;
}

/** Equal as JSON values (what JSON.parse makes: no undefined, so a key only one side has differs). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
