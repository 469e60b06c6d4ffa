// Reads what Rolecall needs from an IdP's SAMLResponse, with a real XML parser (@xmldom/xmldom,
// by namespace, never text matching): the Role attribute's role/provider pairs, RoleSessionName,
// SessionDuration, NotOnOrAfter, Destination/Recipient (which pick the partition), Audience.
// The signature is STS's to verify (only AWS holds the provider's certificate); this refuses
// early, in one line, what STS would refuse anyway: no signature, expired, meant for someone
// else, no roles. A DTD is refused outright (entity expansion has no place in a SAML response),
// and sizes are capped at STS's own limit.
import { DOMParser, type Element, type Node as XmlNode } from '@xmldom/xmldom';
import { RoleArn } from '../../../src-shared/names';
import { oneLine } from '../../../src-shared/untrusted-text';
import { SamlProviderArn } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { acsTarget, type AcsTarget } from './acs';

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const AWS_SAML_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/';
/** The audiences AWS documents for its SAML service provider besides the ACS URLs themselves. */
const AWS_AUDIENCES = ['urn:amazon:webservices', 'urn:amazon:webservices:govcloud', 'urn:amazon:webservices:cn'];

/** STS's SAMLAssertion limit (AssumeRoleWithSAML: 4-100000 characters). */
export const MAX_SAML_RESPONSE_CHARS = 100_000;

export interface SamlRolePair {
  roleArn: string;
  /** The IAM SAML provider (PrincipalArn). */
  principalArn: string;
}

export interface SamlResponseInfo {
  /** The base64 SAMLResponse, whitespace removed: what AssumeRoleWithSAML is sent. */
  samlResponse: string;
  /** An EncryptedAssertion: only AWS can read it, so roles and times are unknown here. */
  encrypted: boolean;
  roles: SamlRolePair[];
  roleSessionName?: string;
  /** The SessionDuration attribute, seconds. */
  sessionDuration?: number;
  /** The earliest NotOnOrAfter of the subject confirmation and the conditions: after it, STS refuses the assertion. */
  notOnOrAfter?: Date;
  /** Where the IdP addressed it (Response Destination, else SubjectConfirmationData Recipient). */
  acs?: AcsTarget & { url: string };
}

const refused = (why: string, hint?: string) => new RolecallError(`the SAML response ${why}`, 'invalid-input', hint);

function decode(samlResponse: string): { compact: string; xml: string } {
  const compact = samlResponse.replace(/[\r\n\t ]+/g, '');
  if (compact.length > MAX_SAML_RESPONSE_CHARS) refusedThrow(`is ${compact.length} characters long: more than the ${MAX_SAML_RESPONSE_CHARS} AWS STS accepts`);
  if (compact.length < 4 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    refusedThrow('is not base64 (expected the SAMLResponse form field as the IdP posted it)');
  }
  const bytes = Buffer.from(compact, 'base64');
  const xml = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return { compact, xml };
}

function refusedThrow(why: string): never {
  throw refused(why);
}

function parseXml(xml: string): Element {
  const errors: string[] = [];
  let doc: ReturnType<DOMParser['parseFromString']>;
  try {
    doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(xml, 'text/xml');
  } catch {
    // xmldom throws on a fatal error whatever onError does.
    refusedThrow('is not well-formed XML');
  }
  // A DTD is refused whatever it declares: entity definitions are how XML bombs and external-entity reads get in.
  if (Array.from(doc.childNodes as ArrayLike<XmlNode>).some((n) => n.nodeType === 10)) refusedThrow('declares a DTD (<!DOCTYPE>): refused, as entity definitions have no place in a SAML response');
  if (errors.length || !doc.documentElement) refusedThrow('is not well-formed XML');
  return doc.documentElement;
}

const elements = (el: Element | undefined, ns: string, name: string): Element[] =>
  el ? Array.from(el.childNodes as ArrayLike<XmlNode>).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) : [];
const first = (el: Element | undefined, ns: string, name: string): Element | undefined => elements(el, ns, name)[0];
const text = (el: Element) => (el.textContent ?? '').trim();
const attr = (el: Element | undefined, name: string): string | undefined => el?.getAttribute(name) || undefined;

function instant(value: string | undefined, what: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) refusedThrow(`has an unreadable ${what}`);
  return d;
}

/** "roleArn,principalArn" in either order; a value that is not such a pair is skipped. */
export function rolePairs(values: string[]): SamlRolePair[] {
  const out: SamlRolePair[] = [];
  for (const v of values) {
    const parts = v.split(',').map((s) => s.trim());
    if (parts.length !== 2) continue;
    const roleArn = parts.find((p) => RoleArn.safeParse(p).success);
    const principalArn = parts.find((p) => SamlProviderArn.safeParse(p).success);
    if (roleArn && principalArn && !out.some((o) => o.roleArn === roleArn && o.principalArn === principalArn)) out.push({ roleArn, principalArn });
  }
  return out;
}

/**
 * Reads a SAMLResponse (base64) at `now`; throws a one-line RolecallError ('invalid-input') for
 * one AWS would refuse or that is not a SAML response at all.
 */
export function readSamlResponse(samlResponse: string, now: Date): SamlResponseInfo {
  const { compact, xml } = decode(samlResponse);
  const response = parseXml(xml);
  if (response.namespaceURI !== PROTOCOL_NS || response.localName !== 'Response') refusedThrow('is not a SAML 2.0 Response');
  const status = attr(first(first(response, PROTOCOL_NS, 'Status'), PROTOCOL_NS, 'StatusCode'), 'Value') ?? 'missing';
  if (!status.endsWith(':Success')) refusedThrow(`reports a failed sign-in (status ${oneLine(status, 100)})`);
  const destination = attr(response, 'Destination');
  const responseSigned = elements(response, DSIG_NS, 'Signature').length > 0;

  if (destination !== undefined && !acsTarget(destination)) refusedThrow(`is addressed to ${oneLine(destination, 200)} (its Destination), not to AWS's SAML sign-in`);
  // An encrypted assertion may carry its signature inside: only AWS can look.
  if (elements(response, ASSERTION_NS, 'EncryptedAssertion').length > 0) {
    return { samlResponse: compact, encrypted: true, roles: [], acs: acsOf(destination) };
  }
  const assertions = elements(response, ASSERTION_NS, 'Assertion');
  if (assertions.length !== 1) refusedThrow(`holds ${assertions.length} assertions; AWS takes exactly one`);
  const assertion = assertions[0] as Element;
  if (!responseSigned && elements(assertion, DSIG_NS, 'Signature').length === 0) refusedThrow('is not signed (neither the Response nor its Assertion has a signature): AWS refuses it');

  const confirmation = first(first(first(assertion, ASSERTION_NS, 'Subject'), ASSERTION_NS, 'SubjectConfirmation'), ASSERTION_NS, 'SubjectConfirmationData');
  const conditions = first(assertion, ASSERTION_NS, 'Conditions');
  const limits = [instant(attr(confirmation, 'NotOnOrAfter'), 'NotOnOrAfter'), instant(attr(conditions, 'NotOnOrAfter'), 'NotOnOrAfter')].filter((d): d is Date => !!d);
  const notOnOrAfter = limits.sort((a, b) => a.getTime() - b.getTime())[0];
  if (notOnOrAfter && notOnOrAfter.getTime() <= now.getTime()) {
    throw refused(`expired at ${notOnOrAfter.toISOString()} (it is now ${now.toISOString()})`, 'sign in again to get a fresh one');
  }
  const notBefore = instant(attr(conditions, 'NotBefore'), 'NotBefore');
  // A few minutes' leeway: the IdP's clock and this one differ.
  if (notBefore && notBefore.getTime() - now.getTime() > 5 * 60_000) refusedThrow(`is not valid before ${notBefore.toISOString()}: check this computer's clock`);

  const recipient = attr(confirmation, 'Recipient');
  if (recipient !== undefined && !acsTarget(recipient)) refusedThrow(`is addressed to ${oneLine(recipient, 200)} (its Recipient), not to AWS's SAML sign-in`);
  const audiences = elements(conditions, ASSERTION_NS, 'AudienceRestriction').flatMap((r) => elements(r, ASSERTION_NS, 'Audience').map(text));
  if (audiences.length && !audiences.some((a) => AWS_AUDIENCES.includes(a) || acsTarget(a))) {
    refusedThrow(`is meant for another service (its Audience is ${oneLine(audiences.join(', '), 200)}), not AWS`);
  }

  const attributes = new Map<string, string[]>();
  for (const statement of elements(assertion, ASSERTION_NS, 'AttributeStatement')) {
    for (const a of elements(statement, ASSERTION_NS, 'Attribute')) {
      const name = a.getAttribute('Name') ?? '';
      attributes.set(name, [...(attributes.get(name) ?? []), ...elements(a, ASSERTION_NS, 'AttributeValue').map(text)]);
    }
  }
  const roles = rolePairs(attributes.get(`${AWS_SAML_ATTRIBUTE}Role`) ?? []);
  if (!roles.length) refusedThrow(`grants no AWS role (no "roleArn,principalArn" value in its ${AWS_SAML_ATTRIBUTE}Role attribute)`);
  const durationText = attributes.get(`${AWS_SAML_ATTRIBUTE}SessionDuration`)?.[0];
  let sessionDuration: number | undefined;
  if (durationText !== undefined) {
    sessionDuration = /^\d{1,6}$/.test(durationText) ? Number(durationText) : NaN;
    if (!(sessionDuration >= 900 && sessionDuration <= 43200)) refusedThrow('has a SessionDuration that is not a number of seconds from 900 to 43200');
  }
  const roleSessionName = attributes.get(`${AWS_SAML_ATTRIBUTE}RoleSessionName`)?.[0];
  return {
    samlResponse: compact,
    encrypted: false,
    roles,
    ...(roleSessionName !== undefined ? { roleSessionName } : {}),
    ...(sessionDuration !== undefined ? { sessionDuration } : {}),
    ...(notOnOrAfter ? { notOnOrAfter } : {}),
    acs: acsOf(destination ?? recipient),
  };
}

function acsOf(url: string | undefined): SamlResponseInfo['acs'] {
  const t = url === undefined ? undefined : acsTarget(url);
  return t && url ? { ...t, url } : undefined;
}
