// Runs the built `rolecall` CLI as a user would: a private build, its own data dir and HOME,
// the demo organization's sandbox as AWS. Every output is recorded, so a test can check that
// no secret leaked into anything but the channel meant for it.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { demoOrg, startHarness, type Harness } from '../../helpers/harness';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface BuiltCli {
  script: string;
  remove(): Promise<void>;
}

/** Builds the CLI with the project's build script into a directory of this test file's own. */
export async function buildCli(): Promise<BuiltCli> {
  const outdir = path.join(repoRoot, 'dist', 'test-cli', `${process.pid}-${randomBytes(4).toString('hex')}`);
  await promisify(execFile)(process.execPath, ['build/build-cli.mjs', outdir], { cwd: repoRoot });
  return { script: path.join(outdir, 'rolecall.cjs'), remove: () => rm(outdir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a program to completion (killed after timeoutMs) and collects its output. */
export function runProgram(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr });
    });
    // A program may exit before it reads its input (the native helper often does): no EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export interface CliHarness extends Harness {
  home: string;
  script: string;
  /** Everything the runs printed, except what `secretOutput` runs print on stdout by design. */
  outputs: string[];
  /** Runs `rolecall ARGS` (env: the harness's plus `env`). Its stdout counts as a log unless secretOutput. */
  rolecall(args: string[], opts?: RunOptions & { secretOutput?: boolean }): Promise<RunResult>;
  /** Runs another program with the harness's environment, recording its output. */
  run(file: string, args: string[], opts?: RunOptions): Promise<RunResult>;
  stopAgent(): Promise<void>;
}

export async function startCliHarness(build: { script: string }): Promise<CliHarness> {
  const h = await startHarness();
  const home = await mkdtemp(path.join(os.tmpdir(), 'rolecall-home-'));
  await mkdir(path.join(home, '.aws'), { recursive: true });
  Object.assign(h.env, { HOME: home, AWS_CONFIG_FILE: path.join(home, '.aws', 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials') });
  delete h.env.AWS_PROFILE;
  const outputs: string[] = [];
  const agent = new AgentClient(h.core.paths);
  const run = async (file: string, args: string[], opts: RunOptions & { secretOutput?: boolean } = {}) => {
    const r = await runProgram(file, args, { ...opts, env: { ...h.env, ...opts.env } });
    outputs.push(r.stderr);
    if (!opts.secretOutput) outputs.push(r.stdout);
    return r;
  };
  const stopAgent = async () => {
    if (!(await agent.alive())) return;
    await agent.shutdown().catch(() => undefined);
    for (let i = 0; i < 100 && (await agent.alive()); i++) await new Promise((r) => setTimeout(r, 50));
  };
  return {
    ...h,
    home,
    script: build.script,
    outputs,
    run: (file, args, opts) => run(file, args, opts),
    rolecall: (args, opts) => run(process.execPath, [build.script, ...args], opts),
    stopAgent,
    async close() {
      await stopAgent();
      await h.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** One build of the CLI for the test file (beforeAll, removed in afterAll); the accessor gives it once built. */
export function useCliBuild(): () => BuiltCli {
  let build: BuiltCli | undefined;
  beforeAll(async () => {
    build = await buildCli();
  });
  afterAll(() => build?.remove());
  return () => {
    if (!build) throw new Error('the CLI is built in beforeAll: use the accessor inside hooks and tests');
    return build;
  };
}

/**
 * The hooks every CLI test file needs: one build per file, and per test a fresh harness (set up
 * by `setup`, if given) that is closed afterwards. The accessor gives the current test's harness.
 */
export function useCliHarness(setup?: (h: CliHarness) => Promise<void>): () => CliHarness {
  const build = useCliBuild();
  let h: CliHarness | undefined;
  beforeEach(async () => {
    h = undefined;
    h = await startCliHarness(build());
    await setup?.(h);
  });
  afterEach(() => h?.close());
  return () => {
    if (!h) throw new Error('the CLI harness starts in beforeEach: use the accessor inside hooks and tests');
    return h;
  };
}

/** The demo organization's alice: an access key of her IAM user, and her MFA device. */
export const ALICE_KEY = demoOrg().users.find((u) => u.name === 'alice')!.accessKeys[0]!;
export const ALICE_MFA = 'arn:aws:iam::111122223333:mfa/alice';
export const READ_ONLY_ROLE = 'arn:aws:iam::444455556666:role/ReadOnly';

/** What several files start from: IAM user 'alice' (secret key on stdin) in `region`, and 'dev/ReadOnly' assumed from her. */
export async function addAliceWithReadOnly(h: CliHarness, region: string): Promise<void> {
  expect((await h.rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--region', region], { input: ALICE_KEY.secretAccessKey + '\n' })).code).toBe(0);
  expect((await h.rolecall(['profile', 'add', 'dev/ReadOnly', '--source', 'alice', '--role-arn', READ_ONLY_ROLE])).code).toBe(0);
}

/** Every file under dir, with its content (binary files included, read as latin1). */
export async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.push({ file, text: await readFile(file, 'latin1').catch(() => '') });
  }
  return out;
}

export const parseJson = <T = Record<string, unknown>>(s: string): T => JSON.parse(s) as T;

/** Env for runs that use the background agent, as AWS tools do by default (the harness turns it off). */
export const VIA_AGENT = { ROLECALL_NO_AUTOSTART: '' };

/** A run's result with how long it took. */
export async function timed<T>(p: Promise<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  const r = await p;
  return { ...r, ms: Date.now() - started };
}
