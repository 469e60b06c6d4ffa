// AWS SDK errors become RolecallErrors that keep AWS's error code and message (which never
// contain secrets) and add what to do where we know it. Both come from whatever answered, so
// they are shown escaped and bounded; an answer the SDK could not parse is never quoted at all.
import { oneLine } from '../../../src-shared/untrusted-text';
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
/** The hint of a call that never reached the endpoint (refused, reset, unknown host): doctor tells it apart by this. */
export const NETWORK_HINT = 'check the network or the AWS_ENDPOINT_URL settings';

export const MFA_CODE_REFUSED_HINT = 'wait for the next code from the MFA device and try again';

/** An MFA code AWS refused; the hint survives the agent socket, so this holds on either side of it. */
export const isMfaCodeRefused = (e: unknown): boolean => e instanceof RolecallError && e.code === 'access-denied' && e.hint === MFA_CODE_REFUSED_HINT;

interface SdkErrorLike {
  name?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
  $responseBodyText?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/**
 * The SDK failed to parse the answer (JSON or XML): its message then quotes about ten characters
 * of the body around the fault ("Unexpected token 'w', ...\"ccessKey:\"wJalrXUtnF\"..."), and the
 * body may be credentials just issued. The smithy deserializer adds its "Deserialization error"
 * hint; a JSON.parse failure is a SyntaxError; the XML parser says so, and leaves the body text.
 */
const isUnreadableAnswer = (e: SdkErrorLike, message: string): boolean =>
  e.name === 'SyntaxError' || /Deserialization error|XML parse error/i.test(message) || e.$responseBodyText !== undefined;

/** Where a call went, for messages that point the right way: "AWS STS at https://...". */
export interface CalledEndpoint {
  name: string;
  url: string;
}

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RateExceeded/i;

/** Wraps an SDK error thrown by `operation` (e.g. "sts:AssumeRole") made to `endpoint`. */
export function fromSdkError(err: unknown, operation: string, endpoint?: CalledEndpoint): RolecallError {
  if (err instanceof RolecallError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const rawMessage = text(e.message) ?? '';
  const unreadable = isUnreadableAnswer(e, rawMessage);
  // AWS's codes are short identifiers; anything else is shown escaped, bounded.
  const awsCode = oneLine((text(e.Code) ?? text(e.name) ?? 'UnknownError').trim(), 64);
  // Line breaks and runs of spaces fold to one space; what else could break the line is escaped.
  const message = oneLine((rawMessage || awsCode).replace(/\s+/g, ' ').trim(), 300);
  const where = endpoint ? `${endpoint.name} at ${endpoint.url}` : 'AWS';
  const tries = count(e.$metadata?.attempts);
  const attempts = tries !== undefined && tries > 1 ? `, ${tries} attempts` : '';
  const status = count(e.$metadata?.httpStatusCode);
  const service = endpoint?.name ?? 'AWS';
  // AWS's side is failing: retrying later helps, changing anything here does not.
  const failing = () => new AwsCallError(`${service} is failing (HTTP ${status} ${awsCode} from ${operation}${attempts})`, 'aws-error', awsCode, operation, 'try again shortly', { cause: err });
  if (unreadable) {
    // A 5xx page that is not AWS's JSON or XML (a proxy's HTML) is still an outage.
    if (status !== undefined && status >= 500) return failing();
    return new AwsCallError(
      `${service} sent an answer Rolecall could not read (${operation}${attempts})`,
      'aws-error',
      awsCode,
      operation,
      endpoint ? `check what answers at ${endpoint.url} (a proxy, or the AWS_ENDPOINT_URL settings)` : undefined,
      { cause: err },
    );
  }
  if (awsCode === 'TimeoutError' || /ETIMEDOUT/.test(message)) {
    // The handler's own texts name only its setting ("exceeded the configured 10000 ms requestTimeout").
    const ms = /(\d+) ?ms/.exec(message)?.[1];
    const within = ms ? ` within ${Math.round(Number(ms) / 1000)} s` : '';
    const what = /establishing a connection/i.test(message) ? `could not be connected to${within}` : `did not answer${within}`;
    return new AwsCallError(`${where} ${what} (${operation}${attempts})`, 'timeout', awsCode, operation, 'try again shortly; if it persists, check the network or the AWS_ENDPOINT_URL settings', { cause: err });
  }
  const network = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up/i.test(`${awsCode} ${message}`);
  if (network) {
    return new AwsCallError(`${operation} could not reach ${where} (${message}${attempts})`, 'aws-error', awsCode, operation, NETWORK_HINT, { cause: err });
  }
  if (status !== undefined && status >= 500) return failing();
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
