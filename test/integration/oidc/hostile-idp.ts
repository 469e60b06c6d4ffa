// An OpenID Provider that misbehaves on purpose, for the bad-input tests: a real discovery document,
// JWKS and device authorization, but a token endpoint whose id_token is wrong in one chosen way
// (another issuer or audience, expired, unsigned, tampered, or a discovery document naming another
// issuer), no id_token at all (none, not JSON, oversized), or a renewal for another person. Listens on 127.0.0.1 on a port it picks; stop() ends it.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';

export type Fault = 'good' | 'wrong-issuer' | 'wrong-audience' | 'expired' | 'unsigned' | 'tampered' | 'discovery-issuer' | 'unknown-key' | 'oversized' | 'not-json' | 'no-id-token' | 'switch-subject';

export const HOSTILE_CLIENT_ID = 'rolecall-desktop';

export interface HostileIdp {
  issuer: string;
  fault: Fault;
  stop(): Promise<void>;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function idToken(fault: Fault, issuer: string, key: KeyObject, other: KeyObject, refresh: boolean): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: HOSTILE_CLIENT_ID, sub: 'mallory', iat: now, exp: now + 3600 };
  if (fault === 'switch-subject' && refresh) claims.sub = 'eve';
  if (fault === 'wrong-issuer') claims.iss = 'https://idp.elsewhere.example';
  if (fault === 'wrong-audience') claims.aud = 'another-client';
  if (fault === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (fault === 'unsigned') return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  const signed = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(fault === 'unknown-key' ? other : key);
  if (fault !== 'tampered') return signed;
  // The payload says someone else; the signature is the original's.
  const [h, , s] = signed.split('.');
  return `${h}.${b64({ ...claims, sub: 'alice' })}.${s}`;
}

export async function startHostileIdp(fault: Fault): Promise<HostileIdp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      if (path === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: fault === 'discovery-issuer' ? 'https://idp.elsewhere.example' : issuer,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/authorize`,
          device_authorization_endpoint: `${issuer}/device`,
        });
      }
      if (path === '/jwks') return json(200, { keys: [jwk] });
      if (path === '/device') return json(200, { device_code: 'dc', user_code: 'WXYZ-ABCD', verification_uri: `${issuer}/activate`, expires_in: 600, interval: 1 });
      if (path === '/token' && fault === 'oversized') return json(200, { access_token: 'a'.repeat(300 * 1024), token_type: 'Bearer' });
      if (path === '/token' && fault === 'not-json') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>Sign in</html>');
      }
      if (path === '/token' && fault === 'no-id-token') return json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
      if (path === '/token') {
        const refresh = new URLSearchParams(body).get('grant_type') === 'refresh_token';
        void idToken(fault, issuer, privateKey, other, refresh).then((t) => json(200, { access_token: 'at', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt', id_token: t }));
        return;
      }
      json(404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    fault,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
