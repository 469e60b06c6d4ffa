// Runs against the real OS keychain (build/with-keyring.sh gives a private gnome-keyring).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonSecret, KeyringSecretStore } from '../../../../src-main/core/secrets/keyring-store';

const execFileAsync = promisify(execFile);
const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
const service = () => `rolecall-test-${randomBytes(6).toString('hex')}`;
const created: [KeyringSecretStore, string][] = [];
const store = (s = service()) => new KeyringSecretStore(s);
afterEach(async () => {
  for (const [s, key] of created.splice(0)) await s.delete(key).catch(() => undefined);
});
async function put(s: KeyringSecretStore, key: string, value: string) {
  created.push([s, key]);
  await s.set(key, value);
}

describe('KeyringSecretStore', () => {
  it('stores, reads, overwrites and deletes a secret', async () => {
    const s = store();
    expect(await s.get('sso-token/acme')).toBeNull();
    await put(s, 'sso-token/acme', 'first');
    expect(await s.get('sso-token/acme')).toBe('first');
    await s.set('sso-token/acme', 'second');
    expect(await s.get('sso-token/acme')).toBe('second');
    expect(await s.delete('sso-token/acme')).toBe(true);
    expect(await s.get('sso-token/acme')).toBeNull();
    expect(await s.delete('sso-token/acme')).toBe(false);
  });

  it('lists the entries under a prefix in one call, and only its own service\'s', async () => {
    const name = service();
    const mine = store(name);
    const other = store(`${name} (other)`);
    await put(mine, 'session/dev', 'a');
    await put(mine, 'session/prod/Admin', 'b');
    await put(mine, 'sso-token/acme', 'not a session');
    await put(other, 'session/dev', 'someone else');
    const listed = await mine.entries('session/');
    expect([...listed.entries()].sort()).toEqual([
      ['session/dev', 'a'],
      ['session/prod/Admin', 'b'],
    ]);
  });

  it('sees what another store instance (another process) wrote or deleted since', async () => {
    const name = service();
    const app = store(name);
    const cli = store(name);
    expect(await app.get('k')).toBeNull();
    await put(cli, 'k', 'from the cli');
    expect(await app.get('k')).toBe('from the cli');
    await cli.delete('k');
    expect(await app.get('k')).toBeNull();
  });

  it('lists the entries while another store deletes some of them, without failing', async () => {
    // The Secret Service search answers item paths, then each item is read: one deleted in
    // between ("Object does not exist at path ...") must not fail the whole listing (the window's
    // listing while a session is stopped elsewhere).
    const name = service();
    const lister = store(name);
    const other = store(name);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 30; i++) await put(other, `session/p${i}`, `v${i}`);
      const deleting = (async () => {
        for (let i = 0; i < 30; i++) await other.delete(`session/p${i}`);
      })();
      const listings: Map<string, string>[] = [];
      while (listings.length < 200) {
        const seen = await lister.entries('session/');
        listings.push(seen);
        if (!seen.size) break;
      }
      await deleting;
      // Whatever a listing shows is what was stored, never a half-read entry.
      for (const seen of listings) for (const [k, v] of seen) expect(v).toBe(`v${k.slice('session/p'.length)}`);
      expect((await lister.entries('session/')).size).toBe(0);
    }
  });

  it('reads an entry while another store stores and deletes it: the value or nothing, never an error', async () => {
    // A read searches, then reads the item found; a deletion in between ("No such interface ...
    // on object at path") is the entry being gone, as when credential-process runs while the
    // window stops that session. 12 readers against 40 store/delete rounds failed about 1 read in 15.
    const name = service();
    const writer = store(name);
    let writing = true;
    const seen = new Set<string | null>();
    const errors: unknown[] = [];
    const reader = async () => {
      const s = store(name);
      while (writing) await s.get('session/dev').then((v) => seen.add(v), (e: unknown) => errors.push(e));
    };
    const readers = Array.from({ length: 12 }, reader);
    for (let i = 0; i < 40; i++) {
      await put(writer, 'session/dev', `v${i}`);
      await writer.delete('session/dev');
    }
    writing = false;
    await Promise.all(readers);
    expect(errors).toEqual([]);
    expect(seen.has(null)).toBe(true);
    expect([...seen].filter((v) => v !== null).every((v) => /^v\d+$/.test(v!))).toBe(true);
    expect(seen.size).toBeGreaterThan(2);
  });

  it('keeps unicode and large JSON values intact', async () => {
    const s = store();
    const value = JSON.stringify({ name: 'Zoë 🔑 ключ', token: 'x'.repeat(8000) });
    await put(s, 'iam-user/zoë', value);
    expect(await s.get('iam-user/zoë')).toBe(value);
  });

  it('keeps the entries of different services (data dirs) apart', async () => {
    const a = store();
    const b = store();
    await put(a, 'k', 'from a');
    expect(await b.get('k')).toBeNull();
  });

  it('refuses an empty key', async () => {
    await expect(store().get('')).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('reports an unreachable keychain as a keychain error with a hint, without the secret', async () => {
    // A fresh process, because the library keeps its D-Bus connection once made.
    const script = `
      import { KeyringSecretStore } from ${JSON.stringify(fileURLToPath(new URL('../../../../src-main/core/secrets/keyring-store.ts', import.meta.url)))};
      const err = await new KeyringSecretStore('rolecall-test').set('iam-user/alice', 'TOP-SECRET-VALUE').catch((e) => e);
      console.log(JSON.stringify({ name: err?.name, code: err?.code, message: err?.message, hint: err?.hint }));`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rc-keyring-'));
    const file = path.join(dir, 'probe.mts');
    await writeFile(file, script);
    const { stdout } = await execFileAsync(tsx, [file], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/rolecall-test-bus' },
    }).finally(() => rm(dir, { recursive: true, force: true }));
    const err = JSON.parse(stdout);
    expect(err).toMatchObject({ name: 'RolecallError', code: 'keychain', hint: expect.stringContaining('Secret Service') });
    expect(err.message).toContain('iam-user/alice');
    expect(`${err.message} ${err.hint}`).not.toContain('TOP-SECRET-VALUE');
  });
});

describe('JsonSecret', () => {
  const Token = z.object({ accessToken: z.string(), expiresAt: z.string() });
  const token = { accessToken: 'abc', expiresAt: '2030-01-01T00:00:00Z' };

  it('round-trips a typed value and gives null when there is none', async () => {
    const s = store();
    const secret = new JsonSecret(s, 'sso-token/acme', Token);
    expect(await secret.get()).toBeNull();
    created.push([s, 'sso-token/acme']);
    await secret.set(token);
    expect(await secret.get()).toEqual(token);
    expect(JSON.parse((await s.get('sso-token/acme'))!)).toEqual(token);
    expect(await secret.delete()).toBe(true);
    expect(await secret.get()).toBeNull();
  });

  it.each([
    ['not JSON', '{oops'],
    ['an old shape', JSON.stringify({ token: 'abc' })],
  ])('treats a corrupt entry (%s) as missing and deletes it', async (_, raw) => {
    const s = store();
    await put(s, 'sso-token/acme', raw);
    expect(await new JsonSecret(s, 'sso-token/acme', Token).get()).toBeNull();
    expect(await s.get('sso-token/acme')).toBeNull();
  });

  it('refuses to store an invalid value, without echoing it', async () => {
    const s = store();
    const secret = new JsonSecret(s, 'sso-token/acme', Token);
    const err = await secret.set({ accessToken: 'SECRET-TOKEN' } as never).catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid-input', message: expect.stringContaining('sso-token/acme') });
    expect(err.message).not.toContain('SECRET-TOKEN');
    expect(await s.get('sso-token/acme')).toBeNull();
  });
});
