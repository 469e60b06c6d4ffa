// The organization file that configures the sandbox: accounts, IAM roles and users, Identity
// Center instances, SAML and OIDC providers. Validated on load so a typo fails loudly.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const AccountId = z.string().regex(/^\d{12}$/, 'an account id is 12 digits');

/** An IAM policy document, kept as AWS writes it (Statement may be one object or a list). */
export const PolicyDocument = z.object({
  Version: z.string().optional(),
  Statement: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

export const Role = z.object({
  accountId: AccountId,
  name: z.string().min(1).max(64),
  path: z.string().default('/'),
  maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
  trustPolicy: PolicyDocument,
  permissionPolicy: PolicyDocument.optional(),
});
export type Role = z.infer<typeof Role>;

export const MfaDevice = z.object({
  serialNumber: z.string(), // arn:aws:iam::ACCOUNT:mfa/NAME
  seed: z.string().regex(/^[A-Z2-7]+=*$/, 'a TOTP seed is base32'),
});

export const User = z.object({
  accountId: AccountId,
  name: z.string().min(1).max(64),
  path: z.string().default('/'),
  accessKeys: z.array(z.object({ accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{16}$/), secretAccessKey: z.string().min(40).max(40) })).default([]),
  mfaDevices: z.array(MfaDevice).default([]),
  /** The console password: signs the user in at the sign-in page (/v1/authorize of `aws login`). */
  password: z.string().min(1).optional(),
  /**
   * Whether the user's policies allow signin:AuthorizeOAuth2Access and signin:CreateOAuth2Token
   * (AWS's managed policy SignInLocalDevelopmentAccess); without them CreateOAuth2Token answers
   * INSUFFICIENT_PERMISSIONS.
   */
  signInLocalDevelopmentAccess: z.boolean().default(true),
});
export type User = z.infer<typeof User>;

export const IdentityCenterUser = z.object({
  userName: z.string().min(1),
  password: z.string().min(1),
  assignments: z.array(z.object({ accountId: AccountId, roleName: z.string().min(1) })).default([]),
});

export const IdentityCenter = z.object({
  /** e.g. https://acme.awsapps.com/start */
  startUrl: z.string().url(),
  region: z.string().default('us-east-1'),
  users: z.array(IdentityCenterUser).default([]),
  /** How long an access token lives (AWS: 1 hour by default, up to the session duration). */
  accessTokenSeconds: z.number().int().positive().default(3600),
  /** How long the whole sign-in (and so the refresh token) lives: AWS defaults to 8 hours. */
  sessionSeconds: z.number().int().positive().default(8 * 3600),
  /** Credentials from GetRoleCredentials live this long (the permission set's session duration). */
  roleCredentialSeconds: z.number().int().min(900).max(43200).default(3600),
});
export type IdentityCenter = z.infer<typeof IdentityCenter>;

/** A person of the sandbox's SAML IdP (saml-idp.ts): signs in with a password, gets these roles. */
export const SamlIdpUser = z.object({
  userName: z.string().regex(/^[\w+=,.@-]{2,64}$/, 'a SAML IdP user name is also the RoleSessionName: 2-64 of [\\w+=,.@-]'),
  password: z.string().min(1),
  /** Role names (with path) in the provider's account, or role ARNs: the Role attribute's values. */
  roles: z.array(z.string().min(1)).default([]),
  /** The SessionDuration attribute, seconds; none when absent. */
  sessionDuration: z.number().int().min(900).max(43200).optional(),
});

export const SamlProvider = z.object({
  accountId: AccountId,
  name: z.string().min(1),
  /** The IdP's signing certificate, PEM. */
  certificate: z.string().includes('BEGIN CERTIFICATE'),
  /** The sandbox IdP's people (signed in at /saml-idp/NAME/sso, with the demo key of demo-keys/). */
  users: z.array(SamlIdpUser).default([]),
});
export type SamlProvider = z.infer<typeof SamlProvider>;

export const OidcProvider = z.object({
  accountId: AccountId,
  /** Issuer URL, as in the id_token's iss claim. The provider ARN uses it without the scheme. */
  url: z.string().url(),
  audiences: z.array(z.string()).min(1),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }),
});
export type OidcProvider = z.infer<typeof OidcProvider>;

/** The sandbox's own OIDC IdP (oidc-idp.ts, at SANDBOX_URL/oidc): its public clients and the people who sign in. */
export const OidcIdp = z.object({
  clients: z.array(z.object({ clientId: z.string().min(1), clientName: z.string().optional() })).min(1),
  users: z.array(z.object({ userName: z.string().min(1), password: z.string().min(1), email: z.string().optional() })).min(1),
  idTokenSeconds: z.number().int().positive().default(3600),
  /** How long a refresh token (and the IdP session) lives. */
  refreshTokenSeconds: z.number().int().positive().default(8 * 3600),
});
export type OidcIdp = z.infer<typeof OidcIdp>;

export const Organization = z.object({
  partition: z.enum(['aws', 'aws-us-gov', 'aws-cn']).default('aws'),
  region: z.string().default('us-east-1'),
  accounts: z
    .array(
      z.object({
        id: AccountId,
        name: z.string().min(1),
        email: z.string().default(''),
        /** The root user's password: the root user signs in with the account's email and it. */
        rootPassword: z.string().min(1).optional(),
      }),
    )
    .min(1),
  roles: z.array(Role).default([]),
  users: z.array(User).default([]),
  identityCenter: z.array(IdentityCenter).default([]),
  samlProviders: z.array(SamlProvider).default([]),
  oidcProviders: z.array(OidcProvider).default([]),
  oidcIdentityProvider: OidcIdp.optional(),
});
export type Organization = z.infer<typeof Organization>;
export type OrganizationInput = z.input<typeof Organization>;

export function parseOrganization(input: unknown): Organization {
  const r = Organization.safeParse(input);
  if (!r.success) {
    throw new Error(`invalid organization: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** Reads and checks an organization file; every failure names the file in one line. */
export function loadOrganization(file: string): Organization {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read organization file: ${err instanceof Error ? err.message : String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`organization file ${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseOrganization(json);
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export const roleArn = (org: Organization, r: Role) => `arn:${org.partition}:iam::${r.accountId}:role${r.path}${r.name}`;
export const userArn = (org: Organization, u: User) => `arn:${org.partition}:iam::${u.accountId}:user${u.path}${u.name}`;
export const samlProviderArn = (org: Organization, p: SamlProvider) => `arn:${org.partition}:iam::${p.accountId}:saml-provider/${p.name}`;
export const oidcProviderArn = (org: Organization, p: OidcProvider) =>
  `arn:${org.partition}:iam::${p.accountId}:oidc-provider/${p.url.replace(/^https?:\/\//, '').replace(/\/$/, '')}`;
