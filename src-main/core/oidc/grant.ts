// The token endpoint's answer (RFC 6749 5.1, OpenID Connect Core 3.1.3.3) and the three ways
// Rolecall asks it: the device code, the authorization code with its PKCE verifier, and the refresh token.
import { z } from 'zod';
import { RolecallError } from '../errors';
import type { OidcEndpoints } from './discovery';
import { postForm } from './http';

export const GRANT_DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

const TokenAnswer = z.object({
  access_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
  refresh_token: z.string().min(1).max(8192).optional(),
  id_token: z.string().min(1).max(20000).optional(),
});

export interface TokenGrant {
  /** STS takes 4-20000 characters. */
  idToken: string;
  refreshToken?: string;
}

export async function redeem(endpoints: OidcEndpoints, form: Record<string, string>, what: string): Promise<TokenGrant> {
  const parsed = TokenAnswer.safeParse(await postForm(endpoints.tokenEndpoint, form, what));
  if (!parsed.success) throw new RolecallError(`${what}: the identity provider's token answer is not one (${parsed.error.issues[0]?.path.join('.') ?? 'body'})`, 'aws-error');
  if (!parsed.data.id_token) {
    throw new RolecallError(`${what}: the identity provider sent no id_token`, 'aws-error', 'the integration\'s scopes must include openid (rolecall oidc add ... --scope openid)');
  }
  return { idToken: parsed.data.id_token, ...(parsed.data.refresh_token ? { refreshToken: parsed.data.refresh_token } : {}) };
}
