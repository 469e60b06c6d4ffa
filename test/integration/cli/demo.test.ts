// `npm run demo` as a newcomer runs it: its closing "Try:" line works when copied as printed into
// another shell, and it never touches the person's own data dir, keychain entries or ~/.aws.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { KeyringSecretStore } from '../../../src-main/core/secrets/keyring-store';
import { parseJson, repoRoot, runProgram } from './harness';

it('the demo runs apart from the person\'s own setup, and its "Try:" line works as printed', { timeout: 240_000 }, async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'rolecall-demo-home-'));
  const demoDir = path.join(home, 'demo-dir');
  const everyday = new KeyringSecretStore('rolecall');
  const entriesBefore = [...(await everyday.entries('')).keys()];
  // The person's shell: their HOME, no Rolecall or AWS settings of the demo's.
  const shellEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS };
  const demo = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['build/demo.ts'], {
    cwd: repoRoot,
    env: { ...shellEnv, ROLECALL_DEMO_DIR: demoDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  demo.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  demo.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => demo.on('exit', resolve));
  try {
    let tryLine: string | undefined;
    for (let i = 0; i < 2000 && !tryLine && demo.exitCode === null; i++) {
      tryLine = /^Try: (.+)$/m.exec(out)?.[1];
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(tryLine, out).toBeDefined();
    const r = await runProgram('sh', ['-c', tryLine as string], { env: shellEnv, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout).Arn).toMatch(/^arn:aws:sts::777788889999:assumed-role\/AWSReservedSSO_ReadOnlyAccess_[0-9a-f]+\/alice$/);
  } finally {
    demo.kill('SIGINT');
    await exited;
  }
  // Nothing of the person's: no ~/.aws, no default data dir, no everyday keychain entry.
  expect((await readdir(home)).sort()).toEqual(['demo-dir']);
  expect([...(await everyday.entries('')).keys()]).toEqual(entriesBefore);
  await rm(home, { recursive: true, force: true });
});
