// AWS Signature Version 4, checked the way AWS checks it: the Authorization header or a
// presigned query string, the key looked up among the credentials the sandbox knows, the
// session token matched, expiry judged by the sandbox clock, and the signature recomputed.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CredentialRecord, SandboxState } from './state';

export type SigV4Outcome =
  | { kind: 'unsigned' }
  | { kind: 'verified'; credential: CredentialRecord; region: string }
  | { kind: 'rejected'; code: string; message: string; status: number };

export interface SignedRequest {
  req: IncomingMessage;
  body: Buffer;
  state: SandboxState;
}

interface Signature {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  securityToken?: string;
  /** Presigned URLs: how long the signature lives, in seconds. */
  expiresSeconds?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/**
 * The region names of each partition the organization file allows, as the regionRegex of the
 * partitions data in AWS's SDKs (smithy endpoint rules, partitions.json) matches them, plus each
 * partition's global pseudo-region.
 */
const PARTITION_REGIONS: Record<'aws' | 'aws-us-gov' | 'aws-cn', RegExp> = {
  aws: /^(?:(?:us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+|aws-global)$/,
  'aws-us-gov': /^(?:us-gov-\w+-\d+|aws-us-gov-global)$/,
  'aws-cn': /^(?:cn-\w+-\d+|aws-cn-global)$/,
};
/** AWS refuses requests signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const reject = (code: string, message: string, status = 403): SigV4Outcome => ({ kind: 'rejected', code, message, status });
const invalidToken = () => reject('InvalidClientTokenId', 'The security token included in the request is invalid.');
const mismatch = () =>
  reject(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );

export function verifySigV4(r: SignedRequest, service: string): SigV4Outcome {
  const url = new URL(r.req.url ?? '/', 'http://sandbox');
  const parsed = parseAuthorization(r.req) ?? parsePresigned(url);
  if (parsed === undefined) return { kind: 'unsigned' };
  if ('incomplete' in parsed) return reject('IncompleteSignature', parsed.incomplete, 400);
  const sig = parsed;

  // Each partition is its own AWS with its own IAM: keys of one are unknown in another
  // (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html),
  // so a request signed for a region outside the organization's partition names no key it knows.
  if (!PARTITION_REGIONS[r.state.org.partition].test(sig.region)) return invalidToken();
  const credential = r.state.credentials.get(sig.accessKeyId);
  if (!credential) return invalidToken();
  // Temporary keys are only valid with their own session token; long-term keys with none.
  if ((credential.sessionToken ?? '') !== (sig.securityToken ?? '')) return invalidToken();
  if (r.state.isExpired(credential)) return reject('ExpiredToken', 'The security token included in the request is expired');
  if (sig.service !== service) return reject('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);

  const expected = computeSignature(r, url, sig, credential.secretAccessKey);
  if (!expected.some((e) => safeEqual(e, sig.signature))) return mismatch();

  // Skew is judged on the real clock: the sandbox clock moves only to expire credentials, and
  // clients sign with the real one.
  const signedAt = parseAmzDate(sig.amzDate);
  if (signedAt === undefined) return reject('IncompleteSignature', `Invalid X-Amz-Date: ${sig.amzDate}`, 400);
  const now = Date.now();
  const lifetime = sig.expiresSeconds !== undefined ? sig.expiresSeconds * 1000 : MAX_SKEW_MS;
  if (signedAt < now - lifetime) {
    return reject('SignatureDoesNotMatch', `Signature expired: ${sig.amzDate} is now earlier than ${amzDate(now - lifetime)} (${amzDate(now)} - ${lifetime / 60000} min.)`);
  }
  if (signedAt > now + MAX_SKEW_MS) {
    return reject('SignatureDoesNotMatch', `Signature not yet current: ${sig.amzDate} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 15 min.)`);
  }
  return { kind: 'verified', credential, region: sig.region };
}

function parseCredentialScope(value: string): Pick<Signature, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> | undefined {
  const parts = value.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId = '', scopeDate = '', region = '', service = ''] = parts;
  return { accessKeyId, scopeDate, region, service };
}

function parseAuthorization(req: IncomingMessage): Signature | { incomplete: string } | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const fields = new Map<string, string>();
  const [algorithm = '', rest = ''] = header.trim().split(/\s+(.*)/s);
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const amzDate = headerValue(req, 'x-amz-date') ?? headerValue(req, 'date');
  const missing = [
    algorithm !== ALGORITHM ? `Unsupported AWS 'algorithm': '${algorithm}'.` : '',
    fields.has('Credential') ? '' : "Authorization header requires 'Credential' parameter.",
    fields.has('Signature') ? '' : "Authorization header requires 'Signature' parameter.",
    fields.has('SignedHeaders') ? '' : "Authorization header requires 'SignedHeaders' parameter.",
    amzDate ? '' : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  ].filter(Boolean);
  if (missing.length > 0) return { incomplete: `${missing.join(' ')} Authorization=${header}` };
  const scope = parseCredentialScope(fields.get('Credential') ?? '');
  if (!scope) return { incomplete: `Credential should be of the form AKID/date/region/service/aws4_request. Authorization=${header}` };
  return {
    ...scope,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
    amzDate: amzDate ?? '',
    securityToken: headerValue(req, 'x-amz-security-token'),
  };
}

function parsePresigned(url: URL): Signature | { incomplete: string } | undefined {
  const q = url.searchParams;
  if (!q.has('X-Amz-Signature') && !q.has('X-Amz-Credential')) return undefined;
  const scope = parseCredentialScope(q.get('X-Amz-Credential') ?? '');
  if (q.get('X-Amz-Algorithm') !== ALGORITHM || !scope || !q.get('X-Amz-Date') || !q.get('X-Amz-SignedHeaders') || !q.get('X-Amz-Signature')) {
    return { incomplete: 'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Date.' };
  }
  const expires = Number(q.get('X-Amz-Expires') ?? '900');
  return {
    ...scope,
    signedHeaders: (q.get('X-Amz-SignedHeaders') ?? '').split(';'),
    signature: q.get('X-Amz-Signature') ?? '',
    amzDate: q.get('X-Amz-Date') ?? '',
    securityToken: q.get('X-Amz-Security-Token') ?? undefined,
    expiresSeconds: Number.isFinite(expires) ? expires : 900,
  };
}

/** The signatures the request could carry: one per acceptable payload hash. */
function computeSignature(r: SignedRequest, url: URL, sig: Signature, secret: string): string[] {
  const rawQuery = (r.req.url ?? '').split('?')[1] ?? '';
  const presigned = sig.expiresSeconds !== undefined;
  const canonicalQuery = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? '' : p.slice(eq + 1);
      return [encode(decode(k)), encode(decode(v))] as const;
    })
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalUri = url.pathname.split('/').map((s) => encode(s)).join('/') || '/';
  const canonicalHeaders = sig.signedHeaders.map((h) => `${h}:${(headerValue(r.req, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const declared = headerValue(r.req, 'x-amz-content-sha256');
  const payloadHashes = declared ? [declared] : [sha256(r.body), ...(presigned ? ['UNSIGNED-PAYLOAD'] : [])];
  const scope = `${sig.scopeDate}/${sig.region}/${sig.service}/aws4_request`;
  let key = hmac(`AWS4${secret}`, sig.scopeDate);
  for (const part of [sig.region, sig.service, 'aws4_request']) key = hmac(key, part);
  return payloadHashes.map((payloadHash) => {
    const canonicalRequest = [r.req.method ?? 'GET', canonicalUri, canonicalQuery, canonicalHeaders, sig.signedHeaders.join(';'), payloadHash].join('\n');
    const stringToSign = [ALGORITHM, sig.amzDate, scope, sha256(canonicalRequest)].join('\n');
    return createHmac('sha256', key).update(stringToSign).digest('hex');
  });
}

/** A header's values joined by commas, from the raw headers so repeated ones are kept. */
function headerValue(req: IncomingMessage, name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === name) values.push(req.rawHeaders[i + 1] ?? '');
  }
  return values.length > 0 ? values.join(',') : undefined;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** 20240102T030405Z, or an RFC 1123 Date header. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const t = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
