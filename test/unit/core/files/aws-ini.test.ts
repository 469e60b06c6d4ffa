// Reading the user's AWS config before Rolecall touches it: syntax botocore would refuse is
// reported by line (never quoting the line: it may hold a key), the managed block is found
// exactly or its broken markers reported, and profile names are those the SDK sees.
import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, checkIniSyntax, configProfileNames, findManagedBlock, isSpecialSection } from '../../../../src-main/core/files/aws-ini';

const HINT = 'fix the file (the AWS CLI cannot read it either); Rolecall changed nothing';

describe('checkIniSyntax', () => {
  it.each([
    ['an empty file', ''],
    ['comments and blank lines only', '# a\n; b\n\n   \n'],
    ['sections and settings', '[default]\nregion = eu-west-1\n[profile dev]\nregion=us-east-1\n'],
    ['CRLF line ends', '[default]\r\nregion = eu-west-1\r\n'],
    ['an indented sub-section', '[profile dev]\ns3 =\n  max_concurrent_requests = 20\n'],
    ['a header followed by a comment', '[profile dev] # mine\nregion = x\n'],
    ['a value holding = and []', '[default]\nx = a=b[c]\n'],
    // configparser (botocore) reads an indented line as more of the value above it.
    ['a value continued on an indented line', '[profile dev]\nsso_registration_scopes = sso:account:access,\n  codewhisperer:completions\n'],
  ])('accepts %s', (_what, text) => {
    expect(() => checkIniSyntax(text, 'config')).not.toThrow();
  });

  it.each([
    ['[profile dev\nregion = x\n', 'config line 1: a section header needs a closing "]"'],
    ['[default]\n[]\n', 'config line 2: empty section name "[]"'],
    ['[ ]\n', 'config line 1: empty section name "[]"'],
    ['[__proto__]\n', 'config line 1: "__proto__" is not a usable profile name'],
    ['[profile __proto__]\n', 'config line 1: "__proto__" is not a usable profile name'],
    ['region = x\n[default]\n', 'config line 1: a setting before any [section] header'],
    ['  region = x\n', 'config line 1: a setting before any [section] header'],
    ['# c\n\n[default]\nregion\n', 'config line 4: expected "name = value"'],
    ['[default]\n= x\n', 'config line 2: expected "name = value"'],
    // No name before the first "=", though one comes later: configparser refuses it too.
    ['[default]\n= a = b\n', 'config line 2: expected "name = value"'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => checkIniSyntax(text, 'config')).toThrow(expect.objectContaining({ message, code: 'file', hint: HINT }));
  });

  it('names the line, never its content (it may be a secret key)', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(() => checkIniSyntax(`aws_secret_access_key ${secret}\n`, 'credentials')).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secret) }));
  });
});

describe('findManagedBlock', () => {
  const block = `${BEGIN_MARKER}\n[profile r]\ncredential_process = x\n${END_MARKER}\n`;

  it.each([
    ['no markers', '[default]\n', null],
    ['the whole file', block, { start: 0, end: block.length }],
    ['after the user\'s text', `[default]\n${block}`, { start: 10, end: 10 + block.length }],
    ['before the user\'s text', `${block}[default]\n`, { start: 0, end: block.length }],
    ['an END line without a line break', `${BEGIN_MARKER}\n${END_MARKER}`, { start: 0, end: BEGIN_MARKER.length + 1 + END_MARKER.length }],
    ['markers with surrounding spaces', `  ${BEGIN_MARKER}  \n${END_MARKER}\t\n`, { start: 0, end: BEGIN_MARKER.length + 5 + END_MARKER.length + 2 }],
    ['CRLF', `a\r\n${BEGIN_MARKER}\r\n${END_MARKER}\r\nb`, { start: 3, end: 3 + BEGIN_MARKER.length + 2 + END_MARKER.length + 2 }],
  ])('finds %s', (_what, text, range) => {
    expect(findManagedBlock(text, 'config')).toEqual(range);
  });

  it.each([
    [`${BEGIN_MARKER}\n${BEGIN_MARKER}\n${END_MARKER}\n`, `config: more than one "${BEGIN_MARKER}" line (lines 1, 2)`],
    [`${BEGIN_MARKER}\n${END_MARKER}\n${END_MARKER}\n`, `config: more than one "${END_MARKER}" line (lines 2, 3)`],
    [`x\n${BEGIN_MARKER}\n`, `config: "${BEGIN_MARKER}" on line 2 has no "${END_MARKER}" after it`],
    [`${END_MARKER}\n`, `config: "${END_MARKER}" on line 1 has no "${BEGIN_MARKER}" before it`],
    [`${END_MARKER}\n\n${BEGIN_MARKER}\n`, `config: "${END_MARKER}" (line 1) comes before "${BEGIN_MARKER}" (line 3)`],
  ])('refuses broken markers in %j', (text, message) => {
    expect(() => findManagedBlock(text, 'config')).toThrow(
      expect.objectContaining({ message, code: 'file', hint: `fix or remove the "${BEGIN_MARKER}" / "${END_MARKER}" lines; Rolecall changed nothing` }),
    );
  });

  it('does not take a marker inside a longer line for a marker', () => {
    expect(findManagedBlock(`x ${BEGIN_MARKER}\n${END_MARKER} y\n`, 'config')).toBeNull();
  });
});

describe('configProfileNames', () => {
  it('names profiles as the SDK does, leaving out sso-session and services sections', async () => {
    const text = '[default]\nregion = x\n[profile dev]\nregion = x\n[sso-session acme]\nsso_region = x\n[services s]\nsts =\n  endpoint_url = http://x\n[plain]\nregion = x\n';
    expect([...(await configProfileNames(text))].sort()).toEqual(['default', 'dev']);
  });

  it.each([
    ['sso-session.acme', true],
    ['services.local', true],
    ['default', false],
    ['sso-sessions', false],
    ['dev', false],
  ])('%s is a special section: %s', (key, special) => {
    expect(isSpecialSection(key)).toBe(special);
  });
});
