// One credential step, one provider: it takes the parent's credentials (or none) and returns
// credentials with an expiry. Caching, refresh-ahead, single-flight and the 1-hour chain cap
// policy live in the broker, not here.
import type { Credentials, SsoSession } from '../../../src-shared/profile';
import type { SsoAccessTokenSource } from '../broker/types';
import type { SecretStore } from '../secrets/secret-store';
import type { StsContext } from '../aws/sts';

/** What kind of credentials a step produced; it decides whether the next hop is role chaining. */
export type CredentialType = 'iam-user' | 'session-token' | 'role';

export interface StepResult extends Credentials {
  credentialType: CredentialType;
  /** The principal ARN, when known (AssumedRoleUser.Arn, or GetCallerIdentity). */
  arn?: string;
  /** DurationSeconds asked for and, if the chain cap lowered it, what was asked instead. */
  durationAsked?: number;
  durationRequested?: number;
}

export interface StepContext {
  sts: StsContext;
  env: NodeJS.ProcessEnv;
  secrets: SecretStore;
  sso: SsoAccessTokenSource;
  ssoSessions: SsoSession[];
  parent?: StepResult;
  /** An MFA code for this device: the one the caller passed, else a prompt; throws 'mfa-required' when neither. */
  mfaCode(serialNumber: string): Promise<string>;
  /** A RoleSessionName derived from who the parent credentials belong to. */
  defaultSessionName(): Promise<string>;
  notice(message: string): void;
}
