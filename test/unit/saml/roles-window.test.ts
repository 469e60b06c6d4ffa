// Role choice, profile names, DurationSeconds, and the login window as data.
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../src-main/core/aws/errors';
import { samlStsRegion } from '../../../src-main/core/saml/assume';
import { chooseRoles, isMaxSessionDurationRefusal, samlDurationSeconds, samlProfileNames } from '../../../src-main/core/saml/roles';
import { samlSessionPartition, samlWindowPlan } from '../../../src-main/core/saml/window';
import type { Profile } from '../../../src-shared/profile';
import { expectLockedDown } from '../../helpers/remote-content';

const IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';
const A = { roleArn: 'arn:aws:iam::777788889999:role/Admin', principalArn: IDP };
const B = { roleArn: 'arn:aws:iam::444455556666:role/Admin', principalArn: IDP };
const C = { roleArn: 'arn:aws:iam::444455556666:role/ops/Read,Only=1', principalArn: IDP };
const integration = { name: 'corp', url: 'https://idp.example/aws' };

describe('chooseRoles', () => {
  it("takes the assertion's only role, or those asked for", () => {
    expect(chooseRoles({ encrypted: false, roles: [A] })).toEqual([A]);
    expect(chooseRoles({ encrypted: false, roles: [A, B, C] }, [C.roleArn, A.roleArn, C.roleArn])).toEqual([C, A]);
  });
  it('refuses to guess among several, and a role the assertion does not grant', () => {
    expect(() => chooseRoles({ encrypted: false, roles: [A, B] })).toThrow(/grants 2 roles \(.*role\/Admin, .*role\/Admin\)/);
    expect(() => chooseRoles({ encrypted: false, roles: [A] }, [B.roleArn])).toThrow(/does not grant arn:aws:iam::444455556666:role\/Admin/);
    expect(() => chooseRoles({ encrypted: false, roles: [A] }, [A.roleArn], 'arn:aws:iam::777788889999:saml-provider/other')).toThrow(/through/);
  });
  it('an encrypted assertion needs --role and --principal-arn', () => {
    expect(() => chooseRoles({ encrypted: true, roles: [] }, [A.roleArn])).toThrow(expect.objectContaining({ hint: 'name them: --role ROLE_ARN --principal-arn SAML_PROVIDER_ARN' }));
    expect(chooseRoles({ encrypted: true, roles: [] }, [A.roleArn], IDP)).toEqual([A]);
  });
});

describe('samlDurationSeconds', () => {
  it('is the smallest of SessionDuration, the setting and 43200', () => {
    expect(samlDurationSeconds(7200, 3600)).toBe(3600);
    expect(samlDurationSeconds(1800, undefined)).toBe(1800);
    expect(samlDurationSeconds(undefined, 14400)).toBe(14400);
    expect(samlDurationSeconds(undefined, undefined)).toBe(43200);
  });
  it('knows a MaxSessionDuration refusal from other refusals', () => {
    const refusal = (code: string, message: string) => new AwsCallError(message, 'aws-error', code, 'sts:AssumeRoleWithSAML');
    expect(isMaxSessionDurationRefusal(refusal('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'))).toBe(true);
    expect(isMaxSessionDurationRefusal(refusal('ValidationError', '1 validation error detected'))).toBe(false);
    expect(isMaxSessionDurationRefusal(refusal('AccessDenied', 'MaxSessionDuration'))).toBe(false);
  });
});

describe('samlProfileNames', () => {
  const existing = (name: string, roleArn: string): Profile => ({ kind: 'saml-role', name, integration: 'corp', roleArn, principalArn: IDP });
  it('INTEGRATION/ROLE, with the account when two roles share a name, and only safe characters', () => {
    expect(samlProfileNames({ profiles: [] }, integration, [A, B, C])).toEqual(['corp/777788889999/Admin', 'corp/444455556666/Admin', 'corp/Read-Only-1']);
  });
  it('keeps the name of the profile that serves the role already; refuses a name held by another profile', () => {
    expect(samlProfileNames({ profiles: [existing('mine', A.roleArn)] }, integration, [A])).toEqual(['mine']);
    expect(samlProfileNames({ profiles: [{ kind: 'iam-user', name: 'corp/Admin', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }] }, integration, [A])).toEqual(['corp/777788889999/Admin']);
    const both: Profile[] = [
      { kind: 'iam-user', name: 'corp/Admin', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' },
      { kind: 'iam-user', name: 'corp/777788889999/Admin', accessKeyId: 'AKIAAAAAAAAAAAAAAAAB' },
    ];
    expect(() => samlProfileNames({ profiles: both }, integration, [A])).toThrow(/profile 'corp\/777788889999\/Admin' already exists/);
  });
});

describe('samlStsRegion', () => {
  it("the integration's region, a regional ACS's, the caller's in the same partition, else the partition's own", () => {
    const env = { AWS_REGION: 'eu-west-1' };
    expect(samlStsRegion('us-east-2', { partition: 'aws', url: '' }, env)).toBe('us-east-2');
    expect(samlStsRegion(undefined, { partition: 'aws', region: 'ap-south-1', url: '' }, env)).toBe('ap-south-1');
    expect(samlStsRegion(undefined, { partition: 'aws', url: '' }, env)).toBe('eu-west-1');
    expect(samlStsRegion(undefined, { partition: 'aws-us-gov', url: '' }, env)).toMatch(/^us-gov-/);
  });
});

describe('samlWindowPlan', () => {
  it('a sandboxed window without Node or preload, its own persistent partition, the ACS filter', () => {
    const plan = samlWindowPlan(integration);
    expect(plan.url).toBe('https://idp.example/aws');
    expect(plan.window.show).toBe(true);
    expectLockedDown(plan.window.webPreferences, 'persist:saml-corp');
    expect(plan.requestFilter.urls).toContain('https://signin.aws.amazon.com/saml*');
    expect(plan.requestFilter.urls).toContain('https://*.signin.amazonaws-us-gov.com/saml*');
    expect(plan.revealAfterMs).toBeUndefined();
  });
  it('re-authentication starts hidden, unfocusable, and is shown only after a few seconds without the ACS POST', () => {
    const plan = samlWindowPlan(integration, 'reauthenticate');
    expect(plan.window).toMatchObject({ show: false, focusable: false, skipTaskbar: true });
    expect(plan.revealAfterMs).toBeGreaterThan(0);
    expect(plan.revealAfterMs).toBeLessThanOrEqual(10_000);
  });
  it('one partition per integration; characters a file name cannot hold are escaped', () => {
    expect(samlSessionPartition('a/b')).toBe('persist:saml-a%2Fb');
    expect(samlSessionPartition('a/b')).not.toBe(samlSessionPartition('a-b'));
  });
});
