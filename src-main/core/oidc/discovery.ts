// OpenID Connect Discovery 1.0: ISSUER/.well-known/openid-configuration, whose `issuer` must be the
// issuer asked for exactly (section 4.3), or a look-alike could stand in for it. Issuers are https://;
// http:// only on the loopback host (RFC 8252's local servers, the sandbox).
import { z } from 'zod';
import { oneLine, quoted } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../errors';
import { getJson } from './http';

const Endpoint = z.string().url().max(2048);

const Discovery = z.object({
  issuer: z.string(),
  token_endpoint: Endpoint,
  jwks_uri: Endpoint,
  authorization_endpoint: Endpoint.optional(),
  device_authorization_endpoint: Endpoint.optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});

export interface OidcEndpoints {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  authorizationEndpoint?: string;
  deviceAuthorizationEndpoint?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Throws unless the URL is https://, or http:// on this machine's loopback. */
export function checkIdpUrl(url: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RolecallError(`${what} ${quoted(url, 120)} is not a URL`, 'invalid-input');
  }
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    if (u.search || u.hash) throw new RolecallError(`${what} ${quoted(url, 120)} may not carry a query or fragment`, 'invalid-input');
    return u;
  }
  throw new RolecallError(`${what} ${quoted(url, 120)} must be an https:// URL (http:// only on 127.0.0.1)`, 'invalid-input');
}

export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

export async function discover(issuer: string): Promise<OidcEndpoints> {
  checkIdpUrl(issuer, 'the issuer');
  const what = `OpenID Connect discovery for ${oneLine(issuer, 120)}`;
  const parsed = Discovery.safeParse(await getJson(discoveryUrl(issuer), what));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new RolecallError(`${what}: the document is not an OpenID Provider configuration (${i?.path.join('.') || 'document'}: ${i?.message ?? 'invalid'})`, 'aws-error');
  }
  const d = parsed.data;
  if (d.issuer !== issuer) {
    throw new RolecallError(`${what}: the document is for the issuer ${quoted(d.issuer, 120)}, not ${quoted(issuer, 120)}`, 'aws-error', 'give --issuer exactly as the provider names itself (the "issuer" of its discovery document)');
  }
  for (const [k, v] of [['token_endpoint', d.token_endpoint], ['jwks_uri', d.jwks_uri], ['authorization_endpoint', d.authorization_endpoint], ['device_authorization_endpoint', d.device_authorization_endpoint]] as const) {
    if (v !== undefined) checkIdpUrl(v, `the provider's ${k}`);
  }
  return {
    issuer: d.issuer,
    tokenEndpoint: d.token_endpoint,
    jwksUri: d.jwks_uri,
    ...(d.authorization_endpoint ? { authorizationEndpoint: d.authorization_endpoint } : {}),
    ...(d.device_authorization_endpoint ? { deviceAuthorizationEndpoint: d.device_authorization_endpoint } : {}),
  };
}
