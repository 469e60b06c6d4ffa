// The broker's session cache in the keychain, read without zod for the hot path: the entry name
// and the reader come from core/secrets/keychain-layout.ts, as the broker's own do, so both read
// the same entry (the one of this caller's AWS settings) and agree on when to refresh (refreshAt).
import { createRequire } from 'node:module';
import type { Credentials } from '../../../src-shared/profile';
import { awsCallerSettings, awsSettingsKey } from '../../core/aws/caller-settings';
import type { RolecallPaths } from '../../core/paths';
import { KEYCHAIN_PROBE_ENTRY, parseSessionEntry, sessionEntryName } from '../../core/secrets/keychain-layout';

type Keyring = typeof import('@napi-rs/keyring');

/** A fresh cached session of the profile for the caller whose environment is `env`. */
export function readFreshSession(paths: Pick<RolecallPaths, 'keychainService'>, profile: string, env: NodeJS.ProcessEnv, now = Date.now()): Credentials | undefined {
  const name = sessionEntryName(profile, awsSettingsKey(awsCallerSettings(env)));
  let raw: string | null;
  try {
    raw = readEntry(paths.keychainService, name);
  } catch {
    return undefined; // no keychain here: the core will say so properly
  }
  return raw === null ? undefined : freshFromCacheEntry(raw, now);
}

/** True when this process can read the keychain (the store's harmless probe entry). */
export function keychainReachable(service: string): boolean {
  try {
    readEntry(service, KEYCHAIN_PROBE_ENTRY);
    return true;
  } catch {
    return false;
  }
}

/**
 * One keychain entry, read synchronously; throws when the keychain cannot be reached. Required
 * here, not imported at the top: the agent path must not load the native module. And require,
 * not import(): importing this CommonJS package from ESM first scans its source for exports
 * (about 6 ms). The same entry as KeyringSecretStore reads (service, key, Secret Service on
 * Linux): one read, nothing else to do meanwhile.
 */
function readEntry(service: string, name: string): string | null {
  const { Entry } = createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
  return new Entry(service, name, { linux: { store: 'secret-service' } }).getPassword();
}

/** The credentials of a cache entry, if it is well-formed and not yet due for refresh (the broker's refreshAt). */
export function freshFromCacheEntry(raw: string, now = Date.now()): Credentials | undefined {
  const e = parseSessionEntry(raw);
  if (!e || Date.parse(e.refreshAt) <= now) return undefined;
  return { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey, ...(e.sessionToken ? { sessionToken: e.sessionToken } : {}), expiration: new Date(e.expiration) };
}
