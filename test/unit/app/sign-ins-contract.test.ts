// The contract's checks for the window's new inputs: settings, OIDC/SAML add and the pasted
// SAMLResponse, and the one-line messages the forms show for them.
import { describe, expect, it } from 'vitest';
import { OidcAddRequest, RolecallApiContract, SamlResponseText, SettingsEdit } from '../../../src-shared/api';
import { issueOf } from '../../../src-renderer/src/components/sign-in-actions';

const labels = { refreshAheadSeconds: 'Refresh margin', profileNameTemplate: 'Profile name template', roleArns: 'Role ARNs' };
const refusal = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? 'accepted' : issueOf(r.error!, labels));

describe('settings edits', () => {
  it('takes the values the dialog sends, null clearing the optional ones', () => {
    expect(SettingsEdit.parse({ refreshAheadSeconds: 1200, consoleDurationSeconds: null, consoleBrowser: null, profileNameTemplate: '{accountId}-{roleName}', writeAwsConfig: false, launchAtLogin: true })).toEqual({
      refreshAheadSeconds: 1200,
      consoleDurationSeconds: null,
      consoleBrowser: null,
      profileNameTemplate: '{accountId}-{roleName}',
      writeAwsConfig: false,
      launchAtLogin: true,
    });
  });
  it.each([
    [{ refreshAheadSeconds: 5400 }, /^Refresh margin: /],
    [{ refreshAheadSeconds: 30 }, /^Refresh margin: /],
    [{ consoleDurationSeconds: 60 }, /^consoleDurationSeconds: /],
    [{ profileNameTemplate: '{account}/{roleName}' }, /^Profile name template: use only \{accountName\}, \{accountId\}, \{roleName\}, \{ssoSession\}$/],
    [{ profileNameTemplate: '{accountName}' }, /^Profile name template: the template needs \{roleName\}/],
    [{ defaultProfile: 'x' }, /Unrecognized key/],
  ])('refuses %j with a one-line reason', (edit, reason) => {
    expect(refusal(SettingsEdit.safeParse(edit))).toMatch(reason);
  });
  it('is what saveSettings takes', () => {
    expect(RolecallApiContract.saveSettings.args.safeParse([{ launchAtLogin: 'yes' }]).success).toBe(false);
  });
});

describe('OIDC and SAML inputs', () => {
  it('names the list, not the item, of a bad role ARN', () => {
    const r = OidcAddRequest.safeParse({ name: 'okta', issuer: 'https://idp.example', clientId: 'abc', roleArns: ['arn:aws:iam::4444:role/X'] });
    expect(refusal(r)).toMatch(/^Role ARNs: a role ARN looks like/);
    expect(refusal(OidcAddRequest.safeParse({ name: 'okta', issuer: 'https://idp.example', clientId: 'abc', roleArns: [] }))).toBe('Role ARNs: at least one role ARN');
  });
  it('takes a pasted SAMLResponse with line breaks, refuses what is not base64', () => {
    expect(SamlResponseText.parse(' PHNhbWw+\nPC9zYW1sPg==\n')).toBe('PHNhbWw+\nPC9zYW1sPg==');
    expect(refusal(SamlResponseText.safeParse('<samlp:Response>'))).toBe('a SAMLResponse is base64');
    expect(refusal(SamlResponseText.safeParse('   '))).toBe('paste the SAMLResponse');
  });
});
