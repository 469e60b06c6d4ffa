// The broker's session cache in the keychain (`session/<profile>`, written by
// core/broker/session-cache.ts), read without zod for the hot path. A session is fresh until
// the broker's own refreshAt, so this reader and the broker agree on when to refresh.
import { createRequire } from 'node:module';
import type { Credentials } from '../../../src-shared/profile';
import type { RolecallPaths } from '../../core/paths';

type Keyring = typeof import('@napi-rs/keyring');

export function readFreshSession(paths: Pick<RolecallPaths, 'keychainService'>, profile: string, refreshAheadSeconds: number, now = Date.now()): Credentials | undefined {
  let raw: string | null;
  try {
    // Required here, not imported at the top: the agent path must not load the native module.
    // And require, not import(): importing this CommonJS package from ESM first scans its
    // source for exports (about 6 ms). The same entry as KeyringSecretStore reads (service,
    // key, Secret Service on Linux), read synchronously: one read, nothing else to do meanwhile.
    const { Entry } = createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
    raw = new Entry(paths.keychainService, `session/${profile}`, { linux: { store: 'secret-service' } }).getPassword();
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
