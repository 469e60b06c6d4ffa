// In-process de-duplication: while a call for a key is in flight, later callers with the same
// key get the same promise instead of starting another (one STS call however many ask at once).
export class SingleFlight<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, fn: () => Promise<V>): Promise<V> {
    const running = this.inFlight.get(key);
    if (running) return running;
    // Settled calls are forgotten, so a failure is shared by its waiters but not cached.
    const promise = (async () => fn())().finally(() => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    });
    this.inFlight.set(key, promise);
    return promise;
  }

  /** True while a call for this key is running. */
  has(key: K): boolean {
    return this.inFlight.has(key);
  }
}
