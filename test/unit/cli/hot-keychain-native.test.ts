// The hot path's keychain reader against the native keychain module, here a stand-in that records
// how each entry is opened and can play a keychain that cannot be reached (no D-Bus session, the
// daemon gone: the module throws). The real keychain cannot be made unreachable for one test
// inside a run that others share; hot-keychain-read.test.ts reads the real one.
import { describe, expect, it, vi } from 'vitest';
import { keychainReachable, readFreshSession } from '../../../src-main/cli/hot/keychain-cache';
import { KeyringSecretStore } from '../../../src-main/core/secrets/keyring-store';
import { sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';

const native = vi.hoisted(() => {
  const state = {
    /** The arguments each entry was opened with: by the hot path's reader (sync) and by the store (async). */
    opened: { hot: [] as unknown[][], store: [] as unknown[][] },
    /** What the platform says when asked; undefined: it answers (nothing stored). */
    unreachable: undefined as Error | undefined,
  };
  class Entry {
    constructor(...args: unknown[]) {
      state.opened.hot.push(args);
    }
    getPassword(): string | null {
      if (state.unreachable) throw state.unreachable;
      return null;
    }
  }
  class AsyncEntry {
    constructor(...args: unknown[]) {
      state.opened.store.push(args);
    }
    async getPassword(): Promise<string | null> {
      return null;
    }
    async setPassword(): Promise<void> {}
    async deletePassword(): Promise<boolean> {
      return false;
    }
  }
  return { state, Entry, AsyncEntry };
});

// The hot path requires the module (createRequire), the store imports it: both get the stand-in.
vi.mock(import('node:module'), async (importOriginal) => {
  const real = await importOriginal();
  const createRequire = ((url: string | URL) => {
    const req = real.createRequire(url);
    return Object.assign((id: string) => (id === '@napi-rs/keyring' ? { Entry: native.Entry } : req(id)), req);
  }) as typeof real.createRequire;
  return { ...real, createRequire };
});
vi.mock(import('@napi-rs/keyring'), async (importOriginal) => ({ ...(await importOriginal()), AsyncEntry: native.AsyncEntry as never }));

const service = 'rolecall (/home/me/.rolecall-test)';

describe("the hot path's keychain reader and the platform store", () => {
  it("opens the broker's session entry exactly as the keychain store does (service, entry name, the Secret Service on Linux)", async () => {
    native.state.opened = { hot: [], store: [] };
    await new KeyringSecretStore(service).get(sessionEntryName('dev'));
    expect(readFreshSession({ keychainService: service }, 'dev', {})).toBeUndefined();
    expect(native.state.opened.hot).toHaveLength(1);
    expect(native.state.opened.hot[0]).toEqual(native.state.opened.store[0]);
    expect(native.state.opened.hot[0]?.slice(0, 2)).toEqual([service, sessionEntryName('dev')]);
  });

  it('gives no session, rather than failing, where the keychain cannot be reached, and says it cannot be reached', () => {
    native.state.unreachable = new Error('Platform secure storage failure: Cannot autolaunch D-Bus without X11 $DISPLAY');
    try {
      expect(readFreshSession({ keychainService: service }, 'dev', {})).toBeUndefined();
      expect(keychainReachable(service)).toBe(false);
    } finally {
      native.state.unreachable = undefined;
    }
    expect(keychainReachable(service)).toBe(true);
  });
});
