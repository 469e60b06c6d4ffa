// Cross-process mutual exclusion on the local file system, so the app, the agent and any number
// of CLI processes can read-modify-write the same file without losing updates.
//
// The lock is a file holding {pid, host, token, time}, made whole in a file of its own and then
// hard-linked into place (link fails if the lock exists), so nobody ever sees it empty. While
// held, its mtime is refreshed, so "stale" means: the owner's pid is dead (same host), or nobody
// has touched it for staleMs (a stopped or crashed owner, a reused pid, or a lock without an owner
// in it). No rule looks at how long a lock has been empty: on a loaded machine a maker may take
// seconds between creating a file and writing it, and judging it abandoned let two in at once.
//
// Not proper-lockfile: it knows no owner, so every abandoned lock would block for its full stale
// time, where a dead owner's pid frees this one at once.
import { createHash, randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, readFile, stat, unlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileErrorText, RolecallError } from './errors';
import { processExists } from './process-exists';

export interface FileLockOptions {
  /** Give up waiting after this long (RolecallError 'timeout'). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is taken over (its owner is stopped, hung or gone). */
  staleMs?: number;
  /** First wait between attempts; later waits grow (with jitter) to at most 10x. */
  pollMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  token: string;
  time: string;
}

/** The lock file for one kind of thing ("session", "sso", ...) and one name, safe for any name. */
export function lockFileFor(locksDir: string, kind: string, name: string): string {
  return path.join(locksDir, `${kind}-${createHash('sha256').update(name).digest('hex').slice(0, 16)}.lock`);
}

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T> | T, options: FileLockOptions = {}): Promise<T> {
  // staleMs 10 s: a stopped owner (Ctrl+Z, SIGSTOP) stops its heartbeat and is taken over well
  // within the 30 s budget of a credential request; a live owner refreshes every 2.5 s.
  const { timeoutMs = 30_000, staleMs = 10_000, pollMs = 15 } = options;
  const token = await acquire(lockPath, { timeoutMs, staleMs, pollMs });
  const now = () => new Date();
  // Heartbeat: a long-running holder is never mistaken for a crashed one.
  const heartbeat = setInterval(() => void utimes(lockPath, now(), now()).catch(() => undefined), Math.max(staleMs / 4, 10));
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, o: Required<FileLockOptions>): Promise<string> {
  await mkdir(path.dirname(lockPath), { recursive: true, mode: 0o700 });
  const token = randomBytes(12).toString('hex');
  const deadline = Date.now() + o.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, token)) return token;
    if (await isStale(lockPath, o.staleMs)) {
      await breakStale(lockPath, o.staleMs);
      // Another breaker's guard can hold this up until staleMs: the caller's timeout still stands.
      if (Date.now() < deadline) continue;
    }
    if (Date.now() >= deadline) throw await timeoutError(lockPath, o.timeoutMs);
    const wait = Math.min(o.pollMs * 1.5 ** attempt, o.pollMs * 10) * (0.5 + Math.random());
    await sleep(Math.min(wait, Math.max(deadline - Date.now(), 1)));
  }
}

/** File systems without hard links (FAT, some network shares): the lock is created in place. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);
/** A lock written whole lives milliseconds before it is linked; one this old was left by a killed maker. */
const LEFTOVER_MS = 60_000;
const WHOLE_SUFFIX = '.new';

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  // A waiter polls here for as long as a sign-in may take: it writes nothing while the lock is held.
  if (await lstat(lockPath).then(() => true, () => false)) return false;
  const text = JSON.stringify({ pid: process.pid, host: os.hostname(), token, time: new Date().toISOString() } satisfies LockInfo);
  const whole = `${lockPath}.${token}${WHOLE_SUFFIX}`;
  await writeNew(whole, text, lockPath);
  try {
    await link(whole, lockPath);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // ENOENT: swept as a leftover while this maker stalled; it tries again with a new one.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    // In place, the lock is empty for a moment, which isStale judges by age alone.
    if (NO_HARD_LINKS.has(code)) return writeNew(lockPath, text, lockPath);
    throw new RolecallError(`Cannot create the lock file ${lockPath}: ${fileErrorText(e)}`, 'file', undefined, { cause: e });
  } finally {
    await unlink(whole).catch(() => undefined);
  }
}

/** Writes a file that must not exist yet (false if it does); on failure nothing is left of it. */
async function writeNew(file: string, text: string, lockPath: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RolecallError(`Cannot create the lock file ${lockPath}: ${fileErrorText(e)}`, 'file', undefined, { cause: e });
  }
  try {
    await handle.writeFile(text);
  } catch (e) {
    // A part-written file left behind would be a lock without an owner in it.
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw new RolecallError(`Cannot write the lock file ${lockPath}: ${fileErrorText(e)}`, 'file', undefined, { cause: e });
  }
  await handle.close();
  return true;
}

async function readLock(lockPath: string): Promise<{ info: LockInfo | null; mtimeMs: number } | null> {
  try {
    const [text, st] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    let info: LockInfo | null = null;
    try {
      const parsed = JSON.parse(text) as Partial<LockInfo> | null;
      if (parsed && typeof parsed.token === 'string') info = parsed as LockInfo;
    } catch {
      // Empty or partial (made in place, or not by us): judged by age alone.
    }
    return { info, mtimeMs: st.mtimeMs };
  } catch {
    return null; // released meanwhile
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  const lock = await readLock(lockPath);
  if (!lock) return false;
  if (Date.now() - lock.mtimeMs > staleMs) return true;
  const info = lock.info;
  if (!info) return false;
  return info.host === os.hostname() && typeof info.pid === 'number' && !processExists(info.pid);
}

// Two waiters may judge the same lock stale; if both simply deleted it, the second could delete
// the lock the first has just created. So breakers take a short-lived guard lock and re-check
// under it: only one deletes, and never a fresh lock.
async function breakStale(lockPath: string, staleMs: number): Promise<void> {
  const guard = `${lockPath}.break`;
  const guardToken = randomBytes(12).toString('hex');
  if (!(await tryCreate(guard, guardToken))) {
    // A breaker killed inside this millisecond-long window leaves its guard behind. Judged like
    // any lock, so a dead breaker's guard goes at once instead of holding everyone for staleMs.
    if (await isStale(guard, staleMs)) await unlink(guard).catch(() => undefined);
    await sleep(5);
    return;
  }
  try {
    if (await isStale(lockPath, staleMs)) {
      await unlink(lockPath).catch(() => undefined);
      await sweepLeftovers(lockPath);
    }
  } finally {
    await release(guard, guardToken);
  }
}

/** A dead owner was found, so others may have died too, between writing a lock whole and linking it. */
async function sweepLeftovers(lockPath: string): Promise<void> {
  const dir = path.dirname(lockPath);
  const prefix = `${path.basename(lockPath)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith(WHOLE_SUFFIX))) {
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => null);
    if (st && Date.now() - st.mtimeMs > LEFTOVER_MS) await unlink(file).catch(() => undefined);
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const lock = await readLock(lockPath);
  // If ours was taken over as stale, the file now belongs to someone else: leave it.
  if (lock?.info?.token === token) await unlink(lockPath).catch(() => undefined);
}

async function timeoutError(lockPath: string, timeoutMs: number): Promise<RolecallError> {
  const info = (await readLock(lockPath))?.info;
  const owner = info ? ` (held by process ${info.pid} on ${info.host} since ${info.time})` : '';
  return new RolecallError(
    `Timed out after ${Math.round(timeoutMs / 1000)}s waiting for the lock ${lockPath}${owner}`,
    'timeout',
    `if no other Rolecall process is running, delete ${lockPath}`,
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
