// One error type for everything a person should read: a message that says what failed and,
// where we know it, what to do. Faces print `message` (and `hint`) and exit non-zero; never a stack.
export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'sign-in-required'
  | 'mfa-required'
  | 'access-denied'
  | 'aws-error'
  | 'keychain'
  | 'file'
  | 'agent'
  | 'timeout';

export class RolecallError extends Error {
  override readonly name = 'RolecallError';
  constructor(
    message: string,
    readonly code: ErrorCode,
    /** What to do about it, e.g. "run: rolecall login sso acme". */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isRolecallError = (e: unknown): e is RolecallError => e instanceof RolecallError;

/** A one-line text for people: the message, plus the hint when there is one. */
export function describeError(e: unknown): string {
  if (isRolecallError(e)) return e.hint ? `${e.message}; ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

const FILE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full (ENOSPC)',
  EDQUOT: 'the disk quota is used up (EDQUOT)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
  EROFS: 'the file system is read-only (EROFS)',
};

/** A file-system error in words, for messages that name the file themselves (Node's write errors name none). */
export function fileErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code) return FILE_ERRORS[code] ?? code;
  return e instanceof Error ? e.message : String(e);
}
