// AWS SDK errors become RolecallErrors that keep AWS's error code and message (which never
// contain secrets) and add what to do where we know it.
import { RolecallError, type ErrorCode } from '../errors';

export class AwsCallError extends RolecallError {
  constructor(
    message: string,
    code: ErrorCode,
    /** AWS's error code, e.g. AccessDenied, ValidationError, ExpiredToken. */
    readonly awsCode: string,
    readonly operation: string,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, code, hint, options);
  }
}

interface SdkErrorLike {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Wraps an SDK error thrown by `operation` (e.g. "sts:AssumeRole"). */
export function fromSdkError(err: unknown, operation: string): RolecallError {
  if (err instanceof RolecallError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const awsCode = e.Code || e.name || 'UnknownError';
  const message = (e.message || awsCode).replace(/\s+/g, ' ').trim();
  const network = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|socket hang up|TimeoutError/i.test(`${awsCode} ${message}`);
  if (network) {
    return new AwsCallError(`${operation} could not reach AWS (${message})`, 'aws-error', awsCode, operation, 'check the network or the AWS_ENDPOINT_URL settings', { cause: err });
  }
  const code: ErrorCode = /AccessDenied|NotAuthorized|Forbidden/i.test(awsCode) ? 'access-denied' : 'aws-error';
  return new AwsCallError(`${operation} failed: ${awsCode}: ${message}`, code, awsCode, operation, undefined, { cause: err });
}
