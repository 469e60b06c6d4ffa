// Secrets (refresh tokens, client registrations, IAM user keys, cached session credentials)
// live in the OS keychain, behind this small interface. Keys are plain names such as
// "iam-user/alice" or "sso-token/acme"; values are strings (callers store JSON).
import type { z } from 'zod';
import { RolecallError } from '../errors';

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  /**
   * Every entry whose key starts with prefix, in one round trip where the store can: listing
   * the sessions of thousands of synced profiles one get() at a time takes seconds.
   */
  entries?(prefix: string): Promise<Map<string, string>>;
}

/**
 * A JSON secret checked by a schema; null when missing or not of that shape. With 'delete', a
 * corrupt entry (not JSON, or an old shape) is also removed, so callers simply fetch a new one.
 */
export async function readJsonSecret<T>(store: SecretStore, key: string, schema: z.ZodType<T>, corrupt: 'keep' | 'delete' = 'keep'): Promise<T | null> {
  const raw = await store.get(key);
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  if (corrupt === 'delete') await store.delete(key);
  return null;
}

/**
 * One typed secret under one key: JSON validated by a schema on the way in and out. A corrupt
 * entry (not JSON, or an old shape) is deleted and reported as missing, so callers simply fetch
 * a new one (sign in again) instead of failing forever.
 */
export class JsonSecret<T> {
  constructor(
    private readonly store: SecretStore,
    readonly key: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  get(): Promise<T | null> {
    return readJsonSecret(this.store, this.key, this.schema, 'delete');
  }

  async set(value: T): Promise<void> {
    const parsed = this.schema.safeParse(value);
    // The zod message names the field, never the value: a secret stays out of the error.
    if (!parsed.success) throw new RolecallError(`Refusing to store an invalid "${this.key}": ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'invalid-input');
    await this.store.set(this.key, JSON.stringify(parsed.data));
  }

  delete(): Promise<boolean> {
    return this.store.delete(this.key);
  }
}
