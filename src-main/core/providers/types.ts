// One credential step, one provider: it takes the parent's credentials (or none) and returns
// credentials with an expiry. Caching, refresh-ahead, single-flight and the 1-hour chain cap
// policy live in the broker, not here.
import type { Credentials, Profile, SsoSession } from '../../../src-shared/profile';
import type { SecretStore } from '../secrets/secret-store';
import type { StsContext } from '../aws/sts';

/** What kind of credentials a step produced; it decides whether the next hop is role chaining. */
export type CredentialType = 'iam-user' | 'session-token' | 'role';

export interface StepResult extends Credentials {
  credentialType: CredentialType;
  /** The principal ARN, when known (AssumedRoleUser.Arn, or GetCallerIdentity). */
  arn?: string;
  /**
   * The MFA device whose code this session was issued with; AWS keeps that MFA context along a
   * role chain, so a hop above that names the same device needs no code of its own.
   */
  mfaSerial?: string;
  /** DurationSeconds asked for and, if the chain cap lowered it, what was asked instead. */
  durationAsked?: number;
  durationRequested?: number;
}

/** Identity Center access tokens, refreshed silently; throws RolecallError('sign-in-required') when a person must sign in. */
export interface SsoAccessTokenSource {
  /** `env` holds the caller's AWS settings: a refresh or sign-in goes to its endpoints. */
  accessToken(ssoSession: string, env?: NodeJS.ProcessEnv): Promise<{ accessToken: string; expiresAt: Date }>;
  /** The portal refused this access token (UnauthorizedException): the sign-in is over. */
  rejected?(ssoSession: string, accessToken: string): Promise<void>;
}

/** id_tokens of OIDC integrations, renewed silently; throws RolecallError('sign-in-required') when a person must sign in. */
export interface OidcIdTokenSource {
  /** sessionName: a RoleSessionName naming the person, when the token says who they are. */
  idToken(integration: string): Promise<{ idToken: string; expiresAt: Date; sessionName?: string }>;
}

export interface StepContext {
  /** The hop's region and the caller's AWS settings, for its STS calls. */
  sts: StsContext;
  /** The caller's AWS settings (endpoints, region) as an environment: every AWS call of the step uses them. */
  env: NodeJS.ProcessEnv;
  secrets: SecretStore;
  sso: SsoAccessTokenSource;
  ssoSessions: SsoSession[];
  /** Absent in faces built without OIDC sign-ins. */
  oidc?: OidcIdTokenSource;
  parent?: StepResult;
  /** An MFA code for this device: the one the caller passed, else a prompt; throws 'mfa-required' when neither. */
  mfaCode(serialNumber: string): Promise<string>;
  notice(message: string): void;
}

/** What the broker and the chain walks need to know of one kind of profile. */
export interface Provider<P extends Profile> {
  /** The profile this one's credentials are made from (its source), or undefined for a chain's root. */
  parent(profile: P): string | undefined;
  /** False for long-term keys: nothing to cache, nothing to lock. */
  issuesSession(profile: P): boolean;
  credentials(profile: P, ctx: StepContext): Promise<StepResult>;
}
