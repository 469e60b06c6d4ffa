// The RoleSessionName Rolecall picks when a profile names none: who the parent credentials belong
// to, so CloudTrail shows the person, within STS's rules (2-64 characters of [\w+=,.@-]).
import { describe, expect, it } from 'vitest';
import { sanitizeSessionName, sessionNameFromArn } from '../../../../src-main/core/providers/session-name';

describe('sessionNameFromArn', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/alice', 'alice'],
    ['arn:aws:iam::111122223333:user/engineering/platform/alice', 'alice'],
    ['arn:aws:sts::444455556666:assumed-role/Developer/alice', 'alice'],
    ['arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com', 'alice@example.com'],
    ['arn:aws:sts::444455556666:federated-user/bob', 'bob'],
    ['arn:aws-cn:iam::111122223333:user/carol', 'carol'],
    ['arn:aws-us-gov:sts::111122223333:assumed-role/R/dave', 'dave'],
    ['arn:aws:iam::111122223333:root', 'root'],
    // Characters STS refuses become '-'; too short is padded; too long is cut at 64.
    ['arn:aws:iam::111122223333:user/J Doe', 'J-Doe'],
    ['arn:aws:iam::111122223333:user/x', 'rolecall-x'],
    [`arn:aws:iam::111122223333:user/${'a'.repeat(70)}`, 'a'.repeat(64)],
  ])('%s -> %s', (arn, name) => {
    expect(sessionNameFromArn(arn)).toBe(name);
  });

  it.each([[undefined], [''], ['arn:aws:sts::444455556666:assumed-role/Developer'], ['arn:aws:iam::111122223333:user/']])(
    'has no name for %j (the caller falls back to another)',
    (arn) => {
      expect(sessionNameFromArn(arn)).toBeUndefined();
    },
  );
});

describe('sanitizeSessionName', () => {
  it.each([
    ['alice', 'alice'],
    ['a+b=c,d.e@f-g_h', 'a+b=c,d.e@f-g_h'],
    ['José María', 'Jos--Mar-a'],
    ['a/b:c', 'a-b-c'],
    ['', 'rolecall-'],
    ['a', 'rolecall-a'],
    ['ab', 'ab'],
    ['x'.repeat(65), 'x'.repeat(64)],
  ])('%j -> %j', (raw, name) => {
    const s = sanitizeSessionName(raw);
    expect(s).toBe(name);
    expect(s).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
