// `npm run sandbox [-- --port N --org FILE --latency-ms N]`: starts the sandbox and prints its URL.
import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { loadOrganization } from './org';
import { startSandbox } from './server';

const program = new Command('sandbox')
  .description('A local imitation of the AWS endpoints Rolecall uses (STS, SSO OIDC, SSO portal, sign-in)')
  .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', '0')
  .option('--org <file>', 'organization file', fileURLToPath(new URL('./demo-org.json', import.meta.url)))
  .option('--latency-ms <ms>', 'latency added to every response', '0')
  .action(async (o: { port: string; org: string; latencyMs: string }) => {
    try {
      const sandbox = await startSandbox({ org: loadOrganization(o.org), port: Number(o.port), knobs: { latencyMs: Number(o.latencyMs) } });
      console.log(sandbox.url);
      const stop = () => void sandbox.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    } catch (err) {
      console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  });
await program.parseAsync();
