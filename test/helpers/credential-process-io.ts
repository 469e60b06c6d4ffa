// The credential_process hot path run in this process, as an AWS tool would run the CLI: its
// exit code, stdout and stderr, with in-memory streams.
import { PassThrough } from 'node:stream';
import { runCredentialProcess, type CredentialProcessArgs } from '../../src-main/cli/hot/credential-process';

export async function credentialProcessInProcess(req: CredentialProcessArgs, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCredentialProcess(req, { stdout, stderr, stdin: new PassThrough(), env });
  return { code, out, err };
}
