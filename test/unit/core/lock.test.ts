import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withFileLock } from '../../../src-main/core/lock';
import { describeError } from '../../../src-main/core/errors';

// open() and link() pass through to the real ones; tests make the lock's write fail as on a full
// disk, and link() fail as on a file system without hard links.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, open: vi.fn(real.open), link: vi.fn(real.link) };
});

const lockSource = fileURLToPath(new URL('../../../src-main/core/lock.ts', import.meta.url));
let dir: string;
let childScript: string;

// Each child increments a counter file N times under the lock, with a pause between the read and
// the write so that any overlap between two holders would lose an update.
const CHILD = `
import { readFile, writeFile } from 'node:fs/promises';
import { withFileLock } from ${JSON.stringify(lockSource)};
const [lockPath, counterPath, times] = process.argv.slice(2);
for (let i = 0; i < Number(times); i++) {
  await withFileLock(lockPath, async () => {
    const n = Number(await readFile(counterPath, 'utf8'));
    await new Promise((r) => setTimeout(r, 1));
    await writeFile(counterPath, String(n + 1));
  }, { pollMs: 5 });
}
`;

// Takes the lock, says so on stdout, and holds it (heartbeat and all) until killed.
const HOLDER = `
import { withFileLock } from ${JSON.stringify(lockSource)};
await withFileLock(process.argv[2], () => {
  process.stdout.write('held\\n');
  return new Promise(() => setInterval(() => undefined, 1000));
});
`;
let holderScript: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-lock-'));
  childScript = path.join(dir, 'child.mjs');
  holderScript = path.join(dir, 'holder.mjs');
  await build({ stdin: { contents: HOLDER, loader: 'ts', resolveDir: dir }, bundle: true, platform: 'node', format: 'esm', outfile: holderScript, logLevel: 'silent' });
  await build({ stdin: { contents: CHILD, loader: 'ts', resolveDir: dir }, bundle: true, platform: 'node', format: 'esm', outfile: childScript, logLevel: 'silent' });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('withFileLock', () => {
  it('30 processes incrementing one counter under the lock lose no update', async () => {
    const lockPath = path.join(dir, 'locks', 'counter.lock');
    const counter = path.join(dir, 'counter');
    await writeFile(counter, '0');
    const codes = await Promise.all(Array.from({ length: 30 }, () => run([lockPath, counter, '10'])));
    expect(codes).toEqual(Array(30).fill(0));
    expect(await readFile(counter, 'utf8')).toBe('300');
    expect(await readdir(path.join(dir, 'locks'))).toEqual([]);
  });

  it('excludes concurrent holders within one process too', async () => {
    const lockPath = path.join(dir, 'inproc.lock');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lockPath, async () => {
          maxInside = Math.max(maxInside, ++inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }, { pollMs: 2 }),
      ),
    );
    expect(maxInside).toBe(1);
  });

  it('returns the result and releases the lock when fn throws', async () => {
    const lockPath = path.join(dir, 'throw.lock');
    await expect(withFileLock(lockPath, () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(withFileLock(lockPath, async () => 42, { timeoutMs: 200 })).resolves.toBe(42);
  });

  it('takes over a lock whose owner process is dead', async () => {
    const lockPath = path.join(dir, 'dead.lock');
    await writeFile(lockPath, JSON.stringify({ pid: await deadPid(), host: os.hostname(), token: 'x', time: new Date().toISOString() }));
    const started = Date.now();
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 2000 })).resolves.toBe('ok');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('takes over a lock not refreshed for staleMs even if its pid is alive', async () => {
    const lockPath = path.join(dir, 'old.lock');
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'x', time: '2020-01-01T00:00:00Z' }));
    const old = new Date(Date.now() - 10_000);
    await utimes(lockPath, old, old);
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 2000, staleMs: 5000 })).resolves.toBe('ok');
  });

  it('waits for a live holder and times out with a clear error naming the lock and owner', async () => {
    const lockPath = path.join(dir, 'live.lock');
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'x', time: new Date().toISOString() }));
    const started = Date.now();
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch((e) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(err).toMatchObject({ name: 'RolecallError', code: 'timeout' });
    expect(err.message).toContain(lockPath);
    expect(err.message).toContain(`process ${process.pid}`);
    // The live holder's lock is left alone.
    expect(JSON.parse(await readFile(lockPath, 'utf8')).token).toBe('x');
  });

  it('keeps a long-running holder from being taken over as stale', async () => {
    const lockPath = path.join(dir, 'long.lock');
    const order: string[] = [];
    const first = withFileLock(lockPath, async () => {
      order.push('first-in');
      await new Promise((r) => setTimeout(r, 600));
      order.push('first-out');
    }, { staleMs: 200 });
    await new Promise((r) => setTimeout(r, 50));
    const second = withFileLock(lockPath, async () => void order.push('second'), { staleMs: 200, pollMs: 5 });
    await Promise.all([first, second]);
    expect(order).toEqual(['first-in', 'first-out', 'second']);
  });

  // Its maker may be between creating and writing it, which on a loaded machine can take
  // seconds: taking it over then let two processes in at once (two MFA calls, one refused).
  it('leaves an empty lock alone until nobody has touched it for staleMs, however long it has been empty', async () => {
    const lockPath = path.join(dir, 'empty.lock');
    await writeFile(lockPath, '');
    const old = new Date(Date.now() - 3_000);
    await utimes(lockPath, old, old);
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    const started = Date.now();
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 5_000, staleMs: 2_000 })).resolves.toBe('ok');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('is never seen empty or part-written by another process while it is being taken', async () => {
    const lockPath = path.join(dir, 'whole.lock');
    // A reader in a process of its own, so it truly runs between this one's steps.
    const WATCHER = `
      const fs = require('node:fs');
      const [lockPath] = process.argv.slice(1);
      const seen = new Set();
      const until = Date.now() + 10000;
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => { process.stdout.write(JSON.stringify([...seen])); process.exit(0); });
      (function loop() {
        for (let i = 0; i < 200; i++) {
          let text;
          try { text = fs.readFileSync(lockPath, 'utf8'); } catch { continue; }
          seen.add(/"token":"[0-9a-f]+"/.test(text) ? 'whole' : JSON.stringify(text));
        }
        if (Date.now() < until) setImmediate(loop);
      })();
    `;
    const watcher = spawn(process.execPath, ['-e', WATCHER, lockPath], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => watcher.stdout.once('data', () => resolve()));
    for (let i = 0; i < 500; i++) await withFileLock(lockPath, async () => undefined);
    const exited = new Promise((resolve) => watcher.once('exit', resolve));
    watcher.stdin.end('stop\n');
    await exited;
    expect(JSON.parse(out.slice(out.indexOf('\n') + 1))).toEqual(['whole']);
  });

  it('removes a lock it could not write (disk full) and says which file and why', async () => {
    const lockPath = path.join(dir, 'full.lock');
    const real = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;
    vi.mocked(fsp.open).mockImplementationOnce(async (...args: Parameters<typeof real>) => {
      const handle = await real(...args);
      handle.writeFile = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return handle;
    });
    const err = await withFileLock(lockPath, async () => 'never').catch((e) => e);
    expect(describeError(err)).toBe(`Cannot write the lock file ${lockPath}: the disk is full (ENOSPC)`);
    expect((await readdir(dir)).filter((f) => f.startsWith('full.lock'))).toEqual([]);
    // The next caller is not blocked by what the failed one left.
    const started = Date.now();
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 5_000 })).resolves.toBe('ok');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('creates the lock in place where the file system has no hard links, and still keeps a second taker out', async () => {
    const d = await mkdtemp(path.join(dir, 'nolink-'));
    const lockPath = path.join(d, 'fat.lock');
    const realLink = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).link;
    const noLink = () => Promise.reject(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }));
    vi.mocked(fsp.link).mockImplementation(noLink);
    try {
      const order: string[] = [];
      const first = withFileLock(lockPath, async () => {
        order.push('first-in');
        await new Promise((r) => setTimeout(r, 100));
        order.push('first-out');
      });
      await new Promise((r) => setTimeout(r, 20));
      const second = withFileLock(lockPath, async () => void order.push('second'), { pollMs: 5 });
      await Promise.all([first, second]);
      expect(order).toEqual(['first-in', 'first-out', 'second']);
      expect(await readdir(d)).toEqual([]);
    } finally {
      vi.mocked(fsp.link).mockImplementation(realLink);
    }
  });

  it('takes over from a stopped holder (SIGSTOP) within the default stale time, well inside a 30 s budget', async () => {
    const lockPath = path.join(dir, 'stopped.lock');
    const holder = spawn(process.execPath, [holderScript, lockPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      holder.kill('SIGSTOP');
      const started = Date.now();
      await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 30_000 })).resolves.toBe('ok');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 30_000);
});

// Each in a directory of its own, so "nothing left behind" can be checked.
describe('withFileLock, taking over and leaving alone', () => {
  const fresh = () => mkdtemp(path.join(dir, 'case-'));
  const lockOf = async (pid: number, host = os.hostname(), token = 'theirs') => JSON.stringify({ pid, host, token, time: new Date().toISOString() });

  it('says which lock file it cannot create and why, at once, instead of waiting for it', async () => {
    const lockPath = path.join(await fresh(), 'denied.lock');
    vi.mocked(fsp.open).mockImplementationOnce(() => Promise.reject(Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' })));
    const started = Date.now();
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 5_000 }).catch((e) => e);
    expect(describeError(err)).toBe(`Cannot create the lock file ${lockPath}: permission denied (EACCES)`);
    expect(err).toMatchObject({ code: 'file' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up at its timeout even when its poll interval is longer', async () => {
    const lockPath = path.join(await fresh(), 'slow-poll.lock');
    await writeFile(lockPath, await lockOf(process.pid));
    const started = Date.now();
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300, pollMs: 2_000 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    // The first wait alone would be 1 to 3 s if it were not cut at the deadline.
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('leaves a fresh lock of another host alone, whatever its pid means here (a home directory shared over NFS)', async () => {
    const lockPath = path.join(await fresh(), 'nfs.lock');
    const theirs = await lockOf(await deadPid(), 'another-host.example');
    await writeFile(lockPath, theirs);
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(await readFile(lockPath, 'utf8')).toBe(theirs);
  });

  it('takes over a lock file that holds JSON but no lock (no token) once nobody has touched it for staleMs', async () => {
    const lockPath = path.join(await fresh(), 'foreign.lock');
    await writeFile(lockPath, '{}');
    const old = new Date(Date.now() - 3_000);
    await utimes(lockPath, old, old);
    const started = Date.now();
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 5_000, staleMs: 2_000 })).resolves.toBe('ok');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('takes over a dead owner\'s lock and leaves nothing behind: no lock, no break guard', async () => {
    const d = await fresh();
    const lockPath = path.join(d, 'dead.lock');
    await writeFile(lockPath, await lockOf(await deadPid()));
    await expect(withFileLock(lockPath, async () => readdir(d), { timeoutMs: 2_000 })).resolves.toEqual(['dead.lock']);
    expect(await readdir(d)).toEqual([]);
    // A second takeover right after is not held up by anything the first left.
    await writeFile(lockPath, await lockOf(await deadPid()));
    const started = Date.now();
    await expect(withFileLock(lockPath, async () => 'again', { timeoutMs: 2_000 })).resolves.toBe('again');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await readdir(d)).toEqual([]);
  });

  it('sweeps what killed makers of this lock left (a lock written whole, never linked) once a minute old, and nothing else', async () => {
    const d = await fresh();
    const lockPath = path.join(d, 'dead.lock');
    await writeFile(lockPath, await lockOf(await deadPid()));
    const leftover = path.join(d, 'dead.lock.0123456789abcdef01234567.new');
    const atWork = path.join(d, 'dead.lock.89abcdef0123456789abcdef.new');
    const otherLocks = path.join(d, 'other.lock.0123456789abcdef01234567.new');
    const notOurs = path.join(d, 'dead.lock.notes');
    for (const f of [leftover, atWork, otherLocks, notOurs]) await writeFile(f, await lockOf(process.pid));
    const old = new Date(Date.now() - 120_000);
    for (const f of [leftover, otherLocks, notOurs]) await utimes(f, old, old);
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 2_000 })).resolves.toBe('ok');
    expect((await readdir(d)).sort()).toEqual([atWork, notOurs, otherLocks].map((f) => path.basename(f)).sort());
  });

  it('says which lock it cannot link into place and why, and leaves nothing behind', async () => {
    const d = await fresh();
    const lockPath = path.join(d, 'denied-link.lock');
    vi.mocked(fsp.link).mockImplementationOnce(() => Promise.reject(Object.assign(new Error('EACCES: permission denied, link'), { code: 'EACCES' })));
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 5_000 }).catch((e) => e);
    expect(describeError(err)).toBe(`Cannot create the lock file ${lockPath}: permission denied (EACCES)`);
    expect(err).toMatchObject({ code: 'file', cause: { code: 'EACCES' } });
    expect(await readdir(d)).toEqual([]);
  });

  // A fresh guard judged by its age alone would hold every waiter for the 10 s stale time, past
  // the 5 s timeout here.
  it.each([
    ['at once, of a breaker that was killed (its process is gone)', async (guard: string) => writeFile(guard, await lockOf(await deadPid()))],
    [
      'of a live process not touched for staleMs (a reused pid)',
      async (guard: string) => {
        await writeFile(guard, await lockOf(process.pid, os.hostname(), 'breaker'));
        const old = new Date(Date.now() - 20_000);
        await utimes(guard, old, old);
      },
    ],
  ])('removes the break guard %s and takes over', async (_what, leave) => {
    const d = await fresh();
    const lockPath = path.join(d, 'dead.lock');
    await writeFile(lockPath, await lockOf(await deadPid()));
    await leave(`${lockPath}.break`);
    await expect(withFileLock(lockPath, async () => 'ok', { timeoutMs: 5_000 })).resolves.toBe('ok');
    expect(await readdir(d)).toEqual([]);
  });

  it('leaves the dead owner\'s lock to a breaker that is at it (a fresh break guard), instead of breaking it alongside', async () => {
    const d = await fresh();
    const lockPath = path.join(d, 'dead.lock');
    await writeFile(lockPath, await lockOf(await deadPid()));
    await writeFile(`${lockPath}.break`, await lockOf(process.pid, os.hostname(), 'breaker'));
    const err = await withFileLock(lockPath, async () => 'never', { timeoutMs: 300 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect((await readdir(d)).sort()).toEqual(['dead.lock', 'dead.lock.break']);
  });

  it.each([
    ['a new owner\'s lock', (p: number) => lockOf(p, os.hostname(), 'new-owner')],
    ['a lock its maker has not written yet', async () => ''],
    ['no lock at all (its file deleted, as by hand)', async () => null],
  ])('a holder whose lock was taken over meanwhile leaves %s alone when it finishes', async (_what, next) => {
    const lockPath = path.join(await fresh(), 'taken.lock');
    const theirs = await next(process.pid);
    await expect(withFileLock(lockPath, async () => {
      // As a waiter does once this holder has been stopped past staleMs: deletes it and takes the lock.
      await (theirs === null ? rm(lockPath) : writeFile(lockPath, theirs));
      return 'done';
    })).resolves.toBe('done');
    if (theirs === null) await expect(readFile(lockPath, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    else expect(await readFile(lockPath, 'utf8')).toBe(theirs);
  });
});
