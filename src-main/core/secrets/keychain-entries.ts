// The value of every keychain entry Rolecall keeps, as zod schemas; keychain-layout.ts names the
// entries (and reads session entries without zod for the hot path). Readers validate with these:
// an entry of another shape counts as absent.
import { z } from 'zod';
import { CREDENTIAL_TYPES, type SessionEntry } from './keychain-layout';

export * from './keychain-layout';

const dateTime = () => z.string().datetime({ offset: true });

/** `session/...`: a session the broker issued. */
export const CachedSession = z.object({
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
  sessionToken: z.string().optional(),
  expiration: dateTime(),
  refreshAt: dateTime(),
  credentialType: z.enum(CREDENTIAL_TYPES),
  arn: z.string().optional(),
  mfaSerial: z.string().optional(),
});
export type CachedSession = z.infer<typeof CachedSession>;
// The hot path's reader returns SessionEntry: the two types must stay one (a type error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameShape: Same<CachedSession, SessionEntry> = true;

/** `iam-user/<profile>`: an IAM user's long-term access key (the profile holds the rest). */
export const IamUserSecret = z.object({ accessKeyId: z.string().min(16), secretAccessKey: z.string().min(1) });
export type IamUserSecret = z.infer<typeof IamUserSecret>;

/** `sso-token/<instance>`: the access token, the refresh token and the client registration that can redeem it. */
export const TokenRecord = z.object({
  startUrl: z.string(),
  region: z.string(),
  accessToken: z.string().min(1),
  /** ISO 8601. */
  expiresAt: z.string(),
  refreshToken: z.string().optional(),
  clientId: z.string(),
  clientSecret: z.string(),
  /** ISO 8601: after it, the refresh token cannot be redeemed. */
  registrationExpiresAt: z.string(),
  flow: z.enum(['pkce', 'device']),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

/** One SSO OIDC client registration (RegisterClient's answer). */
export const Registration = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Epoch seconds, as AWS gives it. */
  clientSecretExpiresAt: z.number(),
  scopes: z.array(z.string()),
});
export type Registration = z.infer<typeof Registration>;

/** `sso-client/<region>/<start URL hash>`: a registration per sign-in flow. */
export const RegistrationFile = z.object({ pkce: Registration.optional(), device: Registration.optional() });

/** `saml-response/<integration>`: the SAMLResponse a SAML sign-in captured, and what was decided from it then. */
export const SamlResponseSecret = z.object({
  samlResponse: z.string().min(4).max(100_000),
  /** ISO 8601: STS refuses the assertion from then on (its NotOnOrAfter). */
  notOnOrAfter: z.string().datetime({ offset: true }),
  /** DurationSeconds to ask for (the SessionDuration attribute and the integration's setting, applied). */
  durationSeconds: z.number().int().min(900).max(43200),
  /** Where its AssumeRoleWithSAML calls go (its partition's region). */
  region: z.string(),
});
export type SamlResponseSecret = z.infer<typeof SamlResponseSecret>;

/** `oidc-token/<integration>`: an OIDC sign-in's id_token and refresh token, and where the issuer renews and checks them. */
export const OidcTokenRecord = z.object({
  issuer: z.string(),
  clientId: z.string(),
  tokenEndpoint: z.string(),
  jwksUri: z.string(),
  idToken: z.string().min(4).max(20000),
  /** ISO 8601: the id_token's exp. */
  idTokenExpiresAt: dateTime(),
  refreshToken: z.string().optional(),
  flow: z.enum(['pkce', 'device']),
  /** The sign-in's sub: a renewed id_token must name the same person (OpenID Connect Core 12.2). */
  subject: z.string().optional(),
  /** RoleSessionName from the person's email, user name or sub ([\w+=,.@-], 2-64), so CloudTrail names them. */
  sessionName: z.string().optional(),
});
export type OidcTokenRecord = z.infer<typeof OidcTokenRecord>;
