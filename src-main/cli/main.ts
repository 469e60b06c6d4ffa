// The `rolecall` entry. credential-process (what AWS tools run on every credential refresh) is
// answered on a hot path that loads neither commander nor zod nor the AWS SDK; everything else
// goes to the full program, imported lazily (a separate chunk in the bundle).
import { credentialProcessFast } from './hot/credential-process';
import { processIO } from './output';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const io = processIO();
  const code = args[0] === 'credential-process' ? await credentialProcessFast(args.slice(1), io) : undefined;
  if (code !== undefined) return code;
  const { run } = await import('./program');
  return run(process.argv, io);
}

// exitCode, not exit(): pending stdout to a pipe is flushed first.
void main().then((code) => (process.exitCode = code));
