// The broker's cache of issued sessions in the OS keychain (entry names and shape: keychain-layout),
// so a second process (or the credential_process hot path without a running broker) reuses them.
// Each caller's AWS settings have their own entries: a session issued through one endpoint is
// never served to a caller of another. `refreshAt` is written by the broker so every reader
// agrees on when a session is stale.
import { CachedSession, SESSION_ENTRY_PREFIX, profileOfSessionEntry, sessionEntryName, sessionVariantsPrefix } from '../secrets/keychain-entries';
import { readJsonSecret, type SecretStore } from '../secrets/secret-store';
import type { StepResult } from '../providers/types';

export interface LiveSession {
  result: StepResult & { expiration: Date };
  refreshAt: Date;
}

/**
 * When to refresh: refreshAheadSeconds before expiry, but never earlier than halfway through
 * the session's life, so short sessions (900 s) are not refreshed on every call.
 */
export function refreshTime(expiration: Date, obtainedAt: number, refreshAheadSeconds: number): Date {
  const lifetime = expiration.getTime() - obtainedAt;
  const ahead = Math.min(refreshAheadSeconds * 1000, lifetime / 2);
  return new Date(expiration.getTime() - ahead);
}

function liveSession(c: CachedSession): LiveSession {
  return {
    result: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(c.expiration),
      credentialType: c.credentialType,
      arn: c.arn,
      ...(c.mfaSerial ? { mfaSerial: c.mfaSerial } : {}),
    },
    refreshAt: new Date(c.refreshAt),
  };
}

/** `settingsKey` is awsSettingsKey of the caller's settings ('' for none). */
export async function readCachedSession(secrets: SecretStore, profile: string, settingsKey: string): Promise<LiveSession | undefined> {
  // A corrupt entry is as good as none, and is removed.
  const c = await readJsonSecret(secrets, sessionEntryName(profile, settingsKey), CachedSession, 'delete');
  return c ? liveSession(c) : undefined;
}

/** Every cached session by profile, for one set of settings: one keychain round trip where the store can list, else one get() per profile. */
export async function readCachedSessions(secrets: SecretStore, profiles: string[], settingsKey: string): Promise<Map<string, LiveSession>> {
  const out = new Map<string, LiveSession>();
  if (!secrets.entries) {
    for (const p of profiles) {
      const s = await readCachedSession(secrets, p, settingsKey);
      if (s) out.set(p, s);
    }
    return out;
  }
  const raw = await secrets.entries(SESSION_ENTRY_PREFIX);
  // The few entries there are, not the 10,000 profiles asked about (a name made for each took 5 ms).
  const wanted = new Set(profiles);
  for (const [entry, text] of raw) {
    const p = profileOfSessionEntry(entry, settingsKey);
    if (p === undefined || !wanted.has(p)) continue;
    let parsed;
    try {
      parsed = CachedSession.safeParse(JSON.parse(text));
    } catch {
      continue; // corrupt: the next read of this profile removes it
    }
    if (parsed.success) out.set(p, liveSession(parsed.data));
  }
  return out;
}

export async function writeCachedSession(secrets: SecretStore, profile: string, settingsKey: string, s: LiveSession): Promise<void> {
  const entry: CachedSession = {
    accessKeyId: s.result.accessKeyId,
    secretAccessKey: s.result.secretAccessKey,
    sessionToken: s.result.sessionToken,
    expiration: s.result.expiration.toISOString(),
    refreshAt: s.refreshAt.toISOString(),
    credentialType: s.result.credentialType,
    arn: s.result.arn,
    ...(s.result.mfaSerial ? { mfaSerial: s.result.mfaSerial } : {}),
  };
  await secrets.set(sessionEntryName(profile, settingsKey), JSON.stringify(entry));
}

/**
 * Deletes a profile's cached sessions under every set of settings: those the store lists, and
 * (for a store that cannot list) those of the settings keys the caller knows.
 */
export async function deleteCachedSessions(secrets: SecretStore, profile: string, knownSettingsKeys: Iterable<string> = []): Promise<void> {
  const names = new Set([sessionEntryName(profile), ...[...knownSettingsKeys].map((k) => sessionEntryName(profile, k))]);
  if (secrets.entries) for (const name of (await secrets.entries(sessionVariantsPrefix(profile))).keys()) names.add(name);
  for (const name of names) await secrets.delete(name);
}
