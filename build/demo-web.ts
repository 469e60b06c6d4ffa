// `npm run demo:web`: the sandbox and the demo state (signed in to Identity Center, synced, the
// IAM user alice with MFA and a 3-hop chain, some live sessions) through the web bridge; the last
// line printed is the address to open. Runs until Ctrl+C. `--port N` picks the bridge's port.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, seedDemo, startUiWorld } from '../test/integration/web/ui-harness';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error('--port: expected a port number 1-65535');
  const dataDir = path.join(repoRoot, '.demo', 'web');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const w = await startUiWorld({ dataDir, port });
  console.log(`sandbox AWS at ${w.sandbox.url}; signing in to its Identity Center as alice, syncing, adding alice's 3-hop chain...`);
  await seedDemo(w);
  console.log(`ready: ${(await w.api.listProfiles()).length} profiles. Open this address (it holds the key; Ctrl+C stops):`);
  console.log(w.url);
  const stop = () => void w.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.env.ROLECALL_DEMO_EXIT) stop();
}

main().catch((err: unknown) => {
  console.error(`demo:web: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
