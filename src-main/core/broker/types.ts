// What the faces (CLI, agent, app, web bridge) need from the credential broker.
import type { Credentials } from '../../../src-shared/profile';
import type { AwsCallerSettings } from '../aws/caller-settings';

export interface CredentialRequest {
  /** An MFA code for a hop that needs one (from a prompt, the app's dialog or --mfa-code). */
  mfaCode?: string;
  /** Ignore cached credentials and fetch new ones. */
  forceRefresh?: boolean;
  /**
   * Also told the notices this request causes (a duration capped by the chain limit), besides
   * the broker's own sink: the agent carries them back to the process that asked.
   */
  onNotice?: (message: string) => void;
  /**
   * The caller's own AWS settings (awsCallerSettings of its environment). The broker makes this
   * request's AWS calls with them and keeps its sessions apart per set of settings; absent means
   * the broker's own environment (an in-process caller).
   */
  awsSettings?: AwsCallerSettings;
}

export interface SessionInfo {
  profile: string;
  expiration?: Date;
  /** When the broker will refresh it. */
  refreshAt?: Date;
}

export interface CredentialBroker {
  /** Credentials for a profile: cached while fresh, refreshed ahead of expiry, one fetch per hop however many ask at once. */
  credentials(profile: string, request?: CredentialRequest): Promise<Credentials>;
  /** Live sessions the broker holds (in memory or in the keychain cache). */
  sessions(): Promise<SessionInfo[]>;
  /** Forgets a profile's cached credentials (and those of profiles built on it). */
  forget(profile: string): Promise<void>;
}

// Defined with the providers that use it (sso-role); the SSO manager implements it.
export type { SsoAccessTokenSource } from '../providers/types';
