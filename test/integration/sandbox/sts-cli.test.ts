// Debian's AWS CLI v2 against the sandbox's STS: answers parse, errors surface with AWS's codes
// and messages. The CLI costs about a second per run, so the runs go concurrently.
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, identityOf, mfaCode, runAwsCli, stsClient, useDemoSandbox, type CliResult } from './sts-fixtures';

const sandbox = useDemoSandbox();
let results: Record<string, CliResult>;

beforeAll(async () => {
  // The chain's earlier hops come from the SDK (fast); the CLI runs the hops under test.
  const developer = identityOf(
    (
      await stsClient(sandbox(), DEMO.alice).send(
        new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'alice', SerialNumber: DEMO.mfaSerial, TokenCode: mfaCode(sandbox()) }),
      )
    ).Credentials,
  );
  const deployer = identityOf((await stsClient(sandbox(), developer).send(new AssumeRoleCommand({ RoleArn: DEMO.deployer, RoleSessionName: 'alice' }))).Credentials);
  const runs: Record<string, Promise<CliResult>> = {
    callerIdentity: runAwsCli(sandbox(), ['sts', 'get-caller-identity'], DEMO.alice),
    sessionToken: runAwsCli(sandbox(), ['sts', 'get-session-token', '--serial-number', DEMO.mfaSerial, '--token-code', mfaCode(sandbox())], DEMO.alice),
    assumeRole: runAwsCli(sandbox(), ['sts', 'assume-role', '--role-arn', DEMO.readOnly, '--role-session-name', 'cli-reader', '--duration-seconds', '7200'], DEMO.alice),
    untrusted: runAwsCli(sandbox(), ['sts', 'assume-role', '--role-arn', DEMO.deployer, '--role-session-name', 'cli'], DEMO.alice),
    chainedTooLong: runAwsCli(sandbox(), ['sts', 'assume-role', '--role-arn', DEMO.deployer, '--role-session-name', 'cli', '--duration-seconds', '7200'], developer),
    noExternalId: runAwsCli(sandbox(), ['sts', 'assume-role', '--role-arn', DEMO.auditor, '--role-session-name', 'cli'], deployer),
    chainedCaller: runAwsCli(sandbox(), ['sts', 'get-caller-identity'], deployer),
  };
  results = Object.fromEntries(await Promise.all(Object.entries(runs).map(async ([k, p]) => [k, await p] as const)));
});

const json = (r: CliResult | undefined) => {
  expect(r?.stderr).toBe('');
  expect(r?.code).toBe(0);
  return JSON.parse(r?.stdout ?? '') as Record<string, Record<string, string>>;
};
const error = (r: CliResult | undefined, code: string, operation: string, message: string) => {
  expect(r?.code).not.toBe(0);
  expect(r?.stderr.trim()).toBe(`An error occurred (${code}) when calling the ${operation} operation: ${message}`);
};

describe('AWS CLI v2 against the sandbox STS', () => {
  it('get-caller-identity names alice, and the assumed-role session down the chain', () => {
    expect(json(results.callerIdentity)).toMatchObject({ Arn: DEMO.aliceArn, Account: '111122223333', UserId: expect.stringMatching(/^AIDA/) });
    expect(json(results.chainedCaller)).toMatchObject({ Arn: 'arn:aws:sts::777788889999:assumed-role/Deployer/alice', Account: '777788889999' });
  });

  it('get-session-token with an MFA code computed from the seed gives 12-hour credentials', () => {
    const creds = json(results.sessionToken).Credentials;
    expect(creds?.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(creds?.Expiration ?? '')).toBeGreaterThan(Date.now() + 11.9 * 3600_000);
  });

  it('assume-role returns credentials and the assumed-role user', () => {
    const out = json(results.assumeRole);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/cli-reader');
    expect(Date.parse(out.Credentials?.Expiration ?? '')).toBeGreaterThan(Date.now() + 7100_000);
  });

  it('surfaces a trust refusal, the chained one-hour limit and a missing ExternalId as AWS words them', () => {
    error(results.untrusted, 'AccessDenied', 'AssumeRole', `User: ${DEMO.aliceArn} is not authorized to perform: sts:AssumeRole on resource: ${DEMO.deployer}`);
    error(results.chainedTooLong, 'ValidationError', 'AssumeRole', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    error(
      results.noExternalId,
      'AccessDenied',
      'AssumeRole',
      `User: arn:aws:sts::777788889999:assumed-role/Deployer/alice is not authorized to perform: sts:AssumeRole on resource: ${DEMO.auditor}`,
    );
  });
});
