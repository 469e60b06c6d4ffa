// Signs what an identity provider would hand a user: SAML 2.0 Responses for AWS's SAML sign-in
// and OpenID Connect id_tokens, with the sandbox-only demo keys of demo-keys/ (or any key given).
// Tests use it to mint good and bad tokens; the sandbox's own IdPs can use it to answer.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT, type JWTPayload } from 'jose';
import { SignedXml } from 'xml-crypto';

const keyFile = (name: string) => readFileSync(new URL(`./demo-keys/${name}`, import.meta.url), 'utf8');

/** Sandbox-only keys, published on purpose (see demo-keys/README.md). */
export const demoKeys = {
  samlPrivateKey: keyFile('saml-idp.key'),
  samlCertificate: keyFile('saml-idp.crt'),
  oidcPrivateKey: keyFile('oidc-idp.key'),
  /** Must match the kid of the JWK in demo-org.json. */
  oidcKeyId: 'xM1coSwFVWCDG0wO',
  oidcIssuer: 'https://oidc.sandbox.rolecall.test',
};

export const AWS_SAML_ENDPOINT = 'https://signin.aws.amazon.com/saml';
const ATTR = 'https://aws.amazon.com/SAML/Attributes/';

export interface SamlResponseOptions {
  /** "roleArn,principalArn" pairs for the Role attribute. */
  roles: string[];
  roleSessionName?: string;
  sessionDuration?: number;
  sourceIdentity?: string;
  principalTags?: Record<string, string>;
  transitiveTagKeys?: string[];
  issuer?: string;
  nameId?: string;
  nameIdFormat?: string;
  recipient?: string;
  audience?: string;
  /** When the IdP issued it (default now); NotOnOrAfter is this plus `validSeconds` (default 300). */
  issueInstant?: Date;
  validSeconds?: number;
  /** The AuthnStatement's SessionNotOnOrAfter, the IdP's limit on the session; none by default. */
  sessionNotOnOrAfter?: Date;
  /** Which element carries the signature; 'none' leaves it unsigned. */
  sign?: 'assertion' | 'response' | 'none';
  privateKey?: string;
  certificate?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attribute = (name: string, values: string[]) =>
  `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;

/** A SAML Response as an IdP posts it to AWS: base64 of the XML. */
export function buildSamlResponse(o: SamlResponseOptions): string {
  const issued = o.issueInstant ?? new Date();
  const until = new Date(issued.getTime() + (o.validSeconds ?? 300) * 1000).toISOString();
  const issuer = esc(o.issuer ?? 'https://corp-idp.sandbox.rolecall.test/saml');
  const recipient = esc(o.recipient ?? AWS_SAML_ENDPOINT);
  const responseId = `_${randomUUID()}`;
  const assertionId = `_${randomUUID()}`;
  const attributes = [
    attribute(`${ATTR}Role`, o.roles),
    o.roleSessionName !== undefined ? attribute(`${ATTR}RoleSessionName`, [o.roleSessionName]) : '',
    o.sessionDuration !== undefined ? attribute(`${ATTR}SessionDuration`, [String(o.sessionDuration)]) : '',
    o.sourceIdentity !== undefined ? attribute(`${ATTR}SourceIdentity`, [o.sourceIdentity]) : '',
    ...Object.entries(o.principalTags ?? {}).map(([k, v]) => attribute(`${ATTR}PrincipalTag:${k}`, [v])),
    o.transitiveTagKeys ? attribute(`${ATTR}TransitiveTagKeys`, o.transitiveTagKeys) : '',
  ].join('');
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${issued.toISOString()}">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${esc(o.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent')}">${esc(o.nameId ?? 'alice@acme.example')}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${recipient}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${issued.toISOString()}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience ?? AWS_SAML_ENDPOINT)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issued.toISOString()}"${o.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${o.sessionNotOnOrAfter.toISOString()}"` : ''} SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`;
  let xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${responseId}" Version="2.0" IssueInstant="${issued.toISOString()}" Destination="${recipient}">` +
    `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;
  const sign = o.sign ?? 'assertion';
  if (sign !== 'none') {
    const target = sign === 'assertion' ? 'Assertion' : 'Response';
    const sig = new SignedXml({
      privateKey: o.privateKey ?? demoKeys.samlPrivateKey,
      publicCert: o.certificate ?? demoKeys.samlCertificate,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    sig.addReference({
      xpath: `//*[local-name(.)='${target}']`,
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    });
    // The schema puts the Signature right after the signed element's Issuer.
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[local-name(.)='${target}']/*[local-name(.)='Issuer']`, action: 'after' } });
    xml = sig.getSignedXml();
  }
  return Buffer.from(xml, 'utf8').toString('base64');
}

export interface IdTokenOptions {
  /** Seconds from `now` until exp (default 300). */
  expiresInSeconds?: number;
  now?: Date;
  privateKey?: string;
  keyId?: string;
}

/** An RS256 id_token with iss/iat/exp filled in unless `claims` sets them. */
export async function signIdToken(claims: JWTPayload, o: IdTokenOptions = {}): Promise<string> {
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  const key = await importPKCS8(o.privateKey ?? demoKeys.oidcPrivateKey, 'RS256');
  return new SignJWT({ iss: demoKeys.oidcIssuer, iat: now, exp: now + (o.expiresInSeconds ?? 300), ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.keyId ?? demoKeys.oidcKeyId })
    .sign(key);
}
