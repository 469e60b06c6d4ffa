// The AWS CLI's SSO token cache, ~/.aws/sso/cache/<sha1>.json, keyed by the SHA-1 of the
// sso-session name (or of the start URL for legacy profiles). Read so that a sign-in made with
// `aws sso login` is reused; written only when the user opts in (settings.writeAwsCliSsoCache).
import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic';

export const cacheFileName = (key: string) => `${createHash('sha1').update(key).digest('hex')}.json`;

const CachedToken = z.object({
  startUrl: z.string(),
  region: z.string().optional(),
  accessToken: z.string().min(1),
  expiresAt: z.string(),
});

/**
 * The CLI writes 2024-01-02T03:04:05Z (older ones ...UTC), the JS SDK 2024-01-02T03:04:05.000Z;
 * anything else is not trusted.
 */
export function parseCacheTimestamp(s: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|UTC|\+00:?00)$/.exec(s.trim());
  if (!m) return null;
  const ms = m[2] ? `.${m[2].slice(1, 4).padEnd(3, '0')}` : '';
  const d = new Date(`${m[1]}${ms}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The CLI's own format: seconds, 'Z'. */
export const formatCacheTimestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

export interface CliToken {
  accessToken: string;
  expiresAt: Date;
  file: string;
}

/** A token for this instance from the AWS CLI's cache (by sso-session name, then start URL), or null. */
export async function readAwsCliToken(dir: string, session: { name: string; startUrl: string; region: string }): Promise<CliToken | null> {
  for (const key of [session.name, session.startUrl]) {
    const file = path.join(dir, cacheFileName(key));
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      continue; // absent or unreadable: the CLI's business, not an error here
    }
    const t = CachedToken.safeParse(json);
    if (!t.success || !sameUrl(t.data.startUrl, session.startUrl)) continue;
    if (t.data.region && t.data.region !== session.region) continue;
    const expiresAt = parseCacheTimestamp(t.data.expiresAt);
    if (expiresAt) return { accessToken: t.data.accessToken, expiresAt, file };
  }
  return null;
}

/**
 * Writes the access token where sso-session profiles of the AWS CLI and SDKs look for it. No
 * refresh token or client secret: refresh tokens rotate, and a copy the CLI used would end ours.
 */
export async function writeAwsCliToken(dir: string, session: { name: string; startUrl: string; region: string }, token: { accessToken: string; expiresAt: Date }): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const body = { startUrl: session.startUrl, region: session.region, accessToken: token.accessToken, expiresAt: formatCacheTimestamp(token.expiresAt) };
  await writeFileAtomic(path.join(dir, cacheFileName(session.name)), JSON.stringify(body), { mode: 0o600 });
}

/** Removes the cache file for this instance, only when it holds the given (Rolecall's) token. */
export async function removeAwsCliToken(dir: string, name: string, accessToken: string): Promise<boolean> {
  const file = path.join(dir, cacheFileName(name));
  try {
    const t = CachedToken.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!t.success || t.data.accessToken !== accessToken) return false;
    await unlink(file);
    return true;
  } catch {
    return false;
  }
}
