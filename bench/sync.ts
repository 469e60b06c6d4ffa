// `node --import tsx bench/sync.ts [--accounts 1000] [--roles 3] [--rate 20]`: times `rolecall sync`
// of a large organization against the sandbox with ListAccountRoles rate-limited, and prints the
// time as a ratio to its floor (ListAccountRoles calls / rate limit). Target: at most 1.25.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StateStore } from '../src-main/core/files/state-store';
import { resolvePaths } from '../src-main/core/paths';
import type { SecretStore } from '../src-main/core/secrets/secret-store';
import { SsoManager } from '../src-main/core/sso/manager';
import { approve } from '../test/sandbox/browser';
import { startSandbox } from '../test/sandbox/server';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '1000' }, roles: { type: 'string', default: '3' }, rate: { type: 'string', default: '20' } } });
const accounts = Number(values.accounts);
const roles = Array.from({ length: Number(values.roles) }, (_, i) => `Role${i + 1}`);
const rate = Number(values.rate);
const person = { userName: 'bench@example.com', password: 'bench' };
const START_URL = 'https://bench.awsapps.com/start';

// The bench measures pacing, not the keychain: secrets stay in memory.
class MemorySecrets implements SecretStore {
  private readonly m = new Map<string, string>();
  get = async (k: string) => this.m.get(k) ?? null;
  set = async (k: string, v: string) => void this.m.set(k, v);
  delete = async (k: string) => this.m.delete(k);
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const list = Array.from({ length: accounts }, (_, i) => ({ id: String(100000000000 + i), name: `account ${i}`, email: '' }));
const sandbox = await startSandbox({
  org: {
    accounts: list,
    identityCenter: [{ startUrl: START_URL, region: 'us-east-1', users: [{ ...person, assignments: list.flatMap((a) => roles.map((roleName) => ({ accountId: a.id, roleName }))) }] }],
  },
});
const dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-sync-'));
try {
  const env = { ...process.env, ROLECALL_HOME: dir, AWS_ENDPOINT_URL: sandbox.url };
  const paths = resolvePaths(env, process.platform, dir);
  const manager = new SsoManager({
    paths,
    state: new StateStore(paths),
    secrets: new MemorySecrets(),
    env,
    io: { print: () => undefined, browserAvailable: () => true, openBrowser: async (url) => void approve(url, person) },
  });
  await manager.login({ name: 'bench', startUrl: START_URL, region: 'us-east-1' });
  sandbox.knobs.set({ rateLimits: { 'sso:ListAccountRoles': rate } });
  sandbox.knobs.resetCounts();

  const started = performance.now();
  const result = await manager.sync('bench');
  const seconds = (performance.now() - started) / 1000;

  const calls = sandbox.knobs.count('sso:ListAccountRoles');
  const throttled = sandbox.knobs.throttled.get('sso:ListAccountRoles') ?? 0;
  const floor = (calls - throttled) / rate;
  const ratio = seconds / floor;
  if (result.roles !== accounts * roles.length) throw new Error(`sync found ${result.roles} roles, expected ${accounts * roles.length}`);
  console.log(
    `sync of ${accounts} accounts x ${roles.length} roles, ListAccountRoles at ${rate} req/s: ${seconds.toFixed(1)} s; ` +
      `floor ${floor.toFixed(1)} s (${calls - throttled} calls / ${rate} per s); ratio ${ratio.toFixed(2)} (target <= 1.25); ` +
      `${throttled} throttled calls retried`,
  );
  process.exitCode = ratio <= 1.25 ? 0 : 1;
} finally {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}
