// `npm run bench`: how long a warm `rolecall credential-process` takes, as ratios from one run,
// for a 1-hop profile (assume-role over an IAM user) and a 3-hop cross-account chain, run as
// `rolecall config write` writes it: through the native helper (dist/cli/rolecall-credential-process)
// when it was built, and as the plain Node command line:
//   - to `node -e 0`, through an agent (autostarted by an earlier call, and `rolecall serve`)  target <= 1.25
//   - to `node -e 0`, with no agent (the keychain cache)                                       target <= 1.5
//   - `/usr/bin/aws configure export-credentials` on a comparable profile (an assume-role
//     profile over static keys, its credentials warm in the AWS CLI's own cache) / rolecall   target >= 5x
// Every timed command runs in a clean environment, as a user's shell has it: no
// NODE_EXTRA_CA_CERTS (set on these machines; it adds ~38 ms to every Node start and hides
// Rolecall's own cost in the ratio) and no NODE_OPTIONS; only PATH, HOME, the D-Bus address the
// keychain needs, the locale and the settings below.
// Many runs, alternating the commands compared, so drift and noise hit both sides alike;
// medians, and the raw medians printed too. Needs the keychain: run through build/with-keyring.sh.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentClient } from '../src-main/core/agent/client';
import { resolvePaths } from '../src-main/core/paths';
import { TOTP } from 'otpauth';
import { loadOrganization } from '../test/sandbox/org';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = 5;
const TIME_LIMIT_MS = 10 * 60_000;
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist', 'cli', 'rolecall.cjs');
const helperBin = path.join(repo, 'dist', 'cli', 'rolecall-credential-process');
const AWS = '/usr/bin/aws';
const ROLE_ARN = 'arn:aws:iam::444455556666:role/ReadOnly';
const CHAIN = 'audit-auditor';

type Cmd = { label: string; file: string; args: string[]; env?: NodeJS.ProcessEnv; check?: (stdout: string) => void };

const orgFile = path.join(repo, 'test', 'sandbox', 'demo-org.json');
const sandbox = await startSandboxProcess();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-'));
const home = await mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-home-'));
// What a user's shell would pass: nothing of this machine's Node settings.
const inherited = Object.fromEntries(
  ['PATH', 'DBUS_SESSION_BUS_ADDRESS', 'LANG', 'LC_ALL', 'XDG_RUNTIME_DIR', 'PYENV_ROOT'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
);
const env: NodeJS.ProcessEnv = {
  ...inherited,
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
  const r = spawnSync(file, args, { env: withoutUnset({ ...env, ...opts.env }), input: opts.input, encoding: 'utf8', timeout: 60_000 });
  return { ms: performance.now() - t, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** An env with the variables set to undefined removed (so a phase can drop one, e.g. ROLECALL_NO_AUTOSTART). */
function withoutUnset(e: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
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

async function setUpProfiles(): Promise<{ accessKeyId: string; chainKeyId: string }> {
  const user = loadOrganization(orgFile).users.find((u) => u.name === 'alice')!;
  const alice = user.accessKeys[0]!;
  const mfa = user.mfaDevices[0]!;
  must(process.execPath, [cli, 'iam-user', 'add', 'alice', '--access-key-id', alice.accessKeyId, '--region', 'us-east-1'], { input: alice.secretAccessKey });
  must(process.execPath, [cli, 'profile', 'add', 'dev/ReadOnly', '--source', 'alice', '--role-arn', ROLE_ARN]);
  // The demo organization's 3-hop cross-account chain (MFA on the first hop, ExternalId on the last).
  must(process.execPath, [cli, 'profile', 'add', 'dev-developer', '--source', 'alice', '--role-arn', 'arn:aws:iam::444455556666:role/Developer', '--mfa-serial', mfa.serialNumber]);
  must(process.execPath, [cli, 'profile', 'add', 'prod-deployer', '--source', 'dev-developer', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer']);
  must(process.execPath, [cli, 'profile', 'add', CHAIN, '--source', 'prod-deployer', '--role-arn', 'arn:aws:iam::210987654321:role/Auditor', '--external-id', 'acme-audit-7f3']);
  const chained = JSON.parse(must(process.execPath, [cli, 'credential-process', CHAIN, '--mfa-code', new TOTP({ secret: mfa.seed }).generate()])) as { AccessKeyId: string };
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
  return { accessKeyId: creds.AccessKeyId, chainKeyId: chained.AccessKeyId };
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

interface Phase {
  node: number;
  hop1: number;
  hop3: number;
}

/** node -e 0 against the 1-hop and the 3-hop profile, alternating (plus extra commands). */
function phase(cmds: { node: Cmd; hop1: Cmd; hop3: Cmd }, deadline: number, extra: Cmd[] = []): [Phase, number[]] {
  const [node, hop1, hop3, ...rest] = measure([cmds.node, cmds.hop1, cmds.hop3, ...extra], deadline) as number[];
  return [{ node: node!, hop1: hop1!, hop3: hop3! }, rest];
}

try {
  const deadline = Date.now() + TIME_LIMIT_MS;
  const profiles = await setUpProfiles();
  let accessKeyId = profiles.accessKeyId;
  const chainKeyId = profiles.chainKeyId;
  const awsCliKeyId = accessKeyId; // what the AWS CLI's own cache holds
  const node: Cmd = { label: 'node -e 0', file: process.execPath, args: ['-e', '0'] };
  const cp = (profile: string, expected: () => string, e?: NodeJS.ProcessEnv): Cmd => ({
    label: `rolecall credential-process ${profile}`, file: process.execPath, args: [cli, 'credential-process', '--profile', profile], check: checkCredentials(expected), env: e,
  });
  // The line `config write` puts in ~/.aws/config when the helper is built.
  const hcp = (profile: string, expected: () => string, e?: NodeJS.ProcessEnv): Cmd => ({
    label: `rolecall-credential-process ${profile}`, file: helperBin, args: [process.execPath, cli, 'credential-process', '--profile', profile], check: checkCredentials(expected), env: e,
  });
  const hasHelper = existsSync(helperBin);
  const helperCmds = (e?: NodeJS.ProcessEnv) => (hasHelper ? [hcp('dev/ReadOnly', () => accessKeyId, e), hcp(CHAIN, () => chainKeyId, e)] : []);
  const aws: Cmd = { label: 'aws configure export-credentials', file: AWS, args: ['configure', 'export-credentials', '--profile', 'awscli-dev', '--format', 'process'], check: checkCredentials(() => awsCliKeyId) };

  // No agent: the keychain cache answers.
  const [cache, cacheHelper] = phase({ node, hop1: cp('dev/ReadOnly', () => accessKeyId), hop3: cp(CHAIN, () => chainKeyId) }, deadline, helperCmds());

  // An agent autostarted by an earlier call, as a user's first AWS command of the day leaves one.
  const autostart = { ROLECALL_NO_AUTOSTART: undefined };
  // A warm cache answers without starting one, so this first call refreshes (new credentials).
  accessKeyId = (JSON.parse(must(process.execPath, [cli, 'credential-process', 'dev/ReadOnly', '--force-refresh'], { env: autostart })) as { AccessKeyId: string }).AccessKeyId;
  agentStarted = true;
  await waitForAgent();
  const [auto, autoHelper] = phase({ node, hop1: cp('dev/ReadOnly', () => accessKeyId, autostart), hop3: cp(CHAIN, () => chainKeyId, autostart) }, deadline, helperCmds(autostart));
  await stopAgent();
  agentStarted = false;
  await new Promise((r) => setTimeout(r, 300));

  // `rolecall serve` in the background (the app's broker behaves the same).
  const serve = spawn(process.execPath, [cli, 'serve', '--idle-exit', '600'], { env: withoutUnset(env), stdio: 'ignore' });
  agentStarted = true;
  await waitForAgent();
  const [served, [awsMs, ...servedHelper]] = phase({ node, hop1: cp('dev/ReadOnly', () => accessKeyId), hop3: cp(CHAIN, () => chainKeyId) }, deadline, [aws, ...helperCmds()]);
  await stopAgent();
  await new Promise((r) => serve.once('exit', r));
  agentStarted = false;

  const ratio = (p: Phase, k: 'hop1' | 'hop3') => p[k] / p.node;
  const line = (label: string, p: Phase, target: number) => {
    for (const k of ['hop1', 'hop3'] as const) {
      const r = ratio(p, k);
      console.log(`  ${(label + (k === 'hop1' ? ', 1 hop' : ', 3 hops')).padEnd(36)} ${r.toFixed(2)}  (${fmt(p[k])} vs ${fmt(p.node)}; target <= ${target}: ${verdict(r <= target)})`);
    }
  };
  const withHelper = (p: Phase, times: number[] | undefined): Phase | undefined => (hasHelper && times?.length === 2 ? { node: p.node, hop1: times[0]!, hop3: times[1]! } : undefined);
  const ah = withHelper(auto, autoHelper), sh = withHelper(served, servedHelper), ch = withHelper(cache, cacheHelper);
  // What AWS tools run: the helper's line when it is built.
  const best = sh ?? served;
  const vsAws = awsMs! / best.hop1;
  console.log(`warm credential-process in a clean environment (no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS),`);
  console.log(`medians of ${ROUNDS} alternating runs after ${WARMUP} warm-up rounds; ratios to node -e 0 of the same phase:`);
  if (ah && sh && ch) {
    console.log('as `rolecall config write` writes it (the native helper, then the Node CLI when it must):');
    line('autostarted agent', ah, 1.25);
    line('rolecall serve', sh, 1.25);
    line('no agent (keychain cache)', ch, 1.5);
    console.log('the Node CLI alone (no helper built):');
  } else console.log(`the native helper is not built (${helperBin}): the Node CLI alone:`);
  line('autostarted agent', auto, 1.25);
  line('rolecall serve', served, 1.25);
  line('no agent (keychain cache)', cache, 1.5);
  console.log(`  aws export-credentials / rolecall    ${vsAws.toFixed(1)}x  (${fmt(awsMs!)} vs ${fmt(best.hop1)}; target >= 5x: ${verdict(vsAws >= 5)})`);
} finally {
  if (agentStarted) await stopAgent();
  await sandbox.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}
