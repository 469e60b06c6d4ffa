// A SecretStore in memory, for tests that exercise the core's logic rather than the OS keychain:
// no D-Bus round trips, so a mutation run (thousands of test runs) fits on a small machine. It
// counts reads per key, so a test can see how often the broker goes to the keychain.
import type { SecretStore } from '../../src-main/core/secrets/secret-store';

export class MemorySecretStore implements SecretStore {
  readonly data = new Map<string, string>();
  /** get() calls per key. */
  readonly reads = new Map<string, number>();

  async get(key: string): Promise<string | null> {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return this.data.get(key) ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.data.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.data.delete(key);
  }

  async entries(prefix: string): Promise<Map<string, string>> {
    return new Map([...this.data].filter(([k]) => k.startsWith(prefix)));
  }

  readCount(key: string): number {
    return this.reads.get(key) ?? 0;
  }
}
