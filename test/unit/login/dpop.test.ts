// DPoP proofs, the authorize URL and the pasted cross-device code, checked against what the other
// side reads: jose verifies the proofs, and the key is read the way the SDK's login provider reads it.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopProof, newDpopKey, publicJwk } from '../../../src-main/core/login/dpop';
import { loginAuthorizeUrl, parseVerificationCode } from '../../../src-main/core/login/sign-in';
import { RolecallError } from '../../../src-main/core/errors';

describe('DPoP proofs', () => {
  const key = newDpopKey();

  it('are ES256 JWTs of typ dpop+jwt that verify with the public jwk they carry', async () => {
    const proof = dpopProof(key, 'POST', 'https://us-east-1.signin.aws.amazon.com/v1/token?x=1#frag', 1_700_000_000_123);
    const header = decodeProtectedHeader(proof);
    expect(header).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) } });
    const { payload } = await jwtVerify(proof, await importJWK(header.jwk!, 'ES256'), { typ: 'dpop+jwt', algorithms: ['ES256'] });
    // htu without query and fragment (RFC 9449 4.2); iat in seconds.
    expect(payload).toEqual({ jti: expect.stringMatching(/^[0-9a-f-]{36}$/), htm: 'POST', htu: 'https://us-east-1.signin.aws.amazon.com/v1/token', iat: 1_700_000_000 });
  });

  it('carry a fresh jti each time and a port in htu when the endpoint has one', () => {
    const a = JSON.parse(Buffer.from(dpopProof(key, 'POST', 'http://127.0.0.1:4566/v1/token').split('.')[1]!, 'base64url').toString());
    const b = JSON.parse(Buffer.from(dpopProof(key, 'POST', 'http://127.0.0.1:4566/v1/token').split('.')[1]!, 'base64url').toString());
    expect(a.jti).not.toBe(b.jti);
    expect(a.htu).toBe('http://127.0.0.1:4566/v1/token');
  });

  it('fail to verify with another key', async () => {
    const proof = dpopProof(key, 'POST', 'https://signin.example/v1/token');
    await expect(jwtVerify(proof, await importJWK(publicJwk(newDpopKey()), 'ES256'))).rejects.toThrow();
  });

  it('use a key kept as the AWS CLI keeps it: SEC1 PEM, read by the SDK as sec1, with the same public point', () => {
    expect(key).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const sdkKey = createPrivateKey({ key, format: 'pem', type: 'sec1' });
    const der = createPublicKey(sdkKey).export({ format: 'der', type: 'spki' });
    // The SDK's own reading: the point follows the first 0x04 byte of the SPKI DER.
    const at = der.indexOf(0x04);
    expect({ x: der.subarray(at + 1, at + 33).toString('base64url'), y: der.subarray(at + 33, at + 65).toString('base64url') }).toEqual({ x: publicJwk(key).x, y: publicJwk(key).y });
  });

  it('refuse a key that is not P-256 with a message that quotes nothing of it', () => {
    expect(() => dpopProof('-----BEGIN EC PRIVATE KEY-----\nnope\n-----END EC PRIVATE KEY-----\n', 'POST', 'https://x/v1/token')).toThrow(
      new RolecallError('the DPoP key of this AWS sign-in cannot be read', 'keychain'),
    );
  });
});

describe('the authorize URL and the pasted code', () => {
  it('builds the URL as the AWS CLI does, code_challenge last', () => {
    const url = loginAuthorizeUrl('https://eu-west-1.signin.aws.amazon.com/', {
      clientId: 'arn:aws:signin:::devtools/same-device',
      state: '3f1c1a64-1b7e-4a8e-9d6c-2d2b2f5e9a10',
      redirectUri: 'http://127.0.0.1:50123/oauth/callback',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    });
    expect(url).toBe(
      'https://eu-west-1.signin.aws.amazon.com/v1/authorize?response_type=code&client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fsame-device&state=3f1c1a64-1b7e-4a8e-9d6c-2d2b2f5e9a10&code_challenge_method=SHA-256&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%3A50123%2Foauth%2Fcallback&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('reads the base64 "state=..&code=.." the confirmation page shows', () => {
    expect(parseVerificationCode(` ${Buffer.from('state=abc-123&code=xyz%2B9').toString('base64')}\n`)).toEqual({ state: 'abc-123', code: 'xyz+9' });
  });

  it('refuses anything else in one line', () => {
    for (const pasted of ['', 'not base64 at all', Buffer.from('code=only').toString('base64')]) {
      expect(() => parseVerificationCode(pasted)).toThrow(/^the pasted text is not the authorization code the sign-in page showed$/);
    }
  });
});
