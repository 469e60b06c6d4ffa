// The broker's cross-process lock: two Rolecall processes (two cores, the real keychain, no
// agent, no CLI cold gate) asking at the same moment make one STS call per hop between them,
// for one profile and for two profiles that share a parent hop.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness';
import { sharedParentOrg, sharedParentProfiles } from '../../helpers/memory-harness';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const script = fileURLToPath(new URL('./broker-process.ts', import.meta.url));

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ org: sharedParentOrg() });
  const key = h.sandbox.state.org.users.find((u) => u.name === 'alice')!.accessKeys[0]!;
  await h.core.secrets.set('iam-user/alice', JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
  await h.addProfiles(...sharedParentProfiles);
  // Every STS answer takes 400 ms, so both processes are inside their request at once.
  h.sandbox.knobs.set({ latencyMs: 400 });
});
afterEach(() => h.close());

interface Running {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function start(profile: string): Running {
  const child = spawn(tsx, [script, profile], { env: h.env });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      markReady();
      resolve({ code, stdout: stdout.replace('ready\n', '').trim(), stderr });
    });
  });
  return { child, ready, done };
}

async function together(...profiles: string[]) {
  const running = profiles.map(start);
  await Promise.all(running.map((r) => r.ready));
  for (const r of running) r.child.stdin.write('go\n');
  const results = await Promise.all(running.map((r) => r.done));
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  return results.map((r) => r.stdout);
}

describe("the broker's cross-process lock", () => {
  it('two processes asking for one cold profile at once: one AssumeRole per hop, one session for both', async () => {
    const [a, b] = await together('dev/ReadOnly', 'dev/ReadOnly');
    expect(a).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(b).toBe(a);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(1);
  });

  it('two processes asking for two profiles that share a parent hop: the parent is assumed once', async () => {
    const [reports, billing] = await together('prod/Reports', 'prod/Billing');
    expect(reports).toMatch(/^ASIA/);
    expect(billing).toMatch(/^ASIA/);
    expect(billing).not.toBe(reports);
    // dev/ReadOnly once, then prod/Reports and prod/Billing.
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(3);
  });
});
