// What every command prints, and how it exits. Zod-free: the credential_process hot path uses it.
import type { Credentials } from '../../src-shared/profile';
import { RolecallError, describeError, isRolecallError } from '../core/errors';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

/** Usage and validation errors exit 2, everything else 1. */
export const exitCodeFor = (e: unknown): number => (isRolecallError(e) && e.code === 'invalid-input' ? 2 : 1);

/** One line on stderr: never a stack trace. Newlines in a message are folded so it stays one line. */
export function printError(io: CliIO, e: unknown): number {
  io.stderr.write(`rolecall: ${describeError(e).replace(/\s*\r?\n\s*/g, ' ')}\n`);
  return exitCodeFor(e);
}

/** Names the profile in an error that does not mention it (an AWS refusal deep in a chain). */
export function aboutProfile(profile: string, e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (message.includes(`'${profile}'`)) return e;
  return new RolecallError(`profile '${profile}': ${message}`, isRolecallError(e) ? e.code : 'aws-error', isRolecallError(e) ? e.hint : undefined, { cause: e });
}

/** The credential_process answer, as botocore and the AWS SDKs read it. */
export function credentialProcessJson(c: Credentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { SessionToken: c.sessionToken } : {}),
    // Absent only for long-term keys: without it AWS tools treat credentials as never expiring.
    ...(c.expiration ? { Expiration: c.expiration.toISOString() } : {}),
  });
}

/** Writes and resolves once the data is handed to the OS, so an exit right after loses nothing. */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}
