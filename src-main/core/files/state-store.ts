// Rolecall's state file (profiles, sso-sessions, settings). Every change is a locked
// read-modify-write, so the app, the agent and CLI processes never overwrite each other's edits.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppState, emptyAppState } from '../../../src-shared/profile';
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
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyAppState();
      throw new RolecallError(`Cannot read ${this.file}: ${(e as NodeJS.ErrnoException).code ?? e}`, 'file', undefined, { cause: e });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      // V8's message quotes the file's text; say where instead.
      const at = /position (\d+)/.exec((e as Error).message);
      const where = at ? ` (line ${lineOf(text, Number(at[1]))})` : '';
      throw this.broken(`${this.file} is not valid JSON${where}`);
    }
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

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
