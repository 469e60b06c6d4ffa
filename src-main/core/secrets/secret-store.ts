// Secrets (refresh tokens, client registrations, IAM user keys, cached session credentials)
// live in the OS keychain, behind this small interface. Keys are plain names such as
// "iam-user/alice" or "sso-token/acme"; values are strings (callers store JSON).
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
}
