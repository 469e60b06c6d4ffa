// What the agent accepts from a connected caller (AgentRequest): each request type with exactly
// its fields, and clear refusals for anything else, checked before the broker sees it.
import { describe, expect, it } from 'vitest';
import { AgentRequest, AwsSettings } from '../../../../src-main/core/agent/protocol';

const refusal = (input: unknown) => {
  const r = AgentRequest.safeParse(input);
  return r.success ? undefined : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('AgentRequest', () => {
  it.each<[unknown, unknown]>([
    [{ type: 'credentials', profile: 'dev/Admin' }, { type: 'credentials', profile: 'dev/Admin' }],
    [
      { type: 'credentials', profile: 'dev', mfaCode: '012345', forceRefresh: true, id: 7, awsSettings: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } },
      { type: 'credentials', profile: 'dev', mfaCode: '012345', forceRefresh: true, id: 7, awsSettings: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } },
    ],
    [{ type: 'sessions', id: 'abc' }, { type: 'sessions', id: 'abc' }],
    [{ type: 'forget', profile: 'dev' }, { type: 'forget', profile: 'dev' }],
    [{ type: 'ping', id: 'x'.repeat(64) }, { type: 'ping', id: 'x'.repeat(64) }],
    [{ type: 'shutdown' }, { type: 'shutdown' }],
    [{ type: 'handover', id: 1 }, { type: 'handover', id: 1 }],
    // Fields a type does not have are dropped, never passed on.
    [{ type: 'ping', profile: 'dev', token: 't' }, { type: 'ping' }],
    [{ type: 'sessions', extra: 1 }, { type: 'sessions' }],
  ])('accepts %j as %j', (input, parsed) => {
    expect(AgentRequest.parse(input)).toEqual(parsed);
  });

  it.each<[string, unknown, string]>([
    ['an unknown type', { type: 'exec' }, "type: Invalid discriminator value. Expected 'credentials' | 'sessions' | 'forget' | 'ping' | 'shutdown' | 'handover'"],
    ['no type', { profile: 'dev' }, 'type: Invalid discriminator value'],
    ['a credentials request without a profile', { type: 'credentials' }, 'profile: Invalid input: expected string, received undefined'],
    ['a profile name with a space', { type: 'credentials', profile: 'a b' }, 'profile: a profile name is'],
    ['a profile name of 129 characters', { type: 'forget', profile: 'a'.repeat(129) }, 'profile: a profile name is'],
    ['an MFA code of 5 digits', { type: 'credentials', profile: 'dev', mfaCode: '12345' }, 'mfaCode: an MFA code is 6 digits'],
    ['an MFA code with letters', { type: 'credentials', profile: 'dev', mfaCode: '12345a' }, 'mfaCode: an MFA code is 6 digits'],
    ['an MFA code of 7 digits', { type: 'credentials', profile: 'dev', mfaCode: '1234567' }, 'mfaCode: an MFA code is 6 digits'],
    ['forceRefresh as a string', { type: 'credentials', profile: 'dev', forceRefresh: 'yes' }, 'forceRefresh: Invalid input: expected boolean'],
    ['an id of 65 characters', { type: 'ping', id: 'x'.repeat(65) }, 'id: Too big: expected string to have <=64 characters'],
    ['a fractional id', { type: 'ping', id: 1.5 }, 'id: Invalid input'],
  ])('refuses %s', (_what, input, message) => {
    expect(refusal(input)?.join('; ')).toContain(message);
  });
});

describe('AwsSettings (the caller\'s own AWS settings)', () => {
  it.each([
    [{}],
    [{ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' }],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:4567' }],
    [Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`AWS_ENDPOINT_URL_S${i}`, 'http://x']))],
  ])('accepts %j', (settings) => {
    expect(AwsSettings.parse(settings)).toEqual(settings);
  });

  it.each<[string, unknown, string]>([
    ['a name Rolecall does not read', { AWS_PROFILE: 'x' }, 'AWS_PROFILE: not a setting Rolecall reads'],
    ['a secret', { AWS_SECRET_ACCESS_KEY: 'x' }, 'AWS_SECRET_ACCESS_KEY: not a setting Rolecall reads'],
    ['a "__proto__" key', JSON.parse('{"__proto__": {"AWS_REGION": "x"}}'), 'only AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are accepted'],
    ['a number value', { AWS_REGION: 1 }, 'AWS_REGION: Invalid input: expected string'],
    ['a value over 2048 characters', { AWS_ENDPOINT_URL: 'h'.repeat(2049) }, 'AWS_ENDPOINT_URL: Too big'],
    ['33 settings', Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`AWS_ENDPOINT_URL_S${i}`, 'http://x'])), 'at most 32 settings'],
    ['an array', ['AWS_REGION'], 'Invalid input: expected record'],
    ['null', null, 'Invalid input: expected record'],
    ['a string', 'AWS_REGION=x', 'Invalid input: expected record'],
    ['a number', 5, 'Invalid input: expected record'],
  ])('refuses %s', (_what, settings, message) => {
    const r = AwsSettings.safeParse(settings);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')).toContain(message);
  });
});
