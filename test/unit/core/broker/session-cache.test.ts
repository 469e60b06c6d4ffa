// The broker's session cache in the keychain (here in memory): what another process reads back,
// kept apart per set of caller settings, corrupt entries treated as none, and forget deleting a
// profile's sessions under every settings key but nobody else's.
import { describe, expect, it } from 'vitest';
import { deleteCachedSessions, readCachedSession, readCachedSessions, writeCachedSession, type LiveSession } from '../../../../src-main/core/broker/session-cache';
import type { SecretStore } from '../../../../src-main/core/secrets/secret-store';
import { MemorySecretStore } from '../../../helpers/memory-secret-store';

const session = (accessKeyId: string, extra: Partial<LiveSession['result']> = {}): LiveSession => ({
  result: {
    accessKeyId,
    secretAccessKey: `secret-of-${accessKeyId}`,
    sessionToken: `token-of-${accessKeyId}`,
    expiration: new Date('2030-01-01T13:00:00.000Z'),
    credentialType: 'role',
    arn: 'arn:aws:sts::444455556666:assumed-role/ReadOnly/alice',
    ...extra,
  },
  refreshAt: new Date('2030-01-01T12:45:00.000Z'),
});

/** The same store without entries(): a keychain that cannot list, read one get() at a time. */
const unlisted = (s: MemorySecretStore): SecretStore => ({ get: (k) => s.get(k), set: (k, v) => s.set(k, v), delete: (k) => s.delete(k) });

describe('session cache', () => {
  it('reads back exactly what was written, under session/<profile>', async () => {
    const store = new MemorySecretStore();
    await writeCachedSession(store, 'dev/ReadOnly', '', session('ASIA1'));
    expect(JSON.parse(store.data.get('session/dev/ReadOnly')!)).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 'secret-of-ASIA1',
      sessionToken: 'token-of-ASIA1',
      expiration: '2030-01-01T13:00:00.000Z',
      refreshAt: '2030-01-01T12:45:00.000Z',
      credentialType: 'role',
      arn: 'arn:aws:sts::444455556666:assumed-role/ReadOnly/alice',
    });
    expect(await readCachedSession(store, 'dev/ReadOnly', '')).toEqual(session('ASIA1'));
  });

  it('keeps the MFA device a session was issued with, for every reader (a hop above it on the same device asks no code again)', async () => {
    const store = new MemorySecretStore();
    const mfa = session('ASIA-MFA', { credentialType: 'session-token', mfaSerial: 'arn:aws:iam::111122223333:mfa/alice' });
    await writeCachedSession(store, 'alice-mfa', '', mfa);
    expect(JSON.parse(store.data.get('session/alice-mfa')!).mfaSerial).toBe('arn:aws:iam::111122223333:mfa/alice');
    expect(await readCachedSession(store, 'alice-mfa', '')).toEqual(mfa);
    expect((await readCachedSessions(store, ['alice-mfa'], '')).get('alice-mfa')).toEqual(mfa);
  });

  it('keeps sessions of other caller settings apart', async () => {
    const store = new MemorySecretStore();
    await writeCachedSession(store, 'dev', '', session('ASIA-EVERYDAY'));
    await writeCachedSession(store, 'dev', 'AWS_ENDPOINT_URL=http://127.0.0.1:1', session('ASIA-LOCAL'));
    expect((await readCachedSession(store, 'dev', ''))?.result.accessKeyId).toBe('ASIA-EVERYDAY');
    expect((await readCachedSession(store, 'dev', 'AWS_ENDPOINT_URL=http://127.0.0.1:1'))?.result.accessKeyId).toBe('ASIA-LOCAL');
    expect(await readCachedSession(store, 'dev', 'AWS_ENDPOINT_URL=http://127.0.0.1:2')).toBeUndefined();
    expect(store.data.size).toBe(2);
  });

  it.each([
    ['not JSON', '{"accessKeyId":'],
    ['an old shape', JSON.stringify({ accessKeyId: 'A', secretAccessKey: 's', expiration: '2030-01-01T13:00:00Z' })],
    ['a bad date', JSON.stringify({ ...JSON.parse(JSON.stringify(session('A').result)), expiration: 'soon', refreshAt: '2030-01-01T12:45:00Z' })],
  ])('treats an entry that is %s as none, and removes it', async (_what, text) => {
    const store = new MemorySecretStore();
    await store.set('session/dev', text);
    await store.set('session/other', 'also broken');
    expect(await readCachedSession(store, 'dev', '')).toBeUndefined();
    expect([...store.data.keys()]).toEqual(['session/other']);
  });

  it.each([
    ['a store that lists', (s: MemorySecretStore): SecretStore => s],
    ['a store that cannot list', unlisted],
  ])('lists the live sessions of many profiles from %s, skipping the missing and the corrupt', async (_what, wrap) => {
    const store = new MemorySecretStore();
    await writeCachedSession(store, 'a', '', session('ASIA-A'));
    await writeCachedSession(store, 'b', '', session('ASIA-B', { credentialType: 'session-token', arn: undefined }));
    await writeCachedSession(store, 'c', 'x', session('ASIA-C-ELSEWHERE'));
    await store.set('session/d', 'not json');
    await store.set('session/e', '{}');
    const got = await readCachedSessions(wrap(store), ['a', 'b', 'c', 'd', 'e', 'f'], '');
    expect([...got.keys()]).toEqual(['a', 'b']);
    expect(got.get('a')).toEqual(session('ASIA-A'));
    expect(got.get('b')).toEqual(session('ASIA-B', { credentialType: 'session-token', arn: undefined }));
    const elsewhere = await readCachedSessions(wrap(store), ['a', 'c'], 'x');
    expect([...elsewhere.keys()]).toEqual(['c']);
  });

  it('lists in one round trip where the store can', async () => {
    const store = new MemorySecretStore();
    for (const p of ['a', 'b', 'c']) await writeCachedSession(store, p, '', session(p));
    await readCachedSessions(store, ['a', 'b', 'c'], '');
    expect(store.reads.size).toBe(0);
  });

  it.each([
    ['a store that lists', (s: MemorySecretStore): SecretStore => s, []],
    ['a store that cannot list, given the settings keys', unlisted, ['x', 'y']],
  ])("forget deletes a profile's sessions under every settings key, from %s, and no other profile's", async (_what, wrap, known) => {
    const store = new MemorySecretStore();
    for (const key of ['', 'x', 'y']) {
      await writeCachedSession(store, 'dev', key, session(`dev-${key}`));
      await writeCachedSession(store, 'dev2', key, session(`dev2-${key}`));
      await writeCachedSession(store, 'dev/sub', key, session(`sub-${key}`));
    }
    await store.set('iam-user/dev', '{"keep":"me"}');
    await deleteCachedSessions(wrap(store), 'dev', known);
    for (const key of ['', 'x', 'y']) {
      expect(await readCachedSession(store, 'dev', key)).toBeUndefined();
      expect((await readCachedSession(store, 'dev2', key))?.result.accessKeyId).toBe(`dev2-${key}`);
      expect((await readCachedSession(store, 'dev/sub', key))?.result.accessKeyId).toBe(`sub-${key}`);
    }
    expect(store.data.get('iam-user/dev')).toBe('{"keep":"me"}');
  });
});
