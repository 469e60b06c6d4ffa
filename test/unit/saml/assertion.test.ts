// Reading an IdP's SAMLResponse: roles in either order and in several values, the session
// attributes, the partition of its ACS URL; and every bad input refused in one line naming the
// problem (signatures are STS's to verify: see test/integration/saml for tampered ones).
import { describe, expect, it } from 'vitest';
import { MAX_SAML_RESPONSE_CHARS, readSamlResponse, rolePairs } from '../../../src-main/core/saml/assertion';
import { buildSamlResponse } from '../../sandbox/idp-signing';

const ROLE = 'arn:aws:iam::777788889999:role/SamlAdmin';
const OTHER = 'arn:aws:iam::444455556666:role/path/Viewer';
const IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';
const now = new Date();
const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

function refusal(samlResponse: string, at = now): string {
  try {
    readSamlResponse(samlResponse, at);
  } catch (e) {
    const err = e as Error & { code?: string };
    expect(err.code).toBe('invalid-input');
    expect(err.message).not.toContain('\n');
    return err.message;
  }
  throw new Error('accepted');
}

describe('readSamlResponse', () => {
  it('reads role pairs in either order and across values, RoleSessionName, SessionDuration, NotOnOrAfter and the ACS', () => {
    const r = readSamlResponse(
      buildSamlResponse({ roles: [`${ROLE},${IDP}`, `${IDP}, ${OTHER}`, 'junk', `${ROLE},${IDP}`], roleSessionName: 'alice', sessionDuration: 7200, issueInstant: now, validSeconds: 300 }),
      now,
    );
    expect(r.encrypted).toBe(false);
    expect(r.roles).toEqual([
      { roleArn: ROLE, principalArn: IDP },
      { roleArn: OTHER, principalArn: IDP },
    ]);
    expect(r.roleSessionName).toBe('alice');
    expect(r.sessionDuration).toBe(7200);
    expect(r.notOnOrAfter?.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000 + 300_000 + (now.getTime() % 1000));
    expect(r.acs).toEqual({ partition: 'aws', url: 'https://signin.aws.amazon.com/saml' });
  });

  it('takes the partition from a regional or another partition\'s ACS URL, and line-wrapped base64', () => {
    const gov = 'https://us-gov-west-1.signin.amazonaws-us-gov.com/saml';
    const r = readSamlResponse(buildSamlResponse({ roles: [`arn:aws-us-gov:iam::777788889999:role/A,arn:aws-us-gov:iam::777788889999:saml-provider/x`], recipient: gov, audience: 'urn:amazon:webservices:govcloud' }).replace(/(.{76})/g, '$1\r\n'), now);
    expect(r.acs).toEqual({ partition: 'aws-us-gov', region: 'us-gov-west-1', url: gov });
  });

  it('reports an encrypted assertion as such (only AWS can read it)', () => {
    const xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" Destination="https://signin.aws.amazon.com/saml">` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      `<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion></samlp:Response>`;
    expect(readSamlResponse(b64(xml), now)).toMatchObject({ encrypted: true, roles: [], acs: { partition: 'aws' } });
  });

  it.each([
    ['unsigned', () => buildSamlResponse({ roles: [`${ROLE},${IDP}`], sign: 'none' }), /is not signed/],
    ['expired', () => buildSamlResponse({ roles: [`${ROLE},${IDP}`], issueInstant: new Date(now.getTime() - 600_000) }), /expired at /],
    ['for another Recipient', () => buildSamlResponse({ roles: [`${ROLE},${IDP}`], recipient: 'https://sp.example/acs' }), /addressed to https:\/\/sp\.example\/acs/],
    ['for another Audience', () => buildSamlResponse({ roles: [`${ROLE},${IDP}`], audience: 'https://sp.example' }), /meant for another service \(its Audience is https:\/\/sp\.example\)/],
    ['role-less', () => buildSamlResponse({ roles: [] }), /grants no AWS role/],
    ['with only malformed roles', () => buildSamlResponse({ roles: ['arn:aws:iam::1:role/x,nope'] }), /grants no AWS role/],
    ['with a bad SessionDuration', () => buildSamlResponse({ roles: [`${ROLE},${IDP}`], sessionDuration: 60 }), /SessionDuration/],
    ['not base64', () => 'PHNhbWxw!!!', /is not base64/],
    ['cut short base64', () => 'PHNhbWx', /is not base64/],
    ['not XML', () => b64('<samlp:Response><unclosed>'), /is not well-formed XML/],
    ['not a SAML Response', () => b64('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'), /is not a SAML 2\.0 Response/],
    ['a failed sign-in', () => b64('<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol"><p:Status><p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"/></p:Status></p:Response>'), /reports a failed sign-in/],
    [
      'an XML bomb',
      () => b64(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>`),
      /declares a DTD/,
    ],
    ['an external entity', () => b64(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`), /declares a DTD/],
    ['oversized', () => 'A'.repeat(MAX_SAML_RESPONSE_CHARS + 4), /more than the 100000 AWS STS accepts/],
  ])('refuses one %s', (_what, make, message) => {
    expect(refusal(make())).toMatch(message);
  });

  it('never quotes more than a bounded, escaped piece of what the IdP wrote', () => {
    const message = refusal(buildSamlResponse({ roles: [`${ROLE},${IDP}`], recipient: `https://sp.example/${'x'.repeat(5000)}\u001b[31m` }));
    expect(message.length).toBeLessThan(400);
    expect(message).not.toContain('\u001b');
  });
});

describe('rolePairs', () => {
  it('needs exactly a role ARN and a SAML provider ARN per value', () => {
    expect(rolePairs([`${ROLE},${IDP},${OTHER}`, `${ROLE},${OTHER}`, `${IDP},${IDP}`, ` ${IDP} , ${ROLE} `])).toEqual([{ roleArn: ROLE, principalArn: IDP }]);
  });
});
