// The profile model: one source, then the hop this profile adds (if any). A profile whose kind
// is 'assume-role' names its parent by sourceProfile, so any chain depth is a walk up the parents.
import { z } from 'zod';
import {
  AccessKeyId, AccountId, DurationSeconds, ExternalId, IntegrationName, MfaSerial, ProfileName, Region, RoleArn, RoleSessionName, SourceIdentity,
} from './names';

const Common = {
  name: ProfileName,
  region: Region.optional(),
  alias: z.string().max(128).optional(),
  favorite: z.boolean().optional(),
};

export const Tag = z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) });

export const SsoRoleProfile = z.object({
  ...Common,
  kind: z.literal('sso-role'),
  /** The Identity Center instance (Rolecall's name for it, as an sso-session name). */
  ssoSession: IntegrationName,
  accountId: AccountId,
  accountName: z.string().optional(),
  roleName: z.string().min(1),
  /** Created by `rolecall sync`, so a later sync may prune it. */
  synced: z.boolean().optional(),
});

export const IamUserProfile = z.object({
  ...Common,
  kind: z.literal('iam-user'),
  /** The secret key lives in the keychain, never here. */
  accessKeyId: AccessKeyId,
  /** With an MFA device, the profile's credentials are a GetSessionToken session. */
  mfaSerial: MfaSerial.optional(),
  /** GetSessionToken DurationSeconds (900-129600). */
  sessionDurationSeconds: z.number().int().min(900).max(129600).optional(),
});

export const AssumeRoleProfile = z.object({
  ...Common,
  kind: z.literal('assume-role'),
  sourceProfile: ProfileName,
  roleArn: RoleArn,
  roleSessionName: RoleSessionName.optional(),
  externalId: ExternalId.optional(),
  mfaSerial: MfaSerial.optional(),
  durationSeconds: DurationSeconds.optional(),
  sourceIdentity: SourceIdentity.optional(),
  tags: z.array(Tag).max(50).optional(),
  transitiveTagKeys: z.array(z.string()).max(50).optional(),
  /** Inline session policy (JSON text). */
  policy: z.string().max(2048).optional(),
  policyArns: z.array(z.string()).max(10).optional(),
});

export const WebIdentityProfile = z.object({
  ...Common,
  kind: z.literal('web-identity'),
  roleArn: RoleArn,
  webIdentityTokenFile: z.string().min(1),
  roleSessionName: RoleSessionName.optional(),
  durationSeconds: DurationSeconds.optional(),
});

/** AWS: an IAM SAML identity provider's ARN (the PrincipalArn of AssumeRoleWithSAML). */
export const SamlProviderArn = z
  .string()
  .regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:saml-provider\/[\w.-]{1,128}$/, 'a SAML provider ARN looks like arn:aws:iam::123456789012:saml-provider/Name');

/** A role reached by AssumeRoleWithSAML with an assertion from the SAML integration's sign-in. */
export const SamlRoleProfile = z.object({
  ...Common,
  kind: z.literal('saml-role'),
  /** The SAML integration (SamlIntegration.name) whose sign-in gives the assertion. */
  integration: IntegrationName,
  roleArn: RoleArn,
  principalArn: SamlProviderArn,
});

/** A role reached by AssumeRoleWithWebIdentity with an id_token of the OIDC integration's sign-in (renewed with its refresh token). */
export const OidcRoleProfile = z.object({
  ...Common,
  kind: z.literal('oidc-role'),
  /** The OIDC integration (OidcIntegration.name) whose sign-in gives the id_token. */
  integration: IntegrationName,
  roleArn: RoleArn,
  roleSessionName: RoleSessionName.optional(),
  durationSeconds: DurationSeconds.optional(),
});

/** The login session an `aws login` sign-in names (its idToken's sub): an IAM user, root or assumed-role ARN. */
export const LoginSessionArn = z
  .string()
  .max(2048)
  .regex(/^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:[\x21-\x7e]+$/, 'a login session is an ARN such as arn:aws:iam::123456789012:user/alice');

/** AWS sign-in (`aws login`): 15-minute credentials refreshed with a DPoP-bound refresh token for up to 12 hours. */
export const AwsLoginProfile = z.object({
  ...Common,
  kind: z.literal('aws-login'),
  loginSession: LoginSessionArn,
  /** Also keep the AWS CLI's login cache (~/.aws/login/cache) current; off by default, as both sides rotate the refresh token. */
  writeAwsLoginCache: z.boolean().optional(),
});

export const Profile = z.discriminatedUnion('kind', [SsoRoleProfile, IamUserProfile, AssumeRoleProfile, WebIdentityProfile, SamlRoleProfile, AwsLoginProfile, OidcRoleProfile]);
export type Profile = z.infer<typeof Profile>;
export type ProfileKind = Profile['kind'];
export type AssumeRoleProfile = z.infer<typeof AssumeRoleProfile>;
export type SsoRoleProfile = z.infer<typeof SsoRoleProfile>;
export type IamUserProfile = z.infer<typeof IamUserProfile>;
export type WebIdentityProfile = z.infer<typeof WebIdentityProfile>;
export type SamlRoleProfile = z.infer<typeof SamlRoleProfile>;
export type AwsLoginProfile = z.infer<typeof AwsLoginProfile>;
export type OidcRoleProfile = z.infer<typeof OidcRoleProfile>;

/** RFC 6749 scope-token: printable ASCII but space, '"' and '\\'. */
const Scope = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/, 'a scope is printable ASCII without spaces, quotes or backslashes');

/** An OpenID Connect provider people sign in to for AssumeRoleWithWebIdentity: issuer, client, scopes, and the roles its tokens may assume. */
export const OidcIntegration = z.object({
  name: IntegrationName,
  /** The issuer URL (the id_token's iss); discovery is at ISSUER/.well-known/openid-configuration. */
  issuer: z.string().url().max(2048),
  /** The client id registered with the IdP (a public client: no secret); the id_token's aud. */
  clientId: z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'a client id is printable ASCII without spaces'),
  scopes: z.array(Scope).min(1).max(20),
  roleArns: z.array(RoleArn).min(1).max(50),
  /** The region of its roles' STS calls and profiles. */
  region: Region.optional(),
  durationSeconds: DurationSeconds.optional(),
});
export type OidcIntegration = z.infer<typeof OidcIntegration>;

/** A SAML 2.0 identity provider people sign in to for AWS: its IdP-initiated sign-in URL and options. */
export const SamlIntegration = z.object({
  name: IntegrationName,
  /** The IdP-initiated sign-in URL of the IdP's AWS application (the login window opens it). */
  url: z.string().url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'the sign-in URL is an http(s) URL'),
  /** The region of its roles' STS calls and profiles. */
  region: Region.optional(),
  /** This integration's cap on DurationSeconds. */
  durationSeconds: DurationSeconds.optional(),
});
export type SamlIntegration = z.infer<typeof SamlIntegration>;

/** An IAM Identity Center instance, as the AWS CLI's [sso-session NAME] section describes it. */
export const SsoSession = z.object({
  name: IntegrationName,
  startUrl: z.string().url(),
  region: Region,
  registrationScopes: z.array(z.string()).optional(),
});
export type SsoSession = z.infer<typeof SsoSession>;

export const Settings = z.object({
  /** Refresh a session this many seconds before it expires (botocore treats under 15 minutes as stale). */
  refreshAheadSeconds: z.number().int().min(60).max(3000).default(900),
  /** credential-process may start a background broker when none runs. */
  autostartAgent: z.boolean().default(true),
  /** Seconds a background broker waits idle before it exits. */
  agentIdleSeconds: z.number().int().min(10).default(900),
  /** `rolecall sync` names profiles by this template. */
  profileNameTemplate: z.string().default('{accountName}/{roleName}'),
  /** Also write Identity Center tokens to ~/.aws/sso/cache so the AWS CLI's sso-session profiles share the sign-in. */
  writeAwsCliSsoCache: z.boolean().default(false),
  defaultProfile: ProfileName.optional(),
  /** Console sign-in session length in seconds (the federation endpoint's SessionDuration); absent: AWS's default. */
  consoleDurationSeconds: z.number().int().min(900).max(43200).optional(),
  /** The browser command the window opens the console with; absent: the system's browser. */
  consoleBrowser: z.string().min(1).max(512).optional(),
  /** Rolecall keeps its managed block in the AWS config; off: only by hand (rolecall config write). */
  writeAwsConfig: z.boolean().optional(),
  /** The desktop app starts (hidden, in the tray) when the person logs in. */
  launchAtLogin: z.boolean().optional(),
});
export type Settings = z.infer<typeof Settings>;

/** Rolecall's state file: what the user configured. No secrets, ever. */
export const AppState = z.object({
  version: z.literal(1),
  profiles: z.array(Profile).default([]),
  ssoSessions: z.array(SsoSession).default([]),
  samlIntegrations: z.array(SamlIntegration).default([]),
  oidcIntegrations: z.array(OidcIntegration).default([]),
  settings: Settings.default(Settings.parse({})),
});
export type AppState = z.infer<typeof AppState>;
export const emptyAppState = (): AppState => AppState.parse({ version: 1 });

/** Credentials as Rolecall hands them out. Expiration is absent only for long-term IAM user keys. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
