// The id_token checks Rolecall makes before it keeps a token or sends it to STS, on tokens minted
// here with jose: every accepted algorithm family, each way a token can be wrong, and generated
// garbage and one-character changes (fast-check).
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { checkIdToken, type Jwks } from '../../../src-main/core/oidc/id-token';

const ISSUER = 'https://idp.example.com';
const CLIENT = 'rolecall-desktop';
const NOW = Date.parse('2026-12-02T00:00:00Z');
const t = Math.floor(NOW / 1000);
const good: JWTPayload = { iss: ISSUER, aud: CLIENT, sub: 'alice', iat: t, exp: t + 3600 };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks: Jwks = {
  keys: [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', use: 'sig' },
  ] as Jwks['keys'],
};

const sign = (claims: JWTPayload, o: { alg?: string; kid?: string; key?: Parameters<SignJWT['sign']>[0] } = {}) => {
  const alg = o.alg ?? 'RS256';
  const key = o.key ?? (alg.startsWith('ES') ? ec.privateKey : rsa.privateKey);
  return new SignJWT(claims).setProtectedHeader({ alg, ...(o.kid === '' ? {} : { kid: o.kid ?? (alg.startsWith('ES') ? 'ec-1' : 'rsa-1') }) }).sign(key);
};
const check = (token: string, x: { nonce?: string; now?: number } = {}) => () => checkIdToken(token, jwks, { issuer: ISSUER, clientId: CLIENT, now: x.now ?? NOW, ...(x.nonce ? { nonce: x.nonce } : {}) });
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('checkIdToken', () => {
  it.each(['RS256', 'PS256', 'ES256', 'RS512'])('accepts a good %s token and gives its expiry', async (alg) => {
    const r = check(await sign(good, { alg }))();
    expect(r.expiresAt.toISOString()).toBe('2026-12-02T01:00:00.000Z');
    expect(r.claims.sub).toBe('alice');
  });

  it('accepts an audience list naming the client', async () => {
    expect(check(await sign({ ...good, aud: ['other', CLIENT] }))().claims.sub).toBe('alice');
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['another issuer', () => sign({ ...good, iss: 'https://evil.example' }), /issued by "https:\/\/evil\.example", not by the integration's issuer "https:\/\/idp\.example\.com"$/],
    ['no issuer', () => sign({ ...good, iss: undefined }), /issued by "\(none\)"/],
    ['another audience', () => sign({ ...good, aud: 'someone-else' }), /its audience is "someone-else", not the client id "rolecall-desktop"$/],
    ['expired', () => sign({ ...good, exp: t - 120 }), /it expired at 2026-12-01T23:58:00\.000Z$/],
    ['not yet valid', () => sign({ ...good, nbf: t + 600 }), /not valid yet/],
    ['no sub', () => sign({ ...good, sub: undefined }), /no sub claim$/],
    ['no exp', () => sign({ ...good, exp: undefined }), /no exp claim$/],
    ['unsigned', async () => `${b64({ alg: 'none' })}.${b64(good)}.`, /it is not signed \(alg "none"\)$/],
    ['an empty signature', async () => `${(await sign(good)).split('.').slice(0, 2).join('.')}.`, /it is not signed/],
    ['a MAC (HS256)', () => sign(good, { alg: 'HS256', key: new TextEncoder().encode('x'.repeat(32)) }), /signed with "HS256", not with an issuer's public key/],
    ['a tampered payload', async () => {
      const [h, , s] = (await sign(good)).split('.');
      return `${h}.${b64({ ...good, sub: 'admin' })}.${s}`;
    }, /its signature does not match the issuer's keys \(JWKS\)$/],
    ['a key not in the JWKS', () => sign(good, { key: otherRsa.privateKey }), /its signature does not match/],
    ['an unknown key id', () => sign(good, { kid: 'gone' }), /no single key of the issuer's JWKS fits it \(alg RS256, key id "gone"\)$/],
    ['an EC key claiming RSA', () => sign(good, { alg: 'ES256', kid: 'rsa-1' }), /no single key/],
    ['critical headers', async () => {
      const [, p, s] = (await sign(good)).split('.');
      return `${b64({ alg: 'RS256', kid: 'rsa-1', crit: ['exp'] })}.${p}.${s}`;
    }, /critical header parameters/],
    ['not a JWT', async () => 'not-a-token', /it is not a JWT$/],
    ['JSON that is not a header', async () => `${b64('x')}.${b64(good)}.AAAA`, /it is not a JWT$/],
    ['an encrypted token (JWE)', async () => 'a.b.c.d.e', /encrypted \(JWE\)/],
  ])('refuses %s in one line', async (_what, token, message) => {
    const tok = await token();
    let err: unknown;
    try {
      check(tok)();
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'access-denied', message: expect.stringMatching(/^the identity provider's id_token was refused: /) });
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
    if (tok.length > 20) expect((err as Error).message).not.toContain(tok.split('.')[1]);
  });

  it('allows a minute of clock skew on exp, no more', async () => {
    const token = await sign({ ...good, exp: t - 30 });
    expect(check(token)().claims.sub).toBe('alice');
    expect(check(token, { now: NOW + 45_000 })).toThrow(/expired/);
  });

  it('checks the nonce a PKCE sign-in sent', async () => {
    expect(check(await sign({ ...good, nonce: 'n-1' }), { nonce: 'n-1' })().claims.sub).toBe('alice');
    expect(check(await sign({ ...good, nonce: 'n-2' }), { nonce: 'n-1' })).toThrow(/its nonce is not the one this sign-in sent$/);
    expect(check(await sign(good), { nonce: 'n-1' })).toThrow(/nonce/);
  });

  it('without a kid, takes the one key of the right type, and refuses when several fit', async () => {
    expect(check(await sign(good, { kid: '' }))().claims.sub).toBe('alice');
    const two: Jwks = { keys: [...jwks.keys, { ...(await exportJWK(otherRsa.publicKey)), use: 'sig' } as Jwks['keys'][number]] };
    expect(() => checkIdToken('', two, { issuer: ISSUER, clientId: CLIENT, now: NOW })).toThrow(/not a JWT/);
    const token = await sign(good, { kid: '' });
    expect(() => checkIdToken(token, two, { issuer: ISSUER, clientId: CLIENT, now: NOW })).toThrow(/no single key/);
  });
});

describe('checkIdToken on generated garbage (fast-check)', () => {
  const expectRefusal = (token: string) => {
    let err: unknown;
    try {
      check(token)();
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: 'RolecallError', code: 'access-denied' });
    const message = (err as Error).message;
    expect(message).not.toMatch(/[\n\r]/);
    expect(message.length).toBeLessThan(600);
    return message;
  };

  it('any string, and any three base64url parts of JSON, is refused in one short line, never thrown at', async () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url'));
    const part = fc.oneof(json, fc.string({ maxLength: 40 }), fc.constant(''));
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.tuple(part, part, part).map((p) => p.join('.'))), (t) => void expectRefusal(t)), { numRuns: 500 });
  });

  it('a good token with any one character of its header or payload changed is refused', async () => {
    const token = await sign(good);
    const signedLength = token.lastIndexOf('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: signedLength - 1 }), fc.integer({ min: 1, max: 63 }), (i, shift) => {
        if (token[i] === '.') return;
        const changed = alphabet[(alphabet.indexOf(token[i] ?? 'A') + shift) % 64] ?? 'A';
        expectRefusal(`${token.slice(0, i)}${changed}${token.slice(i + 1)}`);
      }),
      { numRuns: 300 },
    );
  });
});
