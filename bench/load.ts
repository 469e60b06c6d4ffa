// `npm run bench` (last part): the load a workstation's AWS tools put on Rolecall, held for a
// while: CONCURRENCY `rolecall credential-process` runs at a time, each started as the last one
// ends, through the background agent an earlier call autostarted, for DURATION_S seconds (and at
// most MAX_RUNS runs). Prints runs, failures, the slowest run and the STS calls the sandbox saw:
// one per hop for the whole run, however many callers, is what the broker promises.
// Clean environment (no NODE_EXTRA_CA_CERTS or NODE_OPTIONS), as a user's shell has it. Needs
// the keychain: run through build/with-keyring.sh.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrganization } from '../test/sandbox/org';

const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 100);
const DURATION_S = Number(process.env.LOAD_SECONDS ?? 60);
const MAX_RUNS = 50_000;
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist', 'cli', 'rolecall.cjs');
const orgFile = path.join(repo, 'test', 'sandbox', 'demo-org.json');

const sandbox = spawn(path.join(repo, 'node_modules', '.bin', 'tsx'), [path.join(repo, 'test', 'sandbox', 'main.ts'), '--org', orgFile], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  sandbox.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
  });
  sandbox.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
});
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-load-'));
const home = await mkdtemp(path.join(os.tmpdir(), 'rolecall-load-home-'));
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(['PATH', 'DBUS_SESSION_BUS_ADDRESS', 'LANG'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))),
  HOME: home,
  ROLECALL_HOME: dataDir,
  AWS_ENDPOINT_URL: url,
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
};

function must(args: string[], input?: string): string {
  const r = spawnSync(process.execPath, [cli, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`rolecall ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const calls = async () => ((await (await fetch(`${url}/_sandbox/calls`)).json()) as { calls: Record<string, number> }).calls;

function once(): Promise<{ ok: boolean; ms: number; err: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'credential-process', 'dev/ReadOnly'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('close', (code) => {
      let ok = code === 0;
      try {
        ok &&= (JSON.parse(out) as { AccessKeyId?: string }).AccessKeyId?.startsWith('ASIA') === true;
      } catch {
        ok = false;
      }
      resolve({ ok, ms: performance.now() - started, err: `exit ${code}: ${err}` });
    });
  });
}

try {
  const alice = loadOrganization(orgFile).users.find((u) => u.name === 'alice')!.accessKeys[0]!;
  must(['iam-user', 'add', 'alice', '--access-key-id', alice.accessKeyId, '--region', 'us-east-1'], alice.secretAccessKey);
  must(['profile', 'add', 'dev/ReadOnly', '--source', 'alice', '--role-arn', 'arn:aws:iam::444455556666:role/ReadOnly']);
  must(['credential-process', 'dev/ReadOnly']); // autostarts the agent, which fetches the session
  await fetch(`${url}/_sandbox/calls`, { method: 'DELETE' });

  const end = Date.now() + DURATION_S * 1000;
  let runs = 0;
  let failures = 0;
  let slowest = 0;
  const worker = async () => {
    while (Date.now() < end && runs < MAX_RUNS) {
      runs++;
      const r = await once();
      if (!r.ok && failures++ < 3) console.error(`a run failed: ${r.err.trim()}`);
      slowest = Math.max(slowest, r.ms);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const sts = Object.entries(await calls()).filter(([op]) => op.startsWith('sts:'));
  const stsCalls = sts.reduce((n, [, c]) => n + c, 0);
  console.log(`load: ${CONCURRENCY} concurrent credential-process for ${DURATION_S} s through the autostarted agent (clean environment):`);
  console.log(`  ${runs} runs, ${failures} failed, slowest ${(slowest / 1000).toFixed(2)} s, ${stsCalls} STS calls during the run (${sts.map(([op, c]) => `${op} ${c}`).join(', ') || 'none'}; the session was warm)`);
  if (failures > 0) process.exitCode = 1;
} finally {
  spawnSync(process.execPath, [cli, 'agent', 'stop'], { env, timeout: 10_000 });
  sandbox.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}
