// The plain parts of the OIDC sign-in: which issuer URLs are taken, the authorize URL, and the
// profiles an integration brings.
import { describe, expect, it } from 'vitest';
import { checkIdpUrl, discoveryUrl } from '../../../src-main/core/oidc/discovery';
import { parseOidcIntegration, profilesFor } from '../../../src-main/core/oidc/integrations';
import { sessionNameOf } from '../../../src-main/core/oidc/manager';
import { authorizeUrl } from '../../../src-main/core/oidc/pkce-flow';

describe('issuer URLs', () => {
  it.each(['https://idp.example.com', 'https://login.example.com/tenant/v2.0', 'http://127.0.0.1:4566/oidc', 'http://localhost:8080'])('takes %s', (url) => {
    expect(checkIdpUrl(url, 'the issuer').href).toBeTruthy();
  });
  it.each([
    ['http://idp.example.com', /must be an https:\/\/ URL/],
    ['http://127.0.0.2/oidc', /must be an https:\/\/ URL/],
    ['ftp://idp.example.com', /must be an https:\/\/ URL/],
    ['https://idp.example.com/?tenant=x', /may not carry a query or fragment/],
    ['not a url', /is not a URL/],
  ])('refuses %s', (url, message) => {
    expect(() => checkIdpUrl(url, 'the issuer')).toThrow(message);
  });
  it('finds discovery under the issuer, with or without a trailing slash', () => {
    expect(discoveryUrl('https://idp.example.com/')).toBe('https://idp.example.com/.well-known/openid-configuration');
    expect(discoveryUrl('https://login.example.com/t/v2.0')).toBe('https://login.example.com/t/v2.0/.well-known/openid-configuration');
  });
});

describe('authorizeUrl', () => {
  const q = { clientId: 'c', redirectUri: 'http://127.0.0.1:5000/oauth/callback', state: 's', nonce: 'n', codeChallenge: 'ch' };
  it('is the standard code + S256 request with `scope`, and asks for consent when offline_access is wanted (OIDC Core 11)', () => {
    const u = new URL(authorizeUrl('https://idp.example.com/authorize?tenant=x', { ...q, scopes: ['openid', 'offline_access'] }));
    expect(Object.fromEntries(u.searchParams)).toEqual({
      tenant: 'x',
      response_type: 'code',
      client_id: 'c',
      redirect_uri: 'http://127.0.0.1:5000/oauth/callback',
      scope: 'openid offline_access',
      state: 's',
      nonce: 'n',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
  });
  it('does not force consent without offline_access', () => {
    expect(new URL(authorizeUrl('https://idp.example.com/authorize', { ...q, scopes: ['openid'] })).searchParams.has('prompt')).toBe(false);
  });
});

describe('an integration and its profiles', () => {
  const base = { name: 'corp', issuer: 'https://idp.example.com', clientId: 'c', scopes: ['openid'] };
  it('makes NAME/RoleName profiles, with the account when two roles share a name', () => {
    const i = parseOidcIntegration({ ...base, region: 'eu-west-1', roleArns: ['arn:aws:iam::111111111111:role/Dev', 'arn:aws:iam::222222222222:role/Dev', 'arn:aws:iam::111111111111:role/team/Ops'] });
    expect(profilesFor(i).map((p) => [p.name, p.roleArn, p.region])).toEqual([
      ['corp/Dev-111111111111', 'arn:aws:iam::111111111111:role/Dev', 'eu-west-1'],
      ['corp/Dev-222222222222', 'arn:aws:iam::222222222222:role/Dev', 'eu-west-1'],
      ['corp/Ops', 'arn:aws:iam::111111111111:role/team/Ops', 'eu-west-1'],
    ]);
  });
  it('drops a role ARN given twice', () => {
    expect(parseOidcIntegration({ ...base, roleArns: ['arn:aws:iam::111111111111:role/Dev', 'arn:aws:iam::111111111111:role/Dev'] }).roleArns).toHaveLength(1);
  });
  it.each([
    [{ scopes: ['email'] }, /the scopes must include openid/],
    [{ scopes: ['open id'] }, /a scope is printable ASCII/],
    [{ roleArns: [] }, /roleArns/],
    [{ issuer: 'http://idp.example.com' }, /must be an https:\/\/ URL/],
  ])('refuses %j', (change, message) => {
    expect(() => parseOidcIntegration({ ...base, roleArns: ['arn:aws:iam::111111111111:role/Dev'], ...change })).toThrow(message);
  });
});

describe('sessionNameOf', () => {
  it.each<[Record<string, unknown>, string | undefined]>([
    [{ email: 'alice@acme.example', sub: '00u1' }, 'alice@acme.example'],
    [{ preferred_username: 'Alice Smith', sub: '00u1' }, 'Alice-Smith'],
    [{ sub: 'repo:acme/app:ref:refs/heads/main' }, 'repo-acme-app-ref-refs-heads-main'],
    [{ sub: 'x'.repeat(100) }, 'x'.repeat(64)],
    [{ email: 'é', sub: 'a' }, undefined],
    [{}, undefined],
  ])('%j -> %s (a RoleSessionName AWS takes)', (claims, name) => {
    expect(sessionNameOf(claims)).toBe(name);
    if (name) expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
