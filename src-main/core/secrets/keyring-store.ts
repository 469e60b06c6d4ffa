// The SecretStore over the OS keychain (macOS Keychain, Windows Credential Manager, Secret
// Service on Linux) through @napi-rs/keyring's async API, so a slow keychain never blocks the
// event loop. Measured against gnome-keyring over a private D-Bus session (build/with-keyring.sh,
// Linux, Node 20, 2 KB value): a get() round trip takes about 0.45 ms once the key's entry is
// kept, about 7 ms when each call makes a new entry (hence the entry cache below).
import { AsyncEntry, findCredentialsAsync, type LinuxStore } from '@napi-rs/keyring';
import { RolecallError } from '../errors';
import type { SecretStore } from './secret-store';
import { KEYCHAIN_PROBE_ENTRY } from './keychain-layout';

export interface KeyringOptions {
  /**
   * Linux only. By default Rolecall requires the Secret Service (gnome-keyring, KWallet): the
   * library's fallback, the kernel keyring, forgets everything at logout, which would silently
   * drop refresh tokens and IAM user keys. 'keyutils' opts into it, e.g. on a headless host.
   */
  linuxStore?: LinuxStore;
}

/**
 * How long a passed check stands: a long-lived process (the agent) must notice a keychain
 * locked after it started, rather than report its entries as missing.
 */
const CHECK_VALID_MS = 1_000;

/** An item (…/collection/C/N) a search found and could not read: deleted meanwhile. The daemon words it several ways. */
const VANISHED = /(Object does not exist at path|No such interface).*\/secrets\/collection\/[^/\s]+\/[^/\s]+/;
const VANISHED_ATTEMPTS = 8;

export class KeyringSecretStore implements SecretStore {
  // Making an entry opens a Secret Service session; a kept one still reads the store on every call.
  private readonly entryCache = new Map<string, AsyncEntry>();
  private usable?: Promise<void>;
  private checkedAt = 0;

  constructor(
    /** RolecallPaths.keychainService */
    readonly service: string,
    private readonly options: KeyringOptions = {},
  ) {}

  async get(key: string): Promise<string | null> {
    const value = await this.call('read', key, (e) => e.getPassword());
    // The Secret Service answers "no such entry" when the entry sits in a locked collection, and
    // when there is no default (login) collection at all: telling the user to add the secret again
    // would send them the wrong way. So a miss checks the store can write (at most once a second).
    if (value === null) await this.checkUsable(key);
    return value;
  }

  private checkUsable(key: string): Promise<void> {
    if (process.platform !== 'linux' || (this.options.linuxStore ?? 'secret-service') !== 'secret-service') return Promise.resolve();
    if (!this.usable || Date.now() - this.checkedAt > CHECK_VALID_MS) {
      this.checkedAt = Date.now();
      // Read first: a probe entry that reads back proves the store unlocked without a write, so a
      // burst of callers that all miss does not rewrite one item a hundred times at once.
      const probe = this.entry(KEYCHAIN_PROBE_ENTRY);
      this.usable = this.call('read', key, async () => {
        if ((await probe.getPassword()) === null) await probe.setPassword('ok');
      }).catch((e: unknown) => {
        this.usable = undefined; // checked again next time: the user may unlock it meanwhile
        throw e;
      });
    }
    return this.usable;
  }

  async set(key: string, value: string): Promise<void> {
    await this.call('write', key, (e) => e.setPassword(value));
  }

  delete(key: string): Promise<boolean> {
    return this.call('delete', key, (e) => e.deletePassword());
  }

  async entries(prefix: string): Promise<Map<string, string>> {
    try {
      const all = await againIfVanished(() => findCredentialsAsync(this.service));
      return new Map(all.filter((c) => c.account.startsWith(prefix)).map((c) => [c.account, c.password]));
    } catch (e) {
      throw keychainError(`list "${prefix}*"`, this.service, e);
    }
  }

  private async call<T>(verb: string, key: string, op: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    if (!key) throw new RolecallError('A keychain entry needs a non-empty key', 'invalid-input');
    try {
      return await againIfVanished(() => op(this.entry(key)));
    } catch (e) {
      // Forget the entry, so the next call starts afresh (e.g. after the keyring daemon restarts).
      this.entryCache.delete(key);
      throw keychainError(`${verb} "${key}"`, this.service, e);
    }
  }

  private entry(key: string): AsyncEntry {
    let entry = this.entryCache.get(key);
    if (!entry) {
      // Constructing the entry already talks to the platform store (and throws when it is absent).
      entry = new AsyncEntry(this.service, key, { linux: { store: this.options.linuxStore ?? 'secret-service' } });
      this.entryCache.set(key, entry);
    }
    return entry;
  }
}

/**
 * The Secret Service answers a search with item paths, then each item is read: an item deleted
 * in between (another process stopping or replacing a session) fails the call, though the entry
 * is merely gone. Asked again, the search no longer finds it (or finds its successor).
 */
async function againIfVanished<T>(op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (attempt >= VANISHED_ATTEMPTS || !VANISHED.test(e instanceof Error ? e.message : String(e))) throw e;
      // A burst of deletions (a sign-out ending many sessions) passes within a few tries.
      await new Promise((r) => setTimeout(r, 10 * attempt));
    }
  }
}

// What the platform said, sorted by what the user must do. The library's messages describe the
// platform failure, never the value.
const LOCKED = /locked|prompt was dismissed|interaction is not allowed|user canceled|authorization denied/i;
const NO_COLLECTION = /no result found|no such object|default collection|NoSuchObject/i;

function keychainError(what: string, service: string, e: unknown): RolecallError {
  const detail = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
  if (LOCKED.test(detail)) {
    return new RolecallError(`The OS keychain is locked: Rolecall cannot ${what} (${service})`, 'keychain', unlockHint(), { cause: e });
  }
  if (process.platform === 'linux' && NO_COLLECTION.test(detail)) {
    return new RolecallError(
      `The Secret Service has no default keyring (no "login" collection): Rolecall cannot ${what} (${service})`,
      'keychain',
      'create one: open Passwords and Keys (seahorse) and add a "Login" keyring, or log in to the desktop session that makes it',
      { cause: e },
    );
  }
  return new RolecallError(`Cannot ${what} in the OS keychain (${service}): ${detail}`, 'keychain', keychainHint(), { cause: e });
}

function unlockHint(): string {
  if (process.platform === 'darwin') return 'unlock it: security unlock-keychain (or Keychain Access), then try again';
  if (process.platform === 'win32') return 'unlock Windows Credential Manager (sign in again), then try again';
  return 'unlock it: open Passwords and Keys (seahorse) and unlock "Login" (headless: gnome-keyring-daemon --replace --unlock --daemonize, password on stdin), then try again';
}

function keychainHint(): string {
  if (process.platform === 'darwin') return 'is the login keychain unlocked? (Keychain Access)';
  if (process.platform === 'win32') return 'is Windows Credential Manager available for this user?';
  return 'is a Secret Service (gnome-keyring) running and unlocked? (DBUS_SESSION_BUS_ADDRESS must reach it)';
}

// JsonSecret lives beside the SecretStore interface (it works over any store); re-exported for callers that import it from here.
export { JsonSecret } from './secret-store';
