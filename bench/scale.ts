// `npm run bench`: how Rolecall's work over all profiles grows with their number, as ratios from
// one run: the same operations over 1,000 and over 10,000 profiles (80% Identity Center roles, 20%
// assume-role profiles chained on them, two hops deep), and time(10,000) / time(1,000). Work that
// grows with the profiles alone gives about 10; a walk per profile that looks at every profile
// (each chain walk made its own index: `rolecall list` and `config write` took seconds) gives 100.
// Target: every ratio <= 15.
//   - the core API's listing after another process changed the state file (what the window and
//     the tray ask for): the state read, the rows, their chain depths
//   - `rolecall list` and `rolecall config write`, run as a user's shell runs them: in a clean
//     environment (no NODE_EXTRA_CA_CERTS, set on these machines, which adds ~38 ms to every Node
//     start; no NODE_OPTIONS), the built CLI, the keychain's session listing included
// Medians of 5 runs each. Needs the keychain (build/with-keyring.sh) and `npm run -s build:cli`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppState } from '../src-shared/profile';
import { createRolecallApi } from '../src-main/core/api';
import { createCore } from '../src-main/core/core';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist', 'cli', 'rolecall.cjs');
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** n profiles: per account 8 Identity Center roles and 2 assume-role profiles, the second on the first. */
function fill(s: AppState, n: number): void {
  s.ssoSessions.push({ name: 'acme', startUrl: 'https://acme.awsapps.com/start', region: 'us-east-1' });
  for (let a = 0; a < n / 10; a++) {
    const accountId = String(444400000000 + a);
    const accountName = `acme-${String(a).padStart(4, '0')}`;
    for (let r = 0; r < 8; r++) s.profiles.push({ kind: 'sso-role', name: `${accountName}/Role${r}`, ssoSession: 'acme', accountId, accountName, roleName: `Role${r}`, synced: true });
    s.profiles.push({ kind: 'assume-role', name: `${accountName}/deploy`, sourceProfile: `${accountName}/Role0`, roleArn: `arn:aws:iam::${accountId}:role/Deploy` });
    s.profiles.push({ kind: 'assume-role', name: `${accountName}/deploy-ro`, sourceProfile: `${accountName}/deploy`, roleArn: `arn:aws:iam::${accountId}:role/DeployReadOnly` });
  }
}

async function measure(n: number): Promise<Record<string, number>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-bench-scale-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(['PATH', 'DBUS_SESSION_BUS_ADDRESS', 'LANG', 'LC_ALL', 'XDG_RUNTIME_DIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))),
      HOME: dir,
      ROLECALL_HOME: path.join(dir, 'data'),
      AWS_CONFIG_FILE: path.join(dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws-credentials'),
      ROLECALL_NO_AUTOSTART: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const core = await createCore({ env });
    const api = createRolecallApi(core, { env });
    await core.state.update((s) => fill(s, n));
    const out: Record<string, number[]> = { listing: [], list: [], write: [] };
    for (let i = 0; i < RUNS; i++) {
      // Another process's change (a favorite): the listing is rebuilt from the file.
      await core.state.update((s) => {
        s.profiles[i]!.favorite = !s.profiles[i]!.favorite;
      });
      let t = performance.now();
      const rows = await api.listProfiles();
      out.listing!.push(performance.now() - t);
      if (rows.length !== n) throw new Error(`listed ${rows.length} of ${n} profiles`);
      for (const [key, args] of [
        ['list', ['list']],
        ['write', ['config', 'write']],
      ] as const) {
        t = performance.now();
        const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: 120_000 });
        out[key]!.push(performance.now() - t);
        if (r.status !== 0) throw new Error(`rolecall ${args.join(' ')} failed: ${r.stderr.trim().split('\n')[0]}`);
      }
    }
    core.broker.close();
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const small = await measure(1_000);
  const large = await measure(10_000);
  console.log('work over all profiles, 1,000 -> 10,000 profiles (20% chained), medians of 5; target: each ratio <= 15 (10 is linear)');
  const line = (label: string, k: string) => {
    const ratio = large[k]! / small[k]!;
    console.log(`  ${label.padEnd(58)} ${small[k]!.toFixed(0).padStart(5)} ms -> ${large[k]!.toFixed(0).padStart(6)} ms  x${ratio.toFixed(1)}${ratio <= 15 ? '' : '  (over target)'}`);
  };
  line('core API listing after another process changed the state', 'listing');
  line('rolecall list (clean environment, Node start included)', 'list');
  line('rolecall config write (clean environment, Node start included)', 'write');
}

main().catch((err: unknown) => {
  console.error(`bench scale: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
