// Verifies a SAML 2.0 Response the way a service provider must: the XML signature (on the
// Response or on the Assertion) checked with the IdP's certificate only, the assertion read
// from the signed bytes (so wrapped, unsigned copies are ignored), and its time window judged
// by the caller's clock. What the assertion means to AWS is left to the STS operation.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export class SamlRejection extends Error {
  constructor(
    readonly reason: 'invalid' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

export interface SamlAssertion {
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  /** SubjectConfirmationData Recipient: where the IdP meant the assertion to be posted. */
  recipient?: string;
  audiences: string[];
  issueInstant: Date;
  /** AuthnStatement SessionNotOnOrAfter: the IdP's limit on the session. */
  sessionNotOnOrAfter?: Date;
  /** Attribute Name -> values, in document order. */
  attributes: Map<string, string[]>;
}

const invalid = (message: string) => new SamlRejection('invalid', message);

function parse(xml: string): Element {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  }).parseFromString(xml, 'text/xml');
  if (!doc.documentElement) throw new Error('no document element');
  return doc.documentElement;
}

const children = (el: Element, ns: string, name: string): Element[] =>
  Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name);
const child = (el: Element | undefined, ns: string, name: string): Element | undefined => (el ? children(el, ns, name)[0] : undefined);
const text = (el: Element | undefined) => el?.textContent?.trim() ?? '';

function date(value: string | null | undefined, what: string): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(`Invalid ${what}: ${value}`);
  return d;
}

/**
 * The canonical bytes the signature covers, when `signature` (a child of `parent`) is valid
 * for `certificate` and references exactly `parent` by its ID; undefined otherwise.
 */
function verifiedBytes(xml: string, parent: Element, signature: Element, certificate: string): string | undefined {
  // KeyInfo is ignored: only the certificate registered with the provider may vouch.
  const sig = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
  try {
    // xmldom's nodes are what xml-crypto walks at runtime; its types name the DOM's.
    sig.loadSignature(signature as unknown as Node);
    const refs = sig.getReferences();
    const id = parent.getAttribute('ID');
    if (!id || refs.length !== 1 || refs[0]?.uri !== `#${id}`) return undefined;
    if (!sig.checkSignature(xml)) return undefined;
  } catch {
    return undefined;
  }
  return sig.getSignedReferences()[0];
}

export function verifySamlResponse(base64: string, certificate: string, now: Date): SamlAssertion {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw invalid('Invalid SAML response: not base64.');
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  // DTDs have no place in a SAML response and are the door to entity attacks.
  if (/<!DOCTYPE/i.test(xml)) throw invalid('Invalid SAML response: DTDs are not allowed.');
  let response: Element;
  try {
    response = parse(xml);
  } catch (err) {
    throw invalid(`Invalid SAML response: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (response.namespaceURI !== PROTOCOL_NS || response.localName !== 'Response') throw invalid('Invalid SAML response: the document is not a SAML 2.0 Response.');
  const status = child(child(response, PROTOCOL_NS, 'Status'), PROTOCOL_NS, 'StatusCode')?.getAttribute('Value') ?? '';
  if (!status.endsWith(':Success')) throw invalid(`SAML response status is not Success: ${status || 'missing'}`);
  if (children(response, ASSERTION_NS, 'EncryptedAssertion').length > 0) throw invalid('Encrypted assertions are not supported by the sandbox.');
  const assertions = children(response, ASSERTION_NS, 'Assertion');
  if (assertions.length !== 1) throw invalid('SAML response must contain exactly one Assertion.');
  const unsignedAssertion = assertions[0]!;

  // Prefer the assertion's own signature; else the Response's, which covers the assertion too.
  let assertion: Element | undefined;
  const assertionSig = child(unsignedAssertion, DSIG_NS, 'Signature');
  const assertionBytes = assertionSig && verifiedBytes(xml, unsignedAssertion, assertionSig, certificate);
  if (assertionBytes) assertion = parse(assertionBytes);
  else {
    const responseSig = child(response, DSIG_NS, 'Signature');
    const responseBytes = responseSig && verifiedBytes(xml, response, responseSig, certificate);
    if (responseBytes) assertion = children(parse(responseBytes), ASSERTION_NS, 'Assertion')[0];
  }
  if (!assertion) throw invalid('Response signature invalid');

  const subject = child(assertion, ASSERTION_NS, 'Subject');
  const nameIdEl = child(subject, ASSERTION_NS, 'NameID');
  const confirmations = subject ? children(subject, ASSERTION_NS, 'SubjectConfirmation') : [];
  if (confirmations.length !== 1) throw invalid('The assertion must have exactly one SubjectConfirmation.');
  const confirmationData = child(confirmations[0], ASSERTION_NS, 'SubjectConfirmationData');
  const conditions = child(assertion, ASSERTION_NS, 'Conditions');
  const issueInstant = date(assertion.getAttribute('IssueInstant'), 'IssueInstant');
  if (!issueInstant) throw invalid('The assertion has no IssueInstant.');

  const notOnOrAfter = [confirmationData?.getAttribute('NotOnOrAfter'), conditions?.getAttribute('NotOnOrAfter')]
    .map((v) => date(v, 'NotOnOrAfter'))
    .filter((d): d is Date => d !== undefined);
  if (!confirmationData?.getAttribute('NotOnOrAfter')) throw invalid('SubjectConfirmationData must have a NotOnOrAfter attribute.');
  for (const limit of notOnOrAfter) {
    if (now.getTime() >= limit.getTime()) {
      throw new SamlRejection('expired', `The SAML assertion expired at ${limit.toISOString()}; it is now ${now.toISOString()}.`);
    }
  }
  const notBefore = date(conditions?.getAttribute('NotBefore'), 'NotBefore');
  if (notBefore && now.getTime() < notBefore.getTime()) throw invalid(`The SAML assertion is not valid before ${notBefore.toISOString()}.`);

  const attributes = new Map<string, string[]>();
  for (const statement of children(assertion, ASSERTION_NS, 'AttributeStatement')) {
    for (const attr of children(statement, ASSERTION_NS, 'Attribute')) {
      const name = attr.getAttribute('Name') ?? '';
      const values = children(attr, ASSERTION_NS, 'AttributeValue').map(text);
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  const authn = child(assertion, ASSERTION_NS, 'AuthnStatement');
  return {
    issuer: text(child(assertion, ASSERTION_NS, 'Issuer')) || text(child(response, ASSERTION_NS, 'Issuer')),
    nameId: text(nameIdEl),
    nameIdFormat: nameIdEl?.getAttribute('Format') ?? undefined,
    recipient: confirmationData.getAttribute('Recipient') ?? undefined,
    audiences: (conditions ? children(conditions, ASSERTION_NS, 'AudienceRestriction') : []).flatMap((r) => children(r, ASSERTION_NS, 'Audience').map(text)),
    issueInstant,
    sessionNotOnOrAfter: date(authn?.getAttribute('SessionNotOnOrAfter'), 'SessionNotOnOrAfter'),
    attributes,
  };
}
