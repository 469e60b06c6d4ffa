// What Rolecall keeps in the keychain: entry names (everyday session entries keep their old
// names; each caller's settings get their own), and the session entry's shape, which the hot
// path reads without zod and the broker with it: the two readers must accept the same entries.
import { describe, expect, it } from 'vitest';
import { awsCallerSettings, awsSettingsKey } from '../../../../src-main/core/aws/caller-settings';
import {
  CachedSession, iamUserEntryName, parseSessionEntry, profileOfSessionEntry, sessionEntryName, sessionVariantsPrefix, ssoClientEntryName, ssoTokenEntryName,
} from '../../../../src-main/core/secrets/keychain-entries';

const settingsKey = (env: NodeJS.ProcessEnv) => awsSettingsKey(awsCallerSettings(env));

describe('entry names', () => {
  it('keep the names of earlier releases for the everyday (settings-free) case', () => {
    expect(sessionEntryName('dev/Admin')).toBe('session/dev/Admin');
    expect(sessionEntryName('dev/Admin', settingsKey({ HOME: '/home/me', PATH: '/bin' }))).toBe('session/dev/Admin');
    expect(iamUserEntryName('alice')).toBe('iam-user/alice');
    expect(ssoTokenEntryName('acme')).toBe('sso-token/acme');
    expect(ssoClientEntryName('eu-west-1', 'https://acme.awsapps.com/start')).toMatch(/^sso-client\/eu-west-1\/[0-9a-f]{32}$/);
  });

  it('give every set of caller settings its own session entry, under the profile prefix', () => {
    const names = [
      {},
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4567' },
      { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566' },
      { AWS_REGION: 'eu-west-1' },
      { AWS_DEFAULT_REGION: 'eu-west-1' },
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-1' },
    ].map((env) => sessionEntryName('dev', settingsKey(env)));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names.slice(1)) expect(n.startsWith(sessionVariantsPrefix('dev'))).toBe(true);
    // Same settings, same entry, whatever else the environment holds.
    expect(sessionEntryName('dev', settingsKey({ AWS_REGION: 'eu-west-1', TERM: 'xterm' }))).toBe(names[4]);
  });

  it('read back to their profile only under the settings they were made with', () => {
    const eu = settingsKey({ AWS_REGION: 'eu-west-1' });
    const us = settingsKey({ AWS_REGION: 'us-east-1' });
    expect(profileOfSessionEntry(sessionEntryName('dev/Admin'))).toBe('dev/Admin');
    expect(profileOfSessionEntry(sessionEntryName('dev/Admin', eu), eu)).toBe('dev/Admin');
    // Another caller's session, or an everyday one asked for under settings, is not this caller's.
    expect(profileOfSessionEntry(sessionEntryName('dev/Admin', eu), us)).toBeUndefined();
    expect(profileOfSessionEntry(sessionEntryName('dev/Admin', eu))).toBeUndefined();
    expect(profileOfSessionEntry(sessionEntryName('dev/Admin'), eu)).toBeUndefined();
    expect(profileOfSessionEntry(iamUserEntryName('dev/Admin'))).toBeUndefined();
  });

  it("cannot confuse one profile's settings entry with another profile's everyday one", () => {
    const withSettings = sessionEntryName('a', settingsKey({ AWS_REGION: 'eu-west-1' }));
    // '#' is not allowed in profile names, so no profile's everyday entry has this name.
    expect(withSettings).toMatch(/^session\/a#[0-9a-f]{16}$/);
    expect(sessionVariantsPrefix('a')).toBe('session/a#');
    expect(sessionEntryName('a/b').startsWith(sessionVariantsPrefix('a'))).toBe(false);
  });
});

describe('session entries', () => {
  const good = {
    accessKeyId: 'ASIAX',
    secretAccessKey: 's',
    sessionToken: 't',
    expiration: '2030-01-01T13:00:00.000Z',
    refreshAt: '2030-01-01T12:45:00.000Z',
    credentialType: 'role',
    arn: 'arn:aws:sts::444455556666:assumed-role/R/alice',
  };
  const json = (o: Record<string, unknown>) => JSON.stringify({ ...good, ...o });
  const without = (key: keyof typeof good) => JSON.stringify({ ...good, [key]: undefined });

  it.each<[string, string]>([
    ['a complete entry', json({})],
    ['no session token (IAM user keys)', without('sessionToken')],
    ['no ARN', without('arn')],
    ['a GetSessionToken session', json({ credentialType: 'session-token' })],
    ['an offset instead of Z', json({ expiration: '2030-01-01T14:00:00+01:00' })],
    ['no fraction of a second', json({ refreshAt: '2030-01-01T12:45:00Z' })],
    ['a leap day', json({ expiration: '2028-02-29T00:00:00Z' })],
    ['extra fields (a later release)', json({ note: 'x' })],
    ['not JSON', '{'],
    ['JSON null', 'null'],
    ['an array', '[]'],
    ['a number for the key id', json({ accessKeyId: 1 })],
    ['a number for the session token', json({ sessionToken: 5 })],
    ['null for the ARN', json({ arn: null })],
    ['no refreshAt', without('refreshAt')],
    ['no expiration', without('expiration')],
    ['no credential type', without('credentialType')],
    ['an unknown credential type', json({ credentialType: 'federated' })],
    ['a date without a time', json({ expiration: '2030-01-01' })],
    ['no seconds', json({ expiration: '2030-01-01T13:00Z' })],
    ['no zone', json({ expiration: '2030-01-01T13:00:00' })],
    ['February 30th', json({ expiration: '2030-02-30T13:00:00Z' })],
    ['a 29th of February outside a leap year', json({ expiration: '2030-02-29T13:00:00Z' })],
    ['hour 24', json({ refreshAt: '2030-01-01T24:00:00Z' })],
    ['a zone without minutes', json({ refreshAt: '2030-01-01T12:00:00+01' })],
    ['a word', json({ expiration: 'soon' })],
    ['epoch milliseconds', json({ expiration: 1893502800000 })],
  ])('are read alike by the hot path and the broker: %s', (_what, raw) => {
    let viaZod: unknown;
    try {
      const parsed = CachedSession.safeParse(JSON.parse(raw));
      viaZod = parsed.success ? parsed.data : undefined;
    } catch {
      viaZod = undefined;
    }
    expect(parseSessionEntry(raw)).toEqual(viaZod);
  });
});
