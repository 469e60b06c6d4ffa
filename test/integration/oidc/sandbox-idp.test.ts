// The sandbox's OIDC IdP is configured as a real one would be, and IAM in the sandbox trusts it the
// way AWS does: discovery names the issuer it is served under, its JWKS is the key registered for
// that issuer, a public client must use PKCE with a loopback redirect, and its id_tokens assume only
// roles that trust this provider (`{{sandbox}}/oidc:aud` the client id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg } from '../../helpers/harness';
import { startSandbox, type Sandbox } from '../../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ org: demoOrg() });
});
afterAll(() => sandbox.close());

const issuer = () => `${sandbox.url}/oidc`;

/** A device-code sign-in of alice by plain form posts (no browser), for a real id_token of the IdP. */
async function aliceIdToken(): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = (pair ?? '').split('=');
      if (k) jar.set(k, v ?? '');
    }
    return res;
  };
  const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const auth = (await (await fetch(`${issuer()}/device/auth`, form({ client_id: 'rolecall-desktop', scope: 'openid' }))).json()) as { device_code: string; verification_uri_complete: string };
  const confirm = await (await go(auth.verification_uri_complete)).text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm)?.[1] ?? '';
  const userCode = /name="user_code" value="([^"]+)"/.exec(confirm)?.[1] ?? '';
  let res = await go(`${issuer()}/device`, form({ xsrf, user_code: userCode, confirm: 'yes' }));
  for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
    const next = new URL(res.headers.get('location') ?? '', sandbox.url).toString();
    res = await go(next);
    if (res.status === 200 && new URL(next).pathname.startsWith('/oidc/interaction/')) {
      const body = await res.text();
      const fields: Record<string, string> = body.includes('id="signin"') ? { username: 'alice', password: 'demo-password', action: 'login' } : { action: 'allow' };
      res = await go(next, form(fields));
    }
  }
  const token = (await (await fetch(`${issuer()}/token`, form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: auth.device_code, client_id: 'rolecall-desktop' }))).json()) as { id_token?: string };
  if (!token.id_token) throw new Error(`no id_token: ${JSON.stringify(token)}`);
  return token.id_token;
}

async function assume(roleArn: string, token: string): Promise<{ status: number; body: string }> {
  const res = await fetch(sandbox.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'alice', WebIdentityToken: token }).toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe('the sandbox OIDC IdP', () => {
  it('is discovered under its own issuer, and serves the key IAM has registered for that issuer', async () => {
    const d = (await (await fetch(`${issuer()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(d).toMatchObject({ issuer: issuer(), device_authorization_endpoint: `${issuer()}/device/auth`, code_challenge_methods_supported: ['S256'], response_types_supported: ['code'] });
    const jwks = (await (await fetch(String(d.jwks_uri))).json()) as { keys: { kid: string; n: string }[] };
    const registered = sandbox.state.org.oidcProviders.find((p) => p.url === issuer());
    expect(registered?.audiences).toEqual(['rolecall-desktop']);
    expect(jwks.keys.map((k) => [k.kid, k.n])).toEqual(registered?.jwks.keys.map((k) => [k.kid, k.n]));
  });

  it('refuses an authorization request without PKCE, and a redirect that is not a loopback one', async () => {
    const base = { response_type: 'code', client_id: 'rolecall-desktop', scope: 'openid', state: 's', nonce: 'n' };
    const noPkce = await fetch(`${issuer()}/auth?${new URLSearchParams({ ...base, redirect_uri: 'http://127.0.0.1:5555/oauth/callback' })}`, { redirect: 'manual' });
    expect(new URL(noPkce.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    const elsewhere = await fetch(`${issuer()}/auth?${new URLSearchParams({ ...base, redirect_uri: 'https://evil.example/cb', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`, { redirect: 'manual' });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('redirect_uri');
  });

  it("its id_token assumes a role trusting it, and not one trusting another provider (AWS's issuer and audience match)", async () => {
    const token = await aliceIdToken();
    const ok = await assume('arn:aws:iam::444455556666:role/FederatedDeveloper', token);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(`<Provider>arn:aws:iam::444455556666:oidc-provider/${new URL(issuer()).host}/oidc</Provider>`);
    expect(ok.body).toContain('<SubjectFromWebIdentityToken>alice</SubjectFromWebIdentityToken>');
    const other = await assume('arn:aws:iam::444455556666:role/CiDeployer', token);
    expect(other.status).toBe(403);
    expect(other.body).toContain('<Code>AccessDenied</Code>');
  });
});
