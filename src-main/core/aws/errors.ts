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

/** AWS's AccessDenied message for a wrong or already used MFA code. */
const MFA_CODE_REFUSED = /MultiFactorAuthentication failed with invalid MFA one time pass code/i;
export const MFA_CODE_REFUSED_HINT = 'wait for the next code from the MFA device and try again';

/** An MFA code AWS refused; the hint survives the agent socket, so this holds on either side of it. */
export const isMfaCodeRefused = (e: unknown): boolean => e instanceof RolecallError && e.code === 'access-denied' && e.hint === MFA_CODE_REFUSED_HINT;

interface SdkErrorLike {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Where a call went, for messages that point the right way: "AWS STS at https://...". */
export interface CalledEndpoint {
  name: string;
  url: string;
}

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RateExceeded/i;

/** Wraps an SDK error thrown by `operation` (e.g. "sts:AssumeRole") made to `endpoint`. */
export function fromSdkError(err: unknown, operation: string, endpoint?: CalledEndpoint): RolecallError {
  if (err instanceof RolecallError) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const awsCode = e.Code || e.name || 'UnknownError';
  const message = (e.message || awsCode).replace(/\s+/g, ' ').trim();
  const where = endpoint ? `${endpoint.name} at ${endpoint.url}` : 'AWS';
  const attempts = e.$metadata?.attempts && e.$metadata.attempts > 1 ? `, ${e.$metadata.attempts} attempts` : '';
  if (awsCode === 'TimeoutError' || /ETIMEDOUT/.test(message)) {
    // The handler's own texts name only its setting ("exceeded the configured 10000 ms requestTimeout").
    const ms = /(\d+) ?ms/.exec(message)?.[1];
    const within = ms ? ` within ${Math.round(Number(ms) / 1000)} s` : '';
    const what = /establishing a connection/i.test(message) ? `could not be connected to${within}` : `did not answer${within}`;
    return new AwsCallError(`${where} ${what} (${operation}${attempts})`, 'timeout', awsCode, operation, 'try again shortly; if it persists, check the network or the AWS_ENDPOINT_URL settings', { cause: err });
  }
  const network = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up/i.test(`${awsCode} ${message}`);
  if (network) {
    return new AwsCallError(`${operation} could not reach ${where} (${message}${attempts})`, 'aws-error', awsCode, operation, 'check the network or the AWS_ENDPOINT_URL settings', { cause: err });
  }
  const status = e.$metadata?.httpStatusCode;
  const service = endpoint?.name ?? 'AWS';
  if (status !== undefined && status >= 500) {
    // AWS's side is failing: retrying later helps, changing anything here does not.
    return new AwsCallError(`${service} is failing (HTTP ${status} ${awsCode} from ${operation}${attempts})`, 'aws-error', awsCode, operation, 'try again shortly', { cause: err });
  }
  if (THROTTLING.test(awsCode)) {
    return new AwsCallError(`${service} is throttling ${operation} (${awsCode}${attempts})`, 'aws-error', awsCode, operation, 'too many calls at once; try again shortly', { cause: err });
  }
  if (awsCode === 'AccessDenied' && MFA_CODE_REFUSED.test(message)) {
    // AWS takes each code once and answers a reused code in the words of a wrong one; a retry, a
    // second hop or a second process re-sending a code meets this, so say which it most likely is.
    return new AwsCallError(
      `${operation}: AWS refused the MFA code: each code works once, and this one was already used (or is not the device's current code)`,
      'access-denied',
      awsCode,
      operation,
      MFA_CODE_REFUSED_HINT,
      { cause: err },
    );
  }
  const code: ErrorCode = /AccessDenied|NotAuthorized|Forbidden/i.test(awsCode) ? 'access-denied' : 'aws-error';
  return new AwsCallError(`${operation} failed: ${awsCode}: ${message}`, code, awsCode, operation, undefined, { cause: err });
}
