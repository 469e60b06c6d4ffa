import { describe, expect, it } from 'vitest';
import { authorizeUrl, codeChallengeOf, createPkce } from '../../../../src-main/core/sso/pkce';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636, appendix B', () => {
    expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a fresh 64-character verifier and state each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = createPkce();
      expect(p.codeVerifier).toMatch(/^[A-Za-z0-9._~-]{64}$/);
      expect(p.codeChallenge).toBe(codeChallengeOf(p.codeVerifier));
      expect(p.state.length).toBeGreaterThanOrEqual(32);
      seen.add(p.codeVerifier).add(p.state);
    }
    expect(seen.size).toBe(100);
  });

  it('builds the authorize URL the way the AWS CLI does (scopes, plural)', () => {
    const pkce = { codeVerifier: 'v', codeChallenge: 'c', state: 's' };
    const url = new URL(authorizeUrl({ oidcEndpoint: 'https://oidc.eu-west-1.amazonaws.com/', clientId: 'id', redirectUri: 'http://127.0.0.1:4242/oauth/callback', pkce, scopes: ['sso:account:access'] }));
    expect(url.origin + url.pathname).toBe('https://oidc.eu-west-1.amazonaws.com/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'id',
      redirect_uri: 'http://127.0.0.1:4242/oauth/callback',
      state: 's',
      code_challenge_method: 'S256',
      scopes: 'sso:account:access',
      code_challenge: 'c',
    });
  });
});
