// The SecretStore over the OS keychain (macOS Keychain, Windows Credential Manager, Secret
// Service on Linux) through @napi-rs/keyring's async API, so a slow keychain never blocks the
// event loop. Measured against gnome-keyring over a private D-Bus session (build/with-keyring.sh,
// Linux, Node 20, 2 KB value): a get() round trip takes about 0.45 ms once the key's entry is
// kept, about 7 ms when each call makes a new entry (hence the entry cache below).
import { AsyncEntry, findCredentialsAsync, type LinuxStore } from '@napi-rs/keyring';
import { RolecallError } from '../errors';
import type { SecretStore } from './secret-store';

export interface KeyringOptions {
  /**
   * Linux only. By default Rolecall requires the Secret Service (gnome-keyring, KWallet): the
   * library's fallback, the kernel keyring, forgets everything at logout, which would silently
   * drop refresh tokens and IAM user keys. 'keyutils' opts into it, e.g. on a headless host.
   */
  linuxStore?: LinuxStore;
}

export class KeyringSecretStore implements SecretStore {
  // Making an entry opens a Secret Service session; a kept one still reads the store on every call.
  private readonly entryCache = new Map<string, AsyncEntry>();

  constructor(
    /** RolecallPaths.keychainService */
    readonly service: string,
    private readonly options: KeyringOptions = {},
  ) {}

  get(key: string): Promise<string | null> {
    return this.call('read', key, (e) => e.getPassword());
  }

  async set(key: string, value: string): Promise<void> {
    await this.call('write', key, (e) => e.setPassword(value));
  }

  delete(key: string): Promise<boolean> {
    return this.call('delete', key, (e) => e.deletePassword());
  }

  async entries(prefix: string): Promise<Map<string, string>> {
    try {
      const all = await findCredentialsAsync(this.service);
      return new Map(all.filter((c) => c.account.startsWith(prefix)).map((c) => [c.account, c.password]));
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new RolecallError(`Cannot list "${prefix}*" in the OS keychain (${this.service}): ${detail}`, 'keychain', keychainHint(), { cause: e });
    }
  }

  private async call<T>(verb: string, key: string, op: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    if (!key) throw new RolecallError('A keychain entry needs a non-empty key', 'invalid-input');
    try {
      return await op(this.entry(key));
    } catch (e) {
      // Forget the entry, so the next call starts afresh (e.g. after the keyring daemon restarts).
      this.entryCache.delete(key);
      // The library's messages describe the platform failure, never the value.
      const detail = e instanceof Error ? e.message : String(e);
      throw new RolecallError(`Cannot ${verb} "${key}" in the OS keychain (${this.service}): ${detail}`, 'keychain', keychainHint(), { cause: e });
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

function keychainHint(): string {
  if (process.platform === 'darwin') return 'is the login keychain unlocked? (Keychain Access)';
  if (process.platform === 'win32') return 'is Windows Credential Manager available for this user?';
  return 'is a Secret Service (gnome-keyring) running and unlocked? (DBUS_SESSION_BUS_ADDRESS must reach it)';
}

// JsonSecret lives beside the SecretStore interface (it works over any store); re-exported for callers that import it from here.
export { JsonSecret } from './secret-store';
