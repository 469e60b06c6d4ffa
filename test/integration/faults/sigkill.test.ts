// SIGKILL at random moments of `config write` and `profile add` (issue 14: the lock files they
// left blocked the next command for 30 s). After every kill the files are old or new, never
// mixed, and at the end no lock blocks the next command.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { addAliceWithReadOnly, useCliHarness } from '../cli/harness';

const KILLS = 200;
// Two runs at a time: kills also land while a run waits for the other's lock, and the loop fits
// in about a minute on a loaded 2-core machine.
const LANES = 2;
const USER_TEXT = '# my own settings\n[default]\nregion = eu-central-1\n\n[profile mine]\noutput = text\n';
const ROLE = 'arn:aws:iam::444455556666:role/ReadOnly';

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'us-east-1'));

/** Starts `rolecall ARGS` and SIGKILLs it after `afterMs`; resolves with how it ended. */
function runAndKill(args: string[], afterMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [h().script, ...args], { env: h().env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function timedRun(args: string[]) {
  const started = Date.now();
  const r = await h().rolecall(args);
  return { ...r, ms: Date.now() - started };
}

// A lock that blocks holds the next run for its stale time (10 s) or the 30 s timeout. A run that
// only has to clear abandoned locks takes about as long as the same command with nothing left
// behind, run just after on this host: compared with that, not with a fixed time, because a
// loaded CI host makes every run slower (a plain config write took 7 s on one).
const HELD_UP_MS = 8_000;
async function expectNotHeldUp(run: { ms: number; stderr: string }, args: string[]): Promise<void> {
  expect(run.stderr).toBe('');
  const clean = await timedRun(args);
  expect(clean.code).toBe(0);
  expect(run.ms - clean.ms, `${run.ms} ms against ${clean.ms} ms with no locks left`).toBeLessThan(HELD_UP_MS);
}

/** The config is the user's text, byte for byte, plus at most one whole managed block. */
function checkConfig(text: string, known: Set<string>): void {
  expect(text.startsWith(USER_TEXT)).toBe(true);
  const block = text.slice(USER_TEXT.length);
  if (block === '') return;
  const m = /^\n# BEGIN ROLECALL\n# Managed by Rolecall[^\n]*\n((?:[^\n]*\n)*?)# END ROLECALL\n$/.exec(block);
  expect(m, `a torn managed block:\n${block}`).not.toBeNull();
  const sections = m![1]!.split('\n\n').filter((s) => s.trim());
  for (const s of sections) {
    const name = /^\[profile ([^\]]+)\]\ncredential_process = .* credential-process --profile (\S+)(?:\nregion = [a-z0-9-]+)?\n?$/.exec(s);
    expect(name, `a torn section:\n${s}`).not.toBeNull();
    expect(name![1]).toBe(name![2]);
    expect(known.has(name![1]!)).toBe(true);
  }
}

it(`${KILLS} SIGKILLs at random moments of config write and profile add leave old-or-new files and no blocking lock`, async () => {
  const configFile = h().env.AWS_CONFIG_FILE!;
  const stateFile = h().core.paths.stateFile;
  await writeFile(configFile, USER_TEXT);
  // How long one run takes here, so the kills land anywhere in it (start-up, lock, write, rename).
  const probe = await timedRun(['config', 'write']);
  expect(probe.code).toBe(0);
  const span = Math.max(probe.ms * 1.2, 50);

  const known = new Set(['alice', 'dev/ReadOnly']);
  const added = new Set<string>();
  let killed = 0;
  const lane = async (l: number) => {
    for (let i = l; i < KILLS; i += LANES) {
      const name = `p${i}`;
      const args = i % 4 < 2 ? ['config', 'write'] : ['profile', 'add', name, '--source', 'alice', '--role-arn', ROLE];
      if (args[0] === 'profile') known.add(name);
      const r = await runAndKill(args, Math.random() * span);
      if (r.signal === 'SIGKILL') killed++;
      else if (args[0] === 'profile' && r.code === 0) added.add(name);

      // Old or new, never mixed: state parses and holds every profile a finished run added.
      const state = JSON.parse(await readFile(stateFile, 'utf8')) as { profiles: { name: string }[] };
      const names = new Set(state.profiles.map((p) => p.name));
      for (const a of added) expect(names.has(a)).toBe(true);
      for (const n of names) expect(known.has(n)).toBe(true);
      checkConfig(await readFile(configFile, 'utf8'), known);
    }
  };
  await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
  // Most runs must really have been killed, or the loop tested nothing.
  expect(killed).toBeGreaterThan(KILLS / 2);

  // Whatever the kills left in the locks directory blocks nobody: both commands run at once.
  const write = await timedRun(['config', 'write']);
  await expectNotHeldUp(write, ['config', 'write']);
  const add = await timedRun(['profile', 'add', 'final', '--source', 'alice', '--role-arn', ROLE]);
  await expectNotHeldUp(add, ['profile', 'add', 'final-2', '--source', 'alice', '--role-arn', ROLE]);
  const again = await timedRun(['config', 'write']);
  expect(again.code).toBe(0);
  expect(await readFile(configFile, 'utf8')).toContain('[profile final]\n');
  // Killed writers' temp files do not pile up beside the user's config.
  const litter = (await readdir(path.dirname(configFile))).filter((f) => f.endsWith('.tmp'));
  expect(litter).toEqual([]);
}, 120_000);

it('locks abandoned by a killed run (naming a dead process, a breaker\'s guard, a lock written but not linked) do not hold up config write or profile add', async () => {
  const locks = h().core.paths.locksDir;
  await mkdir(locks, { recursive: true });
  const dead = await new Promise<number>((resolve) => {
    const c = spawn(process.execPath, ['-e', '']);
    c.once('exit', () => resolve(c.pid!));
  });
  // Killed while holding it: a whole lock file naming a process that is gone.
  const deadOwner = JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), token: 't', time: new Date().toISOString() });
  await writeFile(path.join(locks, 'aws-config.lock'), deadOwner);
  await writeFile(path.join(locks, 'state.lock'), deadOwner);
  // Killed between writing a lock whole and linking it into place: the file it wrote, long ago.
  const leftover = path.join(locks, 'state.lock.0123456789abcdef01234567.new');
  await writeFile(leftover, deadOwner);
  const old = new Date(Date.now() - 120_000);
  await utimes(leftover, old, old);
  // Killed while breaking it: the guard a breaker holds for a moment around the delete.
  await writeFile(path.join(locks, 'state.lock.break'), deadOwner);
  const write = await timedRun(['config', 'write']);
  const add = await timedRun(['profile', 'add', 'after-kill', '--source', 'alice', '--role-arn', ROLE]);
  expect(await readdir(locks)).toEqual([]);
  await expectNotHeldUp(write, ['config', 'write']);
  await expectNotHeldUp(add, ['profile', 'add', 'after-kill-2', '--source', 'alice', '--role-arn', ROLE]);
}, 60_000);
