// Questions to a person at a terminal. Prompts go to stderr, so stdout stays machine-readable
// (credential-process, env); answers are read from stdin only when it is a TTY.
import { RolecallError } from '../core/errors';
import type { CliIO } from './output';

export const canPrompt = (io: CliIO): boolean => !!io.stdin.isTTY && !!(io.stderr as { isTTY?: boolean }).isTTY;

/** Reads one visible line (an MFA code is single-use, so echoing it is harmless). */
export async function promptLine(io: CliIO, question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Reads one line without echo (a secret key). */
export function promptHidden(io: CliIO, question: string): Promise<string> {
  const input = io.stdin as NodeJS.ReadStream;
  return new Promise((resolve, reject) => {
    // Echo off before the question shows: a person (or a password manager) typing the moment
    // it appears must not see the secret echoed.
    input.setRawMode(true);
    io.stderr.write(question);
    let answer = '';
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(answer.trim());
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new RolecallError('cancelled', 'invalid-input'));
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    input.on('data', onData);
  });
}

/** An MFA code from the terminal, or the error that says how to pass one. */
export async function promptMfaCode(io: CliIO, profile: string, serialNumber?: string): Promise<string> {
  if (!canPrompt(io)) {
    throw new RolecallError(`profile '${profile}' needs an MFA code${serialNumber ? ` from ${serialNumber}` : ''}`, 'mfa-required', 'pass --mfa-code CODE');
  }
  const code = await promptLine(io, `MFA code for profile '${profile}'${serialNumber ? ` (${serialNumber})` : ''}: `);
  if (!/^\d{6}$/.test(code)) throw new RolecallError('an MFA code is 6 digits', 'invalid-input');
  return code;
}
