// CreateOAuth2Token's answers as Rolecall reads them, from a canned 127.0.0.1 server: the rest-json
// body and DPoP header sent, refusals as messages that say what to do, outages the broker may
// ride out (5xx, throttling, no answer), and an unreadable 200 never quoted (it may hold keys).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outageReason } from '../../../src-main/core/broker/outage';
import { newDpopKey } from '../../../src-main/core/login/dpop';
import { createOAuth2Token } from '../../../src-main/core/login/token';

let server: Server;
let base: string;
let answer: { status: number; type?: string; body: string; delayMs?: number };
let seen: { headers: IncomingHttpHeaders; body: string; url: string } | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen = { headers: req.headers, body, url: req.url ?? '' };
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.type ? { 'x-amzn-ErrorType': answer.type } : {}) });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

const key = newDpopKey();
const refresh = (deadline?: number) =>
  createOAuth2Token({ baseUrl: base, dpopKey: key, name: 'me', deadline }, { clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'refresh_token', refreshToken: 'rt-1' });
const fails = (p: Promise<unknown>) => p.then(() => expect.fail('expected an error'), (e: Error & { code: string; hint?: string }) => e);
const error = (status: number, type: string, error: string, message = 'AWS says no') => ({ status, type, body: JSON.stringify({ error, message }) });

describe('CreateOAuth2Token', () => {
  it('posts the tokenInput as JSON to /v1/token with a DPoP proof', async () => {
    answer = { status: 200, body: JSON.stringify({ accessToken: { accessKeyId: 'ASIAEXAMPLEEXAMPLE01', secretAccessKey: 's', sessionToken: 't' }, tokenType: 'aws_sigv4', expiresIn: 900, refreshToken: 'rt-2' }) };
    await expect(refresh()).resolves.toMatchObject({ refreshToken: 'rt-2', expiresIn: 900 });
    expect(seen?.url).toBe('/v1/token');
    expect(JSON.parse(seen!.body)).toEqual({ clientId: 'arn:aws:signin:::devtools/same-device', grantType: 'refresh_token', refreshToken: 'rt-1' });
    expect(String(seen?.headers.dpop).split('.')).toHaveLength(3);
  });

  it.each([
    [error(401, 'AccessDeniedException', 'TOKEN_EXPIRED'), "'me': the AWS sign-in ended (a sign-in lasts up to 12 hours): sign in again", 'sign-in-required'],
    [error(403, 'AccessDeniedException', 'USER_CREDENTIALS_CHANGED'), "'me': your password changed since this sign-in: sign in again", 'sign-in-required'],
    [error(403, 'AccessDeniedException', 'INSUFFICIENT_PERMISSIONS'), "'me': your user lacks SignInLocalDevelopmentAccess (signin:CreateOAuth2Token)", 'access-denied'],
    [error(401, 'AccessDeniedException', 'AUTHCODE_EXPIRED'), "'me': the sign-in's authorization code expired before it was used: sign in again", 'sign-in-required'],
    [error(400, 'ValidationException', 'invalid_grant', 'used'), "'me': AWS sign-in no longer accepts this sign-in's refresh token (used): sign in again", 'sign-in-required'],
    [error(400, 'ValidationException', 'INVALID_REQUEST', 'bad\nline'), "'me': AWS sign-in refused signin:CreateOAuth2Token (ValidationException INVALID_REQUEST: bad line)", 'aws-error'],
  ])('a refusal is one clear line and no outage: %j', async (a, message, code) => {
    answer = a;
    const e = await fails(refresh());
    expect({ message: e.message, code: e.code }).toEqual({ message, code });
    expect(outageReason(e)).toBeUndefined();
  });

  it.each([
    [error(500, 'InternalServerException', 'server_error'), 'HTTP 500'],
    [error(429, 'TooManyRequestsError', 'rate_exceeded'), 'throttled: TooManyRequestsError'],
  ])('an endpoint that cannot answer is an outage the broker rides out: %j', async (a, reason) => {
    answer = a;
    expect(outageReason(await fails(refresh()))).toBe(reason);
  });

  it('no answer within the budget is a timeout', async () => {
    answer = { ...error(500, 'InternalServerException', 'server_error'), delayMs: 1500 };
    const e = await fails(refresh(Date.now() + 300));
    expect(e.code).toBe('timeout');
    expect(outageReason(e)).toBe('no answer in time');
  });

  it('an unreadable 200 is reported without quoting the body', async () => {
    answer = { status: 200, body: '{"accessToken":{"accessKeyId":"ASIASECRETSECRET0001","secretAccessKey":"wJalrXUtnFEMI"}' };
    const e = await fails(refresh());
    expect(e.message).toBe('the AWS sign-in endpoint sent a CreateOAuth2Token answer Rolecall could not read');
    expect(JSON.stringify(e)).not.toContain('wJalr');
  });
});
