// `npm run bench`: how long a warm `rolecall credential-process` takes, as ratios from one run:
//   - to `node -e 0`, with a broker (agent) running        target <= 1.25
//   - to `node -e 0`, with none (keychain cache)           target <= 1.7
//   - to `/usr/bin/aws configure export-credentials` on a comparable profile (an assume-role
//     profile over static keys, its credentials warm in the AWS CLI's own cache)   target >= 5x
// Many runs, alternating the commands compared, so drift and noise hit both sides alike;
// medians, and the raw medians printed too. Needs the keychain: run through build/with-keyring.sh.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentClient } from '../src-main/core/agent/client';
import { resolvePaths } from '../src-main/core/paths';
import { loadOrganization } from '../test/sandbox/org';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = 5;
const TIME_LIMIT_MS = 10 * 60_000;
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist', 'cli', 'rolecall.mjs');
const AWS = '/usr/bin/aws';
const ROLE_ARN = 'arn:aws:iam::444455556666:role/ReadOnly';

type Cmd = { label: string; file: string; args: string[]; env?: NodeJS.ProcessEnv; check?: (stdout: string) => void };

const orgFile = path.join(repo, 'test', 'sandbox', 'demo-org.json');
const sandbox = await startSandboxProcess();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-'));
const home = await mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-home-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  ROLECALL_HOME: dataDir,
  AWS_ENDPOINT_URL: sandbox.url,
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
  ROLECALL_NO_AUTOSTART: '1',
};
let agentStarted = false;

/** The sandbox in a process of its own: the timed runs below block this one (spawnSync). */
async function startSandboxProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(path.join(repo, 'node_modules', '.bin', 'tsx'), [path.join(repo, 'test', 'sandbox', 'main.ts'), '--org', orgFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

function run(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const t = performance.now();
  const r = spawnSync(file, args, { env: { ...env, ...opts.env }, input: opts.input, encoding: 'utf8', timeout: 60_000 });
  return { ms: performance.now() - t, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function must(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  const r = run(file, args, opts);
  if (r.code !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Runs the commands in turn, ROUNDS times, and returns each one's median wall time. */
function measure(cmds: Cmd[], deadline: number): number[] {
  const times = cmds.map(() => [] as number[]);
  for (let round = -WARMUP; round < ROUNDS && Date.now() < deadline; round++) {
    // Rotate the order each round, so no command always runs right after another.
    cmds.forEach((_, k) => {
      const i = (k + Math.max(round, 0)) % cmds.length;
      const c = cmds[i] as Cmd;
      const r = run(c.file, c.args, { env: c.env });
      if (r.code !== 0) throw new Error(`${c.label} failed (${r.code}): ${r.stderr.trim()}`);
      c.check?.(r.stdout);
      if (round >= 0) times[i]!.push(r.ms);
    });
  }
  return times.map(median);
}

function checkCredentials(expectedKey: () => string) {
  return (stdout: string) => {
    const c = JSON.parse(stdout) as { AccessKeyId?: string; Expiration?: string };
    if (c.AccessKeyId !== expectedKey()) throw new Error(`unexpected credentials: ${c.AccessKeyId}`);
  };
}

async function setUpProfiles(): Promise<{ accessKeyId: string }> {
  const alice = loadOrganization(orgFile).users.find((u) => u.name === 'alice')!.accessKeys[0]!;
  must(process.execPath, [cli, 'iam-user', 'add', 'alice', '--access-key-id', alice.accessKeyId, '--region', 'us-east-1'], { input: alice.secretAccessKey });
  must(process.execPath, [cli, 'profile', 'add', 'dev/ReadOnly', '--source', 'alice', '--role-arn', ROLE_ARN]);
  // Cold once, in-process: the broker fills the keychain cache.
  const creds = JSON.parse(must(process.execPath, [cli, 'credential-process', 'dev/ReadOnly'])) as {
    AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string;
  };

  // The AWS CLI's own equivalent: role_arn + source_profile over static keys, with the
  // assumed-role credentials already in its cache (~/.aws/cli/cache, keyed as botocore keys it).
  await mkdir(path.join(home, '.aws', 'cli', 'cache'), { recursive: true });
  await writeFile(env.AWS_CONFIG_FILE!, `[profile awscli-dev]\nrole_arn = ${ROLE_ARN}\nsource_profile = awscli-alice\nregion = us-east-1\n`);
  await writeFile(env.AWS_SHARED_CREDENTIALS_FILE!, `[awscli-alice]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`);
  // Python's json.dumps(sort_keys=True) of the AssumeRole arguments: ", " and ": " separators.
  const key = createHash('sha1').update(`{"RoleArn": ${JSON.stringify(ROLE_ARN)}}`).digest('hex');
  const cached = { Credentials: creds, AssumedRoleUser: { Arn: 'arn:aws:sts::444455556666:assumed-role/ReadOnly/alice' } };
  await writeFile(path.join(home, '.aws', 'cli', 'cache', `${key}.json`), JSON.stringify(cached));
  const exported = JSON.parse(must(AWS, ['configure', 'export-credentials', '--profile', 'awscli-dev', '--format', 'process'])) as { AccessKeyId: string };
  if (exported.AccessKeyId !== creds.AccessKeyId) throw new Error('the AWS CLI did not use its cache: the comparison would include an STS call');
  return { accessKeyId: creds.AccessKeyId };
}

async function waitForAgent(): Promise<void> {
  const agent = new AgentClient(resolvePaths(env));
  for (let i = 0; i < 400 && !(await agent.alive()); i++) await new Promise((r) => setTimeout(r, 25));
  if (!(await agent.alive())) throw new Error('the agent did not start');
}

async function stopAgent(): Promise<void> {
  await new AgentClient(resolvePaths(env)).shutdown().catch(() => undefined);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

try {
  const deadline = Date.now() + TIME_LIMIT_MS;
  const { accessKeyId } = await setUpProfiles();
  const check = checkCredentials(() => accessKeyId);
  const node: Cmd = { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] };
  const rolecall: Cmd = { label: 'rolecall credential-process', file: process.execPath, args: [cli, 'credential-process', '--profile', 'dev/ReadOnly'], check };
  const aws: Cmd = { label: 'aws configure export-credentials', file: AWS, args: ['configure', 'export-credentials', '--profile', 'awscli-dev', '--format', 'process'], check };

  // With none: the keychain cache answers.
  const [nodeA, cacheA] = measure([node, rolecall], deadline) as [number, number];

  // With a broker: `rolecall serve` in the background.
  const serve = spawn(process.execPath, [cli, 'serve', '--idle-exit', '600'], { env, stdio: 'ignore' });
  agentStarted = true;
  await waitForAgent();
  const [nodeB, agentB, awsB] = measure([node, rolecall, aws], deadline) as [number, number, number];
  await stopAgent();
  await new Promise((r) => serve.once('exit', r));
  agentStarted = false;

  const withAgent = agentB / nodeB;
  const withNone = cacheA / nodeA;
  const vsAws = awsB / agentB;
  console.log(`warm credential-process, medians of ${ROUNDS} alternating runs (after ${WARMUP} warm-up rounds):`);
  console.log(`  node -e 0                          ${fmt(nodeB)} (with the agent phase) / ${fmt(nodeA)} (without)`);
  console.log(`  rolecall, broker running (agent)   ${fmt(agentB)}`);
  console.log(`  rolecall, no broker (keychain)     ${fmt(cacheA)}`);
  console.log(`  aws configure export-credentials   ${fmt(awsB)}`);
  console.log('ratios:');
  console.log(`  with a broker running / node -e 0  ${withAgent.toFixed(2)}  (target <= 1.25: ${verdict(withAgent <= 1.25)})`);
  console.log(`  with none / node -e 0              ${withNone.toFixed(2)}  (target <= 1.7: ${verdict(withNone <= 1.7)})`);
  console.log(`  aws export-credentials / rolecall  ${vsAws.toFixed(1)}x  (target >= 5x: ${verdict(vsAws >= 5)})`);
} finally {
  if (agentStarted) await stopAgent();
  await sandbox.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}
