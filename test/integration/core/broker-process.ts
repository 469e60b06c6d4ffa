// One Rolecall process for broker-lock.test.ts: builds its own core (as a CLI process with
// autostart off does, without the CLI's cold gate), says "ready", and on a line from stdin asks
// its broker for one profile and prints the access key id. Run with tsx.
import { createCore } from '../../../src-main/core/core';

const profile = process.argv[2];
if (!profile) throw new Error('usage: broker-process.ts PROFILE');
const core = await createCore({ env: process.env });
await core.state.load();
// Loaded before "ready", so both processes start their requests from the same point.
await import('@aws-sdk/client-sts');
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
try {
  const c = await core.broker.credentials(profile);
  process.stdout.write(`${c.accessKeyId}\n`);
  process.exit(0);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
