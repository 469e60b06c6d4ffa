// What Rolecall checks of an id_token before it is stored or sent to STS (OpenID Connect Core
// 3.1.3.7): a JWS (RFC 7515, compact) signed with an asymmetric key of the issuer's JWKS (never
// alg "none" or a MAC), iss the integration's issuer, aud naming its client id, exp ahead, and the
// nonce the sign-in sent. The signature is checked by node:crypto with the JWK as the key (no
// hand-written crypto, and no JOSE package in the core). Each refusal is one line naming the
// problem; the token itself never appears in it.
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { oneLine, quoted } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../errors';
import { getJson } from './http';

/** The JWS algorithms STS accepts for web identity tokens, and how node:crypto checks each. */
const ALGORITHMS: Record<string, { kty: 'RSA' | 'EC'; hash: string; pss?: number; crv?: string }> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: 32 },
  PS384: { kty: 'RSA', hash: 'sha384', pss: 48 },
  PS512: { kty: 'RSA', hash: 'sha512', pss: 64 },
  ES256: { kty: 'EC', hash: 'sha256', crv: 'P-256' },
  ES384: { kty: 'EC', hash: 'sha384', crv: 'P-384' },
  ES512: { kty: 'EC', hash: 'sha512', crv: 'P-521' },
};
/** Clock skew allowed between here and the IdP. */
const SKEW_SECONDS = 60;

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** Sent with the authorization request; absent for the device grant and refreshes. */
  nonce?: string;
  now: number;
}

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  nonce?: string;
  [claim: string]: unknown;
}

export interface CheckedIdToken {
  claims: IdTokenClaims;
  expiresAt: Date;
}

export interface Jwk {
  kty: string;
  kid?: string;
  use?: string;
  alg?: string;
  [k: string]: unknown;
}
export interface Jwks {
  keys: Jwk[];
}

const refuse = (why: string) => new RolecallError(`the identity provider's id_token was refused: ${why}`, 'access-denied', 'nothing was stored; check the integration (rolecall oidc list) and the provider');

const JwksSchema = z.object({ keys: z.array(z.object({ kty: z.string() }).passthrough()).min(1).max(100) });
const Header = z.object({ alg: z.string().optional(), kid: z.string().optional(), crit: z.unknown().optional() }).passthrough();
const Claims = z
  .object({
    iss: z.string().optional(),
    sub: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    exp: z.number().optional(),
    iat: z.number().optional(),
    nbf: z.number().optional(),
    nonce: z.string().optional(),
  })
  .passthrough();

/** The issuer's signing keys (jwks_uri from its discovery document). */
export async function fetchJwks(jwksUri: string): Promise<Jwks> {
  const parsed = JwksSchema.safeParse(await getJson(jwksUri, "the identity provider's keys (jwks_uri)"));
  if (!parsed.success) throw new RolecallError("the identity provider's keys (jwks_uri) are not a JWK Set", 'aws-error');
  return parsed.data as Jwks;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function part<T>(text: string, schema: z.ZodType<T>): T | undefined {
  if (!B64URL.test(text)) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

function keyFor(jwks: Jwks, alg: string, kid: string | undefined): KeyObject | undefined {
  const a = ALGORITHMS[alg];
  const candidates = jwks.keys.filter((k) => k.kty === a?.kty && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === alg) && (kid === undefined || k.kid === kid));
  // Without a kid, only an unambiguous key will do.
  if (candidates.length !== 1) return undefined;
  try {
    const key = createPublicKey({ key: candidates[0] as JsonWebKey, format: 'jwk' });
    if (a?.crv && key.asymmetricKeyDetails?.namedCurve !== { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' }[a.crv]) return undefined;
    return key;
  } catch {
    return undefined;
  }
}

export function checkIdToken(token: string, jwks: Jwks, x: IdTokenExpectations): CheckedIdToken {
  const parts = token.split('.');
  if (parts.length !== 3) throw refuse(parts.length === 5 ? 'it is encrypted (JWE), not a signed JWT' : 'it is not a JWT');
  const [h = '', p = '', s = ''] = parts;
  const header = part(h, Header);
  const claims = part(p, Claims);
  if (!header || !claims || !B64URL.test(s)) throw refuse('it is not a JWT');
  if (!header.alg || header.alg === 'none' || s === '') throw refuse('it is not signed (alg "none")');
  const alg = ALGORITHMS[header.alg];
  if (!alg) throw refuse(`it is signed with ${quoted(header.alg, 16)}, not with an issuer's public key (RS256, PS256, ES256...)`);
  if (header.crit !== undefined) throw refuse('it names critical header parameters Rolecall does not know');
  // Issuer and audience first: a token of another provider should say so, not "bad signature".
  if (claims.iss !== x.issuer) throw refuse(`it was issued by ${quoted(claims.iss ?? '(none)', 120)}, not by the integration's issuer ${quoted(x.issuer, 120)}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud !== undefined ? [claims.aud] : [];
  if (!audiences.includes(x.clientId)) throw refuse(`its audience is ${audiences.length ? audiences.map((a) => quoted(a, 64)).join(', ') : '(none)'}, not the client id ${quoted(x.clientId, 64)}`);

  const key = keyFor(jwks, header.alg, header.kid);
  if (!key) throw refuse(`no single key of the issuer's JWKS fits it (alg ${oneLine(header.alg, 16)}, key id ${quoted(header.kid ?? '(none)', 64)})`);
  const signature = Buffer.from(s, 'base64url');
  const signed = Buffer.from(`${h}.${p}`, 'ascii');
  const good = alg.pss
    ? verify(alg.hash, signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.pss }, signature)
    : verify(alg.hash, signed, alg.kty === 'EC' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
  if (!good) throw refuse("its signature does not match the issuer's keys (JWKS)");

  const now = x.now / 1000;
  if (typeof claims.exp !== 'number') throw refuse('it has no exp claim');
  if (claims.exp <= now - SKEW_SECONDS) throw refuse(`it expired at ${new Date(claims.exp * 1000).toISOString()}`);
  if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_SECONDS) throw refuse('it is not valid yet (nbf is in the future)');
  if (typeof claims.iat !== 'number') throw refuse('it has no iat claim');
  if (!claims.sub) throw refuse('it has no sub claim');
  if (x.nonce !== undefined && claims.nonce !== x.nonce) throw refuse('its nonce is not the one this sign-in sent');
  return { claims: claims as IdTokenClaims, expiresAt: new Date(claims.exp * 1000) };
}
