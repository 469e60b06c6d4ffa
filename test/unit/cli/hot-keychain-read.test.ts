// The hot path's keychain reader (readFreshSession) against what the broker writes
// (writeCachedSession) in the real keychain: the same entry, fresh until the broker's refreshAt,
// and only the session of this caller's AWS settings. Needs a keychain (build/with-keyring.sh).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { keychainReachable, readFreshSession } from '../../../src-main/cli/hot/keychain-cache';
import { awsCallerSettings, awsSettingsKey } from '../../../src-main/core/aws/caller-settings';
import { writeCachedSession } from '../../../src-main/core/broker/session-cache';
import { KeyringSecretStore } from '../../../src-main/core/secrets/keyring-store';
import { KEYCHAIN_PROBE_ENTRY, sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';

const service = `rolecall-test-hot-${randomBytes(4).toString('hex')}`;
const store = new KeyringSecretStore(service);
const paths = { keychainService: service };
const now = Date.parse('2030-01-01T12:00:00Z');
const session = (accessKeyId: string) => ({
  result: { accessKeyId, secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2030-01-01T13:00:00Z'), credentialType: 'role' as const },
  refreshAt: new Date('2030-01-01T12:45:00Z'),
});
const written: string[] = [];

afterAll(async () => {
  for (const key of written) await store.delete(key);
});

describe('readFreshSession (the hot path reading the broker\'s keychain cache)', () => {
  it("gives the session the broker stored for the caller's settings until its refresh time, and nothing after", async () => {
    await writeCachedSession(store, 'dev', '', session('ASIAPLAIN'));
    written.push(sessionEntryName('dev'));
    expect(readFreshSession(paths, 'dev', { HOME: '/home/me' }, now)).toEqual({
      accessKeyId: 'ASIAPLAIN', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2030-01-01T13:00:00Z'),
    });
    expect(readFreshSession(paths, 'dev', {}, Date.parse('2030-01-01T12:45:00Z'))).toBeUndefined();
  });

  it("keeps callers with other AWS settings apart: each gets its own session, or none", async () => {
    const env = { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' };
    expect(readFreshSession(paths, 'dev', env, now)).toBeUndefined();
    const key = awsSettingsKey(awsCallerSettings(env));
    await writeCachedSession(store, 'dev', key, session('ASIAOTHER'));
    written.push(sessionEntryName('dev', key));
    expect(readFreshSession(paths, 'dev', env, now)?.accessKeyId).toBe('ASIAOTHER');
    expect(readFreshSession(paths, 'dev', {}, now)?.accessKeyId).toBe('ASIAPLAIN');
  });

  it('gives nothing for a profile with no session', () => {
    expect(readFreshSession(paths, 'never-used', {}, now)).toBeUndefined();
  });
});

describe('keychainReachable (whether an agent\'s keychain error is the agent\'s alone)', () => {
  it('is true where the keychain answers, whether or not the store has left its probe entry there', async () => {
    expect(keychainReachable(service)).toBe(true);
    await store.set(KEYCHAIN_PROBE_ENTRY, 'probe');
    written.push(KEYCHAIN_PROBE_ENTRY);
    expect(keychainReachable(service)).toBe(true);
  });
});
