// Riding out an AWS outage with the session already held. botocore's RefreshableCredentials
// (botocore/credentials.py: _advisory_refresh_timeout = 15 min, _mandatory_refresh_timeout =
// 10 min) tries to refresh in the advisory window and, if that fails, keeps using the current
// credentials; only in the mandatory window does a failed refresh become the caller's error.
// The broker does the same, but only when AWS could not answer: a refusal (AccessDenied, a
// changed trust policy, an expired or invalid token, a sign-in or MFA code needed) is the
// answer, and serving a session for ten more minutes would hide from the person that access was
// taken away or that they must act, until it fails anyway.
import { AwsCallError } from '../aws/errors';
import { serviceName } from '../aws/client-config';
import type { EndpointService } from '../aws/endpoints';

/** botocore's _mandatory_refresh_timeout: a session with less left is not served in place of a refresh. */
export const MANDATORY_REFRESH_MS = 10 * 60_000;

/** How the background retry backs off: a random wait up to a cap that doubles from `firstDelayMs` to `maxDelayMs`. */
export interface OutageRetryOptions {
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_OUTAGE_RETRY: OutageRetryOptions = { firstDelayMs: 15_000, maxDelayMs: 120_000 };

const THROTTLING = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RateExceeded/i;
const NETWORK = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up/i;

interface SdkCause {
  $metadata?: { httpStatusCode?: number };
}

const httpStatus = (e: AwsCallError): number | undefined => (e.cause as SdkCause | undefined)?.$metadata?.httpStatusCode;

/** Why AWS could not answer, in a few words ("HTTP 503", "throttled"), or undefined when it did answer (a refusal, a bad request). */
export function outageReason(e: unknown): string | undefined {
  if (!(e instanceof AwsCallError)) return undefined;
  if (e.code === 'timeout') return 'no answer in time';
  const status = httpStatus(e);
  if (status !== undefined && status >= 500) return `HTTP ${status}`;
  if (THROTTLING.test(e.awsCode)) return `throttled: ${e.awsCode}`;
  if (NETWORK.test(`${e.awsCode} ${e.message}`)) return 'could not connect';
  return undefined;
}

/** "AWS STS" for "sts:AssumeRole". */
export function serviceOf(e: unknown): string {
  const prefix = e instanceof AwsCallError ? e.operation.split(':')[0] : undefined;
  return (prefix && serviceName[prefix as EndpointService]) || 'AWS';
}

/** The next wait of the background retry: jittered (so brokers do not retry in step), never under half the first delay. */
export function retryDelay(attempt: number, o: OutageRetryOptions, random = Math.random): number {
  const cap = Math.min(o.maxDelayMs, o.firstDelayMs * 2 ** attempt);
  return Math.round(o.firstDelayMs / 2 + random() * (cap - o.firstDelayMs / 2));
}

/** "14:05 (12 min)": when a session ends, in local time, and how long that is from now. */
export function validUntil(expiration: Date, now: number): string {
  const hhmm = expiration.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${hhmm} (${Math.floor((expiration.getTime() - now) / 60_000)} min)`;
}
