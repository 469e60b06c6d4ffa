// The STS query protocol (2011-06-15) on the wire: reading the form parameters, writing the
// XML results and errors exactly as AWS shapes them (namespace, ResponseMetadata/RequestId,
// x-amzn-RequestId header, <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>).
import type { RequestContext } from '../service';
import { send } from '../service';
import type { CredentialRecord, SandboxState } from '../state';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

/** An error STS answers with; status and code as botocore's model and AWS's common errors give them. */
export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** One STS request, parsed: what an operation handler gets. */
export interface StsCall {
  ctx: RequestContext;
  state: SandboxState;
  params: URLSearchParams;
  /** The verified SigV4 caller; undefined for the unsigned operations. */
  caller?: CredentialRecord;
}

export const accessDenied = (message: string) => new StsError('AccessDenied', message, 403);
export const validationError = (message: string) => new StsError('ValidationError', message, 400);
export const invalidIdentityToken = (message: string) => new StsError('InvalidIdentityToken', message, 400);
export const expiredTokenException = (message: string) => new StsError('ExpiredTokenException', message, 400);
export const idpRejectedClaim = (message: string) => new StsError('IDPRejectedClaim', message, 403);

/** The request's parameters: the query string and the form body together, as AWS reads them. */
export function readParams(ctx: RequestContext): URLSearchParams {
  const params = new URLSearchParams(ctx.url.search);
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (ctx.body.length > 0 && (type === '' || type.startsWith('application/x-www-form-urlencoded'))) {
    for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) params.append(k, v);
  }
  return params;
}

/** `Prefix.member.N[.Field]` lists, in order of N; each entry maps the field (`Key`, `arn`; '' for plain lists) to its value. */
export function readMemberList(params: URLSearchParams, prefix: string): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  const re = new RegExp(`^${prefix}\\.member\\.(\\d+)(?:\\.(.+))?$`);
  for (const [k, v] of params) {
    const m = re.exec(k);
    if (!m) continue;
    const n = Number(m[1]);
    const entry = out.get(n) ?? new Map<string, string>();
    entry.set(m[2] ?? '', v);
    out.set(n, entry);
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

/** An XML element tree: object keys become child elements in insertion order; undefined is left out. */
export type XmlTree = { [name: string]: XmlTree | string | number | undefined };

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

function render(name: string, value: XmlTree | string | number, indent: string): string {
  if (typeof value !== 'object') return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
  const children = Object.entries(value)
    .filter((e): e is [string, XmlTree | string | number] => e[1] !== undefined)
    .map(([k, v]) => render(k, v, `${indent}  `))
    .join('');
  return `${indent}<${name}>\n${children}${indent}</${name}>\n`;
}

/** AWS writes timestamps in ISO 8601 without milliseconds. */
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function headers(ctx: RequestContext): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-RequestId': ctx.requestId, date: new Date().toUTCString() };
}

export function sendResult(ctx: RequestContext, action: string, result: XmlTree): void {
  const body =
    `<${action}Response xmlns="${STS_NAMESPACE}">\n` +
    render(`${action}Result`, result, '  ') +
    render('ResponseMetadata', { RequestId: ctx.requestId }, '  ') +
    `</${action}Response>\n`;
  send(ctx.res, 200, body, headers(ctx));
}

export function sendError(ctx: RequestContext, err: StsError): void {
  const body =
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
    render('Error', { Type: err.type, Code: err.code, Message: err.message }, '  ') +
    `  <RequestId>${ctx.requestId}</RequestId>\n` +
    `</ErrorResponse>\n`;
  send(ctx.res, err.status, body, headers(ctx));
}
