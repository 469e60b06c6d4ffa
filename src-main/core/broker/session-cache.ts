// The broker's cache of issued sessions in the OS keychain, under `session/<profile>`, so a
// second process (or the credential_process hot path without a running broker) reuses them.
// `refreshAt` is written by the broker so every reader agrees on when a session is stale.
import { z } from 'zod';
import { readJsonSecret, type SecretStore } from '../secrets/secret-store';
import type { StepResult } from '../providers/types';

export const sessionCacheKey = (profile: string) => `session/${profile}`;

export const CachedSession = z.object({
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
  sessionToken: z.string().optional(),
  expiration: z.string().datetime({ offset: true }),
  refreshAt: z.string().datetime({ offset: true }),
  credentialType: z.enum(['iam-user', 'session-token', 'role']),
  arn: z.string().optional(),
});
export type CachedSession = z.infer<typeof CachedSession>;

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
    },
    refreshAt: new Date(c.refreshAt),
  };
}

export async function readCachedSession(secrets: SecretStore, profile: string): Promise<LiveSession | undefined> {
  // A corrupt entry is as good as none, and is removed.
  const c = await readJsonSecret(secrets, sessionCacheKey(profile), CachedSession, 'delete');
  return c ? liveSession(c) : undefined;
}

/** Every cached session by profile: one keychain round trip where the store can list, else one get() per profile. */
export async function readCachedSessions(secrets: SecretStore, profiles: string[]): Promise<Map<string, LiveSession>> {
  const out = new Map<string, LiveSession>();
  if (!secrets.entries) {
    for (const p of profiles) {
      const s = await readCachedSession(secrets, p);
      if (s) out.set(p, s);
    }
    return out;
  }
  const raw = await secrets.entries(sessionCacheKey(''));
  for (const p of profiles) {
    const text = raw.get(sessionCacheKey(p));
    if (text === undefined) continue;
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

export async function writeCachedSession(secrets: SecretStore, profile: string, s: LiveSession): Promise<void> {
  const entry: CachedSession = {
    accessKeyId: s.result.accessKeyId,
    secretAccessKey: s.result.secretAccessKey,
    sessionToken: s.result.sessionToken,
    expiration: s.result.expiration.toISOString(),
    refreshAt: s.refreshAt.toISOString(),
    credentialType: s.result.credentialType,
    arn: s.result.arn,
  };
  await secrets.set(sessionCacheKey(profile), JSON.stringify(entry));
}
