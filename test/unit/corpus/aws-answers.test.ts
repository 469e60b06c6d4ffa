// Bad-input corpus, what AWS (or something posing as it) answers: an endpoint on 127.0.0.1 that
// replies to the product's own STS, SSO portal and SSO OIDC calls with hostile XML and JSON
// (fields missing or of the wrong type, dates that are not dates, entity bombs, truncation,
// noise), and fromSdkError fed error objects of any shape. The product gets credentials with a
// real expiry or one clean line that never holds the secret key, token or refresh token it sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSdkError } from '../../../src-main/core/aws/errors';
import { getRoleCredentials } from '../../../src-main/core/aws/sso-portal';
import { assumeRole, type StsContext } from '../../../src-main/core/aws/sts';
import { createOidcClient } from '../../../src-main/core/sso/oidc';
import { cleanOutcome, count, expectCleanError, SECRETS } from '../../helpers/corpus';

interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** x-amzn-ErrorType, which the REST-JSON clients read before the body. */
  errorType?: string;
}

// Answers are queued by the property; every request takes the next one (the last repeats).
let answers: Answer[] = [];
let server: Server;
let url: string;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(body);
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      res.writeHead(a.status, { 'content-type': a.contentType, 'x-amzn-requestid': 'corpus', ...(a.errorType ? { 'x-amzn-errortype': a.errorType } : {}) });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Not 5xx and not throttling: those are retried with backoff (the fault tests cover them), and
// would make each case take seconds.
const status = fc.constantFrom(200, 200, 200, 400, 403, 404, 413);
const xmlish = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '&amp;', '&lt;x&gt;', ']]>', '<![CDATA[x]]>', '&ent;', '\u0000'));
const dateish = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2030-01-01T00:00:00Z', 'never', '', '2030-13-45T99:99:99Z', '1e400', '-1'), fc.string({ maxLength: 20 }));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const el = (name: string, v: string | undefined) => (v === undefined ? '' : `<${name}>${v}</${name}>`);

const stsXml = fc.oneof(
  fc
    .record({
      op: fc.constantFrom('AssumeRole', 'GetSessionToken', 'Wrong'),
      akid: opt(fc.oneof(fc.constant('ASIAIOSFODNN7EXAMPLE'), xmlish)),
      secret: opt(fc.oneof(fc.constant('issued/secret'), xmlish)),
      token: opt(fc.oneof(fc.constant('issued-token'), xmlish)),
      expiration: opt(dateish),
      arn: opt(xmlish),
      cut: fc.nat(),
      truncate: fc.boolean(),
    })
    .map((r) => {
      const xml = `<?xml version="1.0"?><${r.op}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${r.op}Result><Credentials>${el('AccessKeyId', r.akid)}${el('SecretAccessKey', r.secret)}${el('SessionToken', r.token)}${el('Expiration', r.expiration)}</Credentials><AssumedRoleUser>${el('Arn', r.arn)}<AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser></${r.op}Result><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></${r.op}Response>`;
      return r.truncate ? xml.slice(0, r.cut % xml.length) : xml;
    }),
  fc.record({ code: fc.oneof(fc.constantFrom('AccessDenied', 'ExpiredToken', 'ValidationError', 'InvalidClientTokenId', 'MalformedPolicyDocument', ''), xmlish), message: xmlish }).map(
    (e) => `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>${el('Code', e.code)}${el('Message', e.message)}</Error><RequestId>x</RequestId></ErrorResponse>`,
  ),
  // Entity expansion (billion laughs) and an external entity: neither may hang, expand or read files.
  fc.constant(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]><AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>&e;</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>`),
  fc.constant(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]><ErrorResponse><Error><Code>AccessDenied</Code><Message>&f;</Message></Error></ErrorResponse>`),
  fc.nat({ max: 20000 }).map((n) => '<a>'.repeat(n) + '</a>'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json(),
);

const jsonAnswer = (shape: fc.Arbitrary<unknown>) =>
  fc.oneof(
    shape.map((v) => JSON.stringify(v)),
    fc.tuple(shape, fc.nat()).map(([v, n]) => {
      const t = JSON.stringify(v);
      return t.slice(0, n % (t.length + 1));
    }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', 'null', '[]', '{"__proto__":{"roleCredentials":{}}}', '<html>502</html>'),
  );

const numberish = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e300, -1, 0, Number.MAX_SAFE_INTEGER * 1000), fc.string({ maxLength: 15 }), fc.constant(null));
const ssoJson = jsonAnswer(
  fc.record(
    {
      roleCredentials: fc.oneof(
        fc.record({ accessKeyId: fc.oneof(fc.constant('ASIAIOSFODNN7EXAMPLE'), fc.anything()), secretAccessKey: fc.oneof(fc.constant('s'), fc.anything()), sessionToken: fc.oneof(fc.constant('t'), fc.anything()), expiration: numberish }, { requiredKeys: [] }),
        fc.anything(),
      ),
      message: fc.string(),
      __type: fc.constantFrom('UnauthorizedException', 'ForbiddenException', 'ResourceNotFoundException', 'InvalidRequestException', 'Nope'),
    },
    { requiredKeys: [] },
  ),
);
const oidcJson = jsonAnswer(
  fc.record(
    {
      accessToken: fc.oneof(fc.constant('new-access'), fc.anything()),
      expiresIn: numberish,
      refreshToken: fc.oneof(fc.constant('new-refresh'), fc.anything()),
      tokenType: fc.constant('Bearer'),
      error: fc.constantFrom('invalid_grant', 'authorization_pending', 'access_denied', 'x'),
      error_description: fc.string(),
    },
    { requiredKeys: [] },
  ),
);

const errorType = fc.constantFrom(undefined, 'InvalidGrantException', 'AccessDeniedException', 'UnauthorizedException', 'Garbage', 'X:http://internal.amazon.com/coral/');

const answerOf = (body: fc.Arbitrary<string>, contentType: string) =>
  fc.record({ status, body, errorType }).map((a) => ({ status: a.status, body: a.body, contentType, ...(a.errorType ? { errorType: a.errorType } : {}) }));

const [PARENT_SECRET, SESSION_TOKEN, REFRESH_TOKEN] = SECRETS;
const ctx = (): StsContext => ({ region: 'us-east-1', env: { AWS_ENDPOINT_URL: url }, deadline: Date.now() + 8_000 });

/** Issued credentials must carry an expiry that is a real time: an Invalid Date breaks every later toISOString. */
function expectRealExpiry(c: { expiration?: Date } | undefined): void {
  if (!c) return;
  expect(c.expiration instanceof Date && !Number.isNaN(c.expiration.getTime()), `expiration ${String(c.expiration)}`).toBe(true);
}

describe('hostile answers to the product\'s own AWS calls', () => {
  it('STS AssumeRole: credentials with a real expiry, or one clean line without the caller\'s secret', async () => {
    await fc.assert(
      fc.asyncProperty(answerOf(stsXml, 'text/xml'), async (a) => {
        count('STS XML answers');
        answers = [a];
        const parent = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: PARENT_SECRET, sessionToken: SESSION_TOKEN };
        const { value } = await cleanOutcome(() => assumeRole(ctx(), parent, { RoleArn: 'arn:aws:iam::123456789012:role/R', RoleSessionName: 'corpus' }));
        expectRealExpiry(value);
      }),
      { numRuns: 120 },
    );
  });

  it('SSO GetRoleCredentials: three non-empty strings and an expiry still to come, or one clean line without the access token', async () => {
    await fc.assert(
      fc.asyncProperty(answerOf(ssoJson, 'application/json'), async (a) => {
        count('SSO portal JSON answers');
        answers = [a];
        const { value } = await cleanOutcome(() => getRoleCredentials({ region: 'us-east-1', accessToken: REFRESH_TOKEN, accountId: '123456789012', roleName: 'R' }, { AWS_ENDPOINT_URL: url }, { deadline: Date.now() + 8_000 }));
        if (!value) return;
        for (const k of ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const) expect(typeof value[k] === 'string' && value[k] !== '', `${k} in ${a.body}`).toBe(true);
        expectRealExpiry(value);
        expect(value.expiration.getTime(), `expiration in ${a.body}`).toBeGreaterThan(Date.now());
      }),
      { numRuns: 120 },
    );
  });

  // One byte of a well-formed answer changed: the SDK's parse error quotes about ten characters
  // around the fault, so a fragment of the secret key just issued must not reach the message.
  it('SSO GetRoleCredentials, one byte of the answer corrupted: no fragment of the issued secret key in any message', async () => {
    const issued = SECRETS[0];
    const body = JSON.stringify({ roleCredentials: { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: issued, sessionToken: 'issued-token', expiration: Date.now() + 3600_000 } });
    const fragments = Array.from({ length: issued.length - 5 }, (_, i) => issued.slice(i, i + 6));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: body.length - 1 }), fc.constantFrom('"', ':', '{', '}', ',', 'x', '\\', '\u0000', ''), async (at, byte) => {
        count('SSO portal answers, one byte corrupted');
        answers = [{ status: 200, contentType: 'application/json', body: body.slice(0, at) + byte + body.slice(at + 1) }];
        const { error } = await cleanOutcome(() => getRoleCredentials({ region: 'us-east-1', accessToken: REFRESH_TOKEN, accountId: '123456789012', roleName: 'R' }, { AWS_ENDPOINT_URL: url }, { deadline: Date.now() + 8_000 }));
        if (!error) return;
        const { message, hint } = error as Error & { hint?: string };
        const shown = `${message} ${hint ?? ''}`;
        expect(fragments.find((f) => shown.includes(f)), shown).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('SSO OIDC CreateToken (refresh): a token, a positive lifetime and a string refresh token, or one clean line without the client secret or refresh token', async () => {
    const oidc = await createOidcClient('us-east-1', { AWS_ENDPOINT_URL: url });
    await fc.assert(
      fc.asyncProperty(answerOf(oidcJson, 'application/json'), async (a) => {
        count('SSO OIDC JSON answers');
        answers = [a];
        const { value } = await cleanOutcome(() => oidc.createToken({ grantType: 'refresh_token', clientId: 'client', clientSecret: PARENT_SECRET, refreshToken: REFRESH_TOKEN }));
        if (!value) return;
        expect(typeof value.accessToken === 'string' && value.accessToken !== '', `accessToken in ${a.body}`).toBe(true);
        expect(Number.isSafeInteger(value.expiresIn) && value.expiresIn > 0, `expiresIn in ${a.body}`).toBe(true);
        expect(value.refreshToken === undefined || (typeof value.refreshToken === 'string' && value.refreshToken !== ''), `refreshToken in ${a.body}`).toBe(true);
      }),
      { numRuns: 120 },
    );
  });
});

describe('fromSdkError over error objects of any shape', () => {
  // What the SDK throws: a named Error with AWS's code and message, $metadata, and often the raw
  // response and the request (which hold the signed headers) attached. Secrets sit in the latter.
  const sdkError = fc
    .record(
      {
        name: fc.oneof(fc.constantFrom('AccessDenied', 'ThrottlingException', 'TimeoutError', 'Error', 'ExpiredToken', 'InvalidGrantException'), fc.string({ maxLength: 30 })),
        Code: opt(fc.oneof(fc.constantFrom('AccessDenied', 'SlowDown', 'RequestLimitExceeded'), fc.string({ maxLength: 30 }))),
        message: fc.oneof(
          fc.constantFrom('', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 'connect ECONNREFUSED 127.0.0.1:1', 'Connection timed out after 3000 ms', 'socket hang up', 'line one\nline two\r\n\tline three'),
          fc.string({ maxLength: 200 }),
        ),
        status: opt(fc.integer({ min: 100, max: 599 })),
        attempts: opt(fc.integer({ min: 0, max: 10 })),
      },
      { requiredKeys: ['name', 'message'] },
    )
    .map((r) => {
      const e = Object.assign(new Error(r.message), {
        name: r.name,
        ...(r.Code ? { Code: r.Code } : {}),
        $metadata: { httpStatusCode: r.status, attempts: r.attempts },
        $response: { headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/${PARENT_SECRET}` }, body: SESSION_TOKEN },
        $fault: 'client',
        Credentials: { SecretAccessKey: PARENT_SECRET, SessionToken: SESSION_TOKEN },
      });
      return e;
    });

  it('an SDK-shaped error becomes one clean line without the secrets attached to it', () => {
    fc.assert(
      fc.property(sdkError, fc.constantFrom('sts:AssumeRole', 'sso:GetRoleCredentials', 'sso-oidc:CreateToken'), (e, op) => {
        count('fromSdkError, SDK-shaped errors');
        expectCleanError(fromSdkError(e, op, { name: 'AWS STS', url: 'https://sts.us-east-1.amazonaws.com' }));
      }),
      { numRuns: 600 },
    );
  });

  // Fields of any type (the SDK's deserializers make strings, but a thrown value can be anything),
  // with line breaks, a lone "\r" and other control characters: still one line as it stands.
  const field = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('Access\nDenied', 'Access\rDenied', '\u001b[2J', 'x'.repeat(10_000)), fc.anything());
  it('anything thrown (strings, null, numbers, bare objects, odd $metadata) still becomes a RolecallError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything().filter((v) => typeof v !== 'object' || v === null), fc.record({ name: field, Code: field, message: field, $metadata: fc.anything() }, { requiredKeys: [] })), (thrown) => {
        count('fromSdkError, anything thrown');
        expectCleanError(fromSdkError(thrown, 'sts:AssumeRole'), { maxLength: 600 });
      }),
      { numRuns: 600 },
    );
  });
});
