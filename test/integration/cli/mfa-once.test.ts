// aws-vault's common layout: mfa_serial on the IAM user and on the role above it, the same device.
// One code serves the chain: it goes to GetSessionToken, whose MFA context the role's trust
// policy (aws:MultiFactorAuthPresent) then sees. The sandbox refuses a reused code, so a second
// use of the one code, or a second prompt, would show.
import { describe, expect, it } from 'vitest';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, parseJson, useCliHarness } from './harness';
import { atTerminal } from './terminal';

const DEVELOPER = 'arn:aws:iam::444455556666:role/Developer';
const DEVELOPER_ARN = /^arn:aws:sts::444455556666:assumed-role\/Developer\/alice$/;

const h = useCliHarness(async (h) => {
  expect((await h.rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA], { input: ALICE_KEY.secretAccessKey })).code).toBe(0);
  // Developer's trust policy requires MFA.
  expect((await h.rolecall(['profile', 'add', 'dev', '--source', 'alice', '--role-arn', DEVELOPER, '--mfa-serial', ALICE_MFA])).code).toBe(0);
});

describe('one MFA code per device per chain', () => {
  it('one piped code: GetSessionToken takes it, and the role above needs none', async () => {
    const r = await h().rolecall(['credential-process', 'dev', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)], { secretOutput: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(1);
    expect(h().sandbox.knobs.count('sts:AssumeRole')).toBe(1);
    // The role's session is what AWS tools get.
    const who = await h().rolecall(['exec', 'dev', '--', '/usr/bin/aws', 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json']);
    expect(who.stderr).toBe('');
    expect(parseJson(who.stdout).Arn).toMatch(DEVELOPER_ARN);
  });

  it('at a terminal, exec asks once and the chain works', async () => {
    // The hop that needs the code is the IAM user's GetSessionToken.
    const prompt = `MFA code for profile 'alice' (${ALICE_MFA}): `;
    const code = mfaCode(h().sandbox, ALICE_MFA);
    const r = await atTerminal(h(), ['exec', 'dev', '--', '/usr/bin/aws', 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json', '--no-cli-pager'], [{ after: prompt, type: code }]);
    expect(r.code).toBe(0);
    // One prompt, then the AWS CLI's answer: a second prompt would stand where the JSON is.
    expect(r.screen.startsWith(`${prompt}${code}\n{`)).toBe(true);
    expect(r.screen.split('MFA code').length - 1).toBe(1);
    expect(parseJson(r.screen.slice(r.screen.indexOf('{'))).Arn).toMatch(DEVELOPER_ARN);
  });

  it('a role with MFA over a user without it still sends the code on AssumeRole', async () => {
    expect((await h().rolecall(['iam-user', 'add', 'plain', '--access-key-id', ALICE_KEY.accessKeyId], { input: ALICE_KEY.secretAccessKey })).code).toBe(0);
    expect((await h().rolecall(['profile', 'add', 'dev2', '--source', 'plain', '--role-arn', DEVELOPER, '--mfa-serial', ALICE_MFA])).code).toBe(0);
    const r = await h().rolecall(['credential-process', 'dev2', '--mfa-code', mfaCode(h().sandbox, ALICE_MFA)], { secretOutput: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(0);
  });
});
