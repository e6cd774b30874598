/**
 * A small least-recently-used map: reading or writing a key makes it the newest, and the oldest key goes once
 * there are more than `maxSize`. Relies on `Map` keeping insertion order.
 */
export class LruCache<K, V> {
  private readonly _entries = new Map<K, V>();

  /** @param maxSize Most entries kept; at least 1. */
  constructor(readonly maxSize: number) {}

  /** Number of entries held. */
  get size(): number {
    return this._entries.size;
  }

  /** The value for `key`, marking it the newest, or undefined. */
  get(key: K): V | undefined {
    if (!this._entries.has(key)) return undefined;
    const value = this._entries.get(key) as V;
    this._entries.delete(key);
    this._entries.set(key, value);
    return value;
  }

  /** Stores `value` as the newest entry, dropping the oldest when full. */
  set(key: K, value: V): void {
    this._entries.delete(key);
    this._entries.set(key, value);
    while (this._entries.size > Math.max(1, this.maxSize)) {
      const oldest = this._entries.keys().next();
      if (oldest.done === true) break;
      this._entries.delete(oldest.value);
    }
  }

  /** Removes every entry. */
  clear(): void {
    this._entries.clear();
  }

  /** Whether `key` is held, without touching its age. */
  has(key: K): boolean {
    return this._entries.has(key);
  }
}
