// Which hops are role chaining (the parent holds role or GetSessionToken credentials), which AWS
// caps at one hour: Rolecall must ask for at most 3600 s there, or STS refuses the whole chain.
import { describe, expect, it } from 'vitest';
import { CHAINED_SESSION_LIMIT_SECONDS, isRoleChaining } from '../../../../src-main/core/providers/assume-role';
import type { CredentialType, StepResult } from '../../../../src-main/core/providers/types';

const parent = (credentialType: CredentialType): StepResult => ({ accessKeyId: 'AKIAX', secretAccessKey: 's', credentialType });

describe('isRoleChaining', () => {
  it.each<[CredentialType, boolean]>([
    ['iam-user', false], // long-term keys: the role's own MaxSessionDuration applies
    ['session-token', true], // GetSessionToken credentials count as chaining (AWS caps these too)
    ['role', true],
  ])('a parent holding %s credentials: %s', (type, chained) => {
    expect(isRoleChaining(parent(type))).toBe(chained);
  });

  it('caps chained sessions at AWS\'s one hour', () => {
    expect(CHAINED_SESSION_LIMIT_SECONDS).toBe(3600);
  });
});
