// DPoP (RFC 9449) proofs as AWS sign-in wants them on every CreateOAuth2Token call: an ES256 JWT
// whose header carries the P-256 public key (typ dpop+jwt) and whose payload names the request
// (htm, htu) with a fresh jti and iat. The key is kept as the AWS CLI keeps it: a SEC1
// "EC PRIVATE KEY" PEM, which also holds the public key.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { RolecallError } from '../errors';

/** A new P-256 key as SEC1 PEM (what the AWS CLI's cache holds in dpopKey). */
export function newDpopKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'sec1' }).toString();
}

function privateKeyOf(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new RolecallError('the DPoP key of this AWS sign-in cannot be read', 'keychain');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new RolecallError('the DPoP key of this AWS sign-in is not a P-256 key', 'keychain');
  }
  return key;
}

/** The public half as a JWK (kty, crv, x, y only). */
export function publicJwk(pem: string): { kty: 'EC'; crv: 'P-256'; x: string; y: string } {
  const jwk = createPublicKey(privateKeyOf(pem)).export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
}

/** A proof for one request: `htu` is scheme://host[:port]/path, without query or fragment. */
export function dpopProof(pem: string, htm: string, url: string, now: number = Date.now()): string {
  const key = privateKeyOf(pem);
  const u = new URL(url);
  const header = { alg: 'ES256', typ: 'dpop+jwt', jwk: publicJwk(pem) };
  const payload = { jti: randomUUID(), htm, htu: `${u.protocol}//${u.host}${u.pathname}`, iat: Math.floor(now / 1000) };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  // JWS wants r || s (64 bytes), not the DER that sign() gives by default.
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}
