// Which failed refreshes the broker rides out with the session it holds (AWS could not answer)
// and which it must not paper over (AWS answered no), the background retry's backoff, and the
// "valid until" text of the notices.
import { describe, expect, it } from 'vitest';
import { fromSdkError } from '../../../../src-main/core/aws/errors';
import { outageReason, retryDelay, serviceOf, validUntil } from '../../../../src-main/core/broker/outage';
import { RolecallError } from '../../../../src-main/core/errors';

const STS = { name: 'AWS STS', url: 'https://sts.us-east-1.amazonaws.com' };
/** An error as the SDK throws it: the service's code as its name, the HTTP status and attempts in $metadata. */
const sdkError = (name: string, httpStatusCode: number | undefined, message = name, attempts = 8) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode, attempts } });
const fromSts = (e: unknown) => fromSdkError(e, 'sts:AssumeRole', STS);

describe('outageReason: AWS could not answer', () => {
  it.each([
    ['a 503', sdkError('ServiceUnavailable', 503), 'HTTP 503'],
    ['a 500', sdkError('InternalFailure', 500), 'HTTP 500'],
    ['throttling after the retries', sdkError('Throttling', 400, 'Rate exceeded'), 'throttled: Throttling'],
    ['the SDK timeout', sdkError('TimeoutError', undefined, 'Connection timed out after 10000 ms'), 'no answer in time'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'could not connect'],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'could not connect'],
  ])('%s', (_what, err, reason) => {
    expect(outageReason(fromSts(err))).toBe(reason);
  });
});

describe('outageReason: AWS answered, and the answer stands', () => {
  it.each([
    ['AccessDenied (trust policy)', fromSts(sdkError('AccessDenied', 403, 'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole'))],
    ['an MFA code refused', fromSts(sdkError('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code.'))],
    ['ExpiredToken', fromSts(sdkError('ExpiredToken', 403, 'The security token included in the request is expired'))],
    ['InvalidClientTokenId', fromSts(sdkError('InvalidClientTokenId', 403))],
    ['ValidationError', fromSts(sdkError('ValidationError', 400))],
    ['sign-in required', new RolecallError("profile 'x': the Identity Center session for acme expired", 'sign-in-required')],
    ['MFA code required', new RolecallError("profile 'x' needs an MFA code", 'mfa-required')],
    ['a lock timeout (not AWS)', new RolecallError('timed out waiting for a lock', 'timeout')],
    ['a plain error', new Error('boom')],
  ])('%s', (_what, err) => {
    expect(outageReason(err)).toBeUndefined();
  });
});

describe('serviceOf', () => {
  it('names the service the failing call went to', () => {
    expect(serviceOf(fromSts(sdkError('ServiceUnavailable', 503)))).toBe('AWS STS');
    expect(serviceOf(fromSdkError(sdkError('ServiceUnavailable', 503), 'sso:GetRoleCredentials'))).toBe('the IAM Identity Center portal');
    expect(serviceOf(new Error('x'))).toBe('AWS');
  });
});

describe('retryDelay', () => {
  const o = { firstDelayMs: 1000, maxDelayMs: 8000 };
  it('stays between half the first delay and a cap that doubles up to the maximum', () => {
    const bounds = [0, 1, 2, 3, 4, 10].map((a) => [retryDelay(a, o, () => 0), retryDelay(a, o, () => 1)]);
    expect(bounds).toEqual([
      [500, 1000],
      [500, 2000],
      [500, 4000],
      [500, 8000],
      [500, 8000],
      [500, 8000],
    ]);
  });
  it('is jittered, so brokers that saw the same outage do not retry in step', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelay(3, o)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('validUntil', () => {
  it('gives the local time and whole minutes left', () => {
    const expiration = new Date(2030, 0, 1, 14, 5, 0);
    expect(validUntil(expiration, expiration.getTime() - 12.5 * 60_000)).toBe('14:05 (12 min)');
  });
});
