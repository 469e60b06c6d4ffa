// What every command prints, and how it exits. Zod-free: the credential_process hot path uses it.
import { writeSync } from 'node:fs';
import type { Credentials } from '../../src-shared/profile';
import { RolecallError, describeError, isRolecallError, type ErrorCode } from '../core/errors';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** The file descriptor behind stdout, for the hot path's one synchronous write (processIO: 1). */
  stdoutFd?: number;
}

/** The process's streams, touched only when used: creating process.stdin alone costs about 1.5 ms. */
export const processIO = (): CliIO => ({
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  stdoutFd: 1,
});

/**
 * The hot path (dist/cli/rolecall.cjs) and what it loads lazily (dist/cli/lib) are separate
 * bundles with their own copy of RolecallError, so an error from the other side is recognised
 * by its name and rebuilt as this side's.
 */
export function adoptError(e: unknown): unknown {
  if (isRolecallError(e) || !(e instanceof Error) || e.name !== 'RolecallError') return e;
  const { code, hint } = e as Error & { code?: unknown; hint?: unknown };
  if (typeof code !== 'string') return e;
  return new RolecallError(e.message, code as ErrorCode, typeof hint === 'string' ? hint : undefined, { cause: e });
}

/** Usage and validation errors exit 2, everything else 1. */
export const exitCodeFor = (e: unknown): number => {
  const a = adoptError(e);
  return isRolecallError(a) && a.code === 'invalid-input' ? 2 : 1;
};

/** One line on stderr: never a stack trace. Newlines in a message are folded so it stays one line. */
export function printError(io: CliIO, e: unknown): number {
  io.stderr.write(`rolecall: ${describeError(adoptError(e)).replace(/\s*\r?\n\s*/g, ' ')}\n`);
  return exitCodeFor(e);
}

/** Names the profile in an error that does not mention it (an AWS refusal deep in a chain). */
export function aboutProfile(profile: string, caught: unknown): unknown {
  const e = adoptError(caught);
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

/**
 * credential_process's one answer, written straight to the stdout descriptor: setting up
 * process.stdout for a pipe costs ~1 ms on the hot path. A pipe Node made non-blocking may
 * refuse (EAGAIN); the rest then goes through the stream.
 */
export async function writeAnswer(io: CliIO, text: string): Promise<void> {
  if (io.stdoutFd === undefined) return writeOut(io.stdout, text);
  let data = Buffer.from(text);
  try {
    while (data.length > 0) data = data.subarray(writeSync(io.stdoutFd, data));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    return writeOut(io.stdout, data.toString());
  }
}

/** Writes and resolves once the data is handed to the OS, so an exit right after loses nothing. */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}
