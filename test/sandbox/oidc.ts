// Verifies an OpenID Connect id_token the way STS does for AssumeRoleWithWebIdentity: the issuer
// must be an OIDC provider registered in the role's account, the signature must check against
// that provider's JWKS, the audience must be one of the provider's client ids, and the token
// must be within its lifetime by the sandbox clock. Messages are the ones AWS answers with.
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { OidcProvider } from './org';

export type WebIdentityRejectionCode = 'InvalidIdentityToken' | 'ExpiredTokenException' | 'IDPRejectedClaim';

export class WebIdentityRejection extends Error {
  constructor(
    readonly code: WebIdentityRejectionCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifiedWebIdentity {
  provider: OidcProvider;
  claims: JWTPayload;
  /** The audience that matched one of the provider's client ids. */
  audience: string;
  subject: string;
}

const withoutScheme = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/+$/, '');

export async function verifyWebIdentityToken(token: string, providers: OidcProvider[], now: Date): Promise<VerifiedWebIdentity> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw new WebIdentityRejection('InvalidIdentityToken', 'The web identity token is not a valid JWT.');
  }
  const iss = typeof unverified.iss === 'string' ? unverified.iss : '';
  const provider = providers.find((p) => withoutScheme(p.url) === withoutScheme(iss));
  if (!provider) throw new WebIdentityRejection('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);

  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createLocalJWKSet(provider.jwks as JSONWebKeySet), {
      currentDate: now,
      algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'],
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) {
      const exp = typeof unverified.exp === 'number' ? unverified.exp : 0;
      // AWS's text, missing space included.
      throw new WebIdentityRejection('ExpiredTokenException', `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time${exp}`);
    }
    if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
      throw new WebIdentityRejection(
        'InvalidIdentityToken',
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
      );
    }
    if (err instanceof errors.JWTClaimValidationFailed && (err.claim === 'nbf' || err.claim === 'iat')) {
      throw new WebIdentityRejection('IDPRejectedClaim', `The web identity token is not yet valid (${err.claim} is in the future).`);
    }
    throw new WebIdentityRejection('InvalidIdentityToken', 'The web identity token signature could not be verified.');
  }
  if (typeof claims.exp !== 'number') throw new WebIdentityRejection('InvalidIdentityToken', 'The web identity token has no exp claim.');
  const audiences = Array.isArray(claims.aud) ? claims.aud : typeof claims.aud === 'string' ? [claims.aud] : [];
  const audience = audiences.find((a) => provider.audiences.includes(a));
  if (audience === undefined) throw new WebIdentityRejection('InvalidIdentityToken', 'Incorrect token audience');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new WebIdentityRejection('InvalidIdentityToken', 'The web identity token has no sub claim.');
  return { provider, claims, audience, subject: claims.sub };
}
