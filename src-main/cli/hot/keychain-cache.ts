// The broker's session cache in the keychain (`session/<profile>`, written by
// core/broker/session-cache.ts), read without zod for the hot path. A session is fresh until
// the broker's own refreshAt, so this reader and the broker agree on when to refresh.
import type { Credentials } from '../../../src-shared/profile';
import type { RolecallPaths } from '../../core/paths';

export async function readFreshSession(paths: Pick<RolecallPaths, 'keychainService'>, profile: string, refreshAheadSeconds: number, now = Date.now()): Promise<Credentials | undefined> {
  // Loaded here, not at the top: the agent path must not pay for the native keyring module.
  const { KeyringSecretStore } = await import('../../core/secrets/keyring-store');
  let raw: string | null;
  try {
    raw = await new KeyringSecretStore(paths.keychainService).get(`session/${profile}`);
  } catch {
    return undefined; // no keychain here: the core will say so properly
  }
  return raw === null ? undefined : freshFromCacheEntry(raw, refreshAheadSeconds, now);
}

/** The credentials of a cache entry, if it is well-formed and not yet due for refresh. */
export function freshFromCacheEntry(raw: string, refreshAheadSeconds: number, now = Date.now()): Credentials | undefined {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof e !== 'object' || e === null) return undefined;
  const { accessKeyId, secretAccessKey, sessionToken } = e;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') return undefined;
  if (sessionToken !== undefined && typeof sessionToken !== 'string') return undefined;
  const expiration = typeof e.expiration === 'string' ? new Date(e.expiration) : undefined;
  if (!expiration || Number.isNaN(expiration.getTime())) return undefined;
  const refreshAt = typeof e.refreshAt === 'string' ? new Date(e.refreshAt).getTime() : NaN;
  const due = Number.isNaN(refreshAt) ? expiration.getTime() - refreshAheadSeconds * 1000 : refreshAt;
  if (due <= now) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), expiration };
}
