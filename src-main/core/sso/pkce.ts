// PKCE (RFC 7636) as the AWS CLI does it for IAM Identity Center: a 64-character verifier,
// an S256 challenge, a random state checked on the redirect, and the `scopes` (plural) key.
import { createHash, randomBytes } from 'node:crypto';

const VERIFIER_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

export interface Pkce {
  codeVerifier: string;
  codeChallenge: string;
  state: string;
}

export function codeChallengeOf(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

export function createPkce(): Pkce {
  // 66 characters do not divide 256: rejecting the top bytes keeps every character equally likely.
  let codeVerifier = '';
  while (codeVerifier.length < 64) {
    for (const b of randomBytes(96)) {
      if (b < 256 - (256 % VERIFIER_ALPHABET.length) && codeVerifier.length < 64) codeVerifier += VERIFIER_ALPHABET[b % VERIFIER_ALPHABET.length];
    }
  }
  return { codeVerifier, codeChallenge: codeChallengeOf(codeVerifier), state: randomBytes(24).toString('base64url') };
}

/** The URL a person opens to approve: `{oidc endpoint}/authorize?...`. */
export function authorizeUrl(input: { oidcEndpoint: string; clientId: string; redirectUri: string; pkce: Pkce; scopes: string[] }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    state: input.pkce.state,
    code_challenge_method: 'S256',
    scopes: input.scopes.join(' '),
    code_challenge: input.pkce.codeChallenge,
  });
  return `${input.oidcEndpoint.replace(/\/+$/, '')}/authorize?${q.toString()}`;
}
