// `npm run sandbox [-- --port N --org FILE --latency-ms N]`: starts the sandbox and prints its URL
// (and nothing else) on stdout; a bad flag or organization file is one line on stderr and exit 1.
import { Command, InvalidArgumentError } from 'commander';
import { fileURLToPath } from 'node:url';
import { loadOrganization } from './org';
import { startSandbox } from './server';

/** A commander parser for a whole number within [min, max]. */
const wholeNumber = (min: number, max: number) => (value: string) => {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
  return n;
};

const program = new Command('sandbox')
  .description('A local imitation of the AWS endpoints Rolecall uses (STS, SSO OIDC, SSO portal, sign-in)')
  .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', wholeNumber(0, 65535), 0)
  .option('--org <file>', 'organization file', fileURLToPath(new URL('./demo-org.json', import.meta.url)))
  .option('--latency-ms <ms>', 'latency added to every response', wholeNumber(0, 600_000), 0)
  .action(async (o: { port: number; org: string; latencyMs: number }) => {
    try {
      const sandbox = await startSandbox({ org: loadOrganization(o.org), port: o.port, knobs: { latencyMs: o.latencyMs } });
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
