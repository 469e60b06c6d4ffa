// Messages that point the right way: which endpoint did not answer, that AWS (not the user's
// setup) is failing, that calls were throttled. Table of what the SDK throws -> what a person reads.
import { describe, expect, it } from 'vitest';
import { fromSdkError } from '../../../../src-main/core/aws/errors';
import { describeError } from '../../../../src-main/core/errors';

const sts = { name: 'AWS STS', url: 'https://sts.eu-west-1.amazonaws.com' };
const op = 'sts:AssumeRole';

describe('fromSdkError with the endpoint called', () => {
  it.each([
    [
      { name: 'TimeoutError', code: 'ETIMEDOUT', message: '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 10000 ms requestTimeout.', $metadata: { attempts: 3 } },
      'AWS STS at https://sts.eu-west-1.amazonaws.com did not answer within 10 s (sts:AssumeRole, 3 attempts); try again shortly; if it persists, check the network or the AWS_ENDPOINT_URL settings',
      'timeout',
    ],
    [
      { name: 'TimeoutError', message: 'Socket timed out without establishing a connection within 3000 ms' },
      'AWS STS at https://sts.eu-west-1.amazonaws.com could not be connected to within 3 s (sts:AssumeRole); try again shortly; if it persists, check the network or the AWS_ENDPOINT_URL settings',
      'timeout',
    ],
    [
      { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:4566' },
      'sts:AssumeRole could not reach AWS STS at https://sts.eu-west-1.amazonaws.com (connect ECONNREFUSED 127.0.0.1:4566); check the network or the AWS_ENDPOINT_URL settings',
      'aws-error',
    ],
    [
      { name: 'InternalFailure', message: 'The request processing has failed', $metadata: { httpStatusCode: 500, attempts: 4 } },
      'AWS STS is failing (HTTP 500 InternalFailure from sts:AssumeRole, 4 attempts); try again shortly',
      'aws-error',
    ],
    [
      { name: 'ServiceUnavailable', message: 'temporary failure', $metadata: { httpStatusCode: 503, attempts: 1 } },
      'AWS STS is failing (HTTP 503 ServiceUnavailable from sts:AssumeRole); try again shortly',
      'aws-error',
    ],
    [
      { name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 8 } },
      'AWS STS is throttling sts:AssumeRole (Throttling, 8 attempts); too many calls at once; try again shortly',
      'aws-error',
    ],
    // A 4xx that is the caller's to fix keeps AWS's own code and message.
    [
      { name: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole', $metadata: { httpStatusCode: 403 } },
      'sts:AssumeRole failed: AccessDenied: not authorized to perform sts:AssumeRole',
      'access-denied',
    ],
  ])('%j reads %j', (thrown, text, code) => {
    const e = fromSdkError(thrown, op, sts);
    expect(describeError(e)).toBe(text);
    expect(e.code).toBe(code);
  });
});
