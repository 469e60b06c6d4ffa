// What a person reads when an AWS call fails (fromSdkError): AWS's own code and message, the
// operation, a hint where we know one, and an error code the faces act on (access-denied, ...).
import { describe, expect, it } from 'vitest';
import { AwsCallError, fromSdkError } from '../../../../src-main/core/aws/errors';
import { RolecallError } from '../../../../src-main/core/errors';

const op = 'sts:AssumeRole';

describe('fromSdkError', () => {
  it.each([
    // [what the SDK threw, message, code, awsCode]
    [{ name: 'AccessDenied', message: 'User: arn:aws:iam::1:user/a is not authorized' }, 'sts:AssumeRole failed: AccessDenied: User: arn:aws:iam::1:user/a is not authorized', 'access-denied', 'AccessDenied'],
    [{ name: 'AccessDeniedException', message: 'no' }, 'sts:AssumeRole failed: AccessDeniedException: no', 'access-denied', 'AccessDeniedException'],
    [{ name: 'ForbiddenException', message: 'No access' }, 'sts:AssumeRole failed: ForbiddenException: No access', 'access-denied', 'ForbiddenException'],
    [{ name: 'NotAuthorizedException', message: 'x' }, 'sts:AssumeRole failed: NotAuthorizedException: x', 'access-denied', 'NotAuthorizedException'],
    [{ name: 'accessdenied', message: 'x' }, 'sts:AssumeRole failed: accessdenied: x', 'access-denied', 'accessdenied'],
    [{ name: 'ExpiredToken', message: 'The security token included in the request is expired' }, 'sts:AssumeRole failed: ExpiredToken: The security token included in the request is expired', 'aws-error', 'ExpiredToken'],
    [{ name: 'ValidationError', message: 'The requested DurationSeconds exceeds\n   the 1 hour  session limit' }, 'sts:AssumeRole failed: ValidationError: The requested DurationSeconds exceeds the 1 hour session limit', 'aws-error', 'ValidationError'],
    // botocore-style Code wins over the JS class name.
    [{ name: 'Error', Code: 'InvalidClientTokenId', message: 'bad key' }, 'sts:AssumeRole failed: InvalidClientTokenId: bad key', 'aws-error', 'InvalidClientTokenId'],
    [{ name: 'RegionDisabledException' }, 'sts:AssumeRole failed: RegionDisabledException: RegionDisabledException', 'aws-error', 'RegionDisabledException'],
    [{}, 'sts:AssumeRole failed: UnknownError: UnknownError', 'aws-error', 'UnknownError'],
    [null, 'sts:AssumeRole failed: UnknownError: UnknownError', 'aws-error', 'UnknownError'],
    [{ message: '  spaced   out  ' }, 'sts:AssumeRole failed: UnknownError: spaced out', 'aws-error', 'UnknownError'],
  ])('%j becomes %j (%s)', (thrown, message, code, awsCode) => {
    const e = fromSdkError(thrown, op);
    expect(e).toBeInstanceOf(AwsCallError);
    expect(e).toMatchObject({ message, code, awsCode, operation: op, hint: undefined });
    expect(e.cause).toBe(thrown);
  });

  it.each([
    [{ name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:4566' }, 'connect ECONNREFUSED 127.0.0.1:4566'],
    [{ name: 'Error', message: 'read ECONNRESET' }, 'read ECONNRESET'],
    [{ name: 'Error', message: 'getaddrinfo ENOTFOUND sts.example' }, 'getaddrinfo ENOTFOUND sts.example'],
    [{ name: 'Error', message: 'socket hang up' }, 'socket hang up'],
    [{ code: 'x', name: 'ECONNREFUSED' }, 'ECONNREFUSED'],
  ])('%j is a network failure: it says AWS could not be reached and what to check', (thrown, detail) => {
    const e = fromSdkError(thrown, op);
    expect(e).toMatchObject({
      message: `sts:AssumeRole could not reach AWS (${detail})`,
      code: 'aws-error',
      hint: 'check the network or the AWS_ENDPOINT_URL settings',
    });
  });

  it('passes a RolecallError through as it is', () => {
    const own = new RolecallError("profile 'x' needs an MFA code", 'mfa-required', 'pass --mfa-code CODE');
    expect(fromSdkError(own, op)).toBe(own);
  });
});
