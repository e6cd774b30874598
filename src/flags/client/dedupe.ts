/**
 * Remembers which `$feature_flag_called` events were sent: per distinct id, a set of `(flag, value, groups)`
 * keys. The outer map is an LRU over distinct ids (Map iteration order is insertion order, so re-inserting on
 * use keeps the least recently used id first), bounded by `maxCacheSize`.
 */
export class FlagCalledDedupe {
  private readonly byId = new Map<string, Set<string>>();

  constructor(private readonly maxIds: number) {}

  /** Records the key; returns `false` when it was already recorded (the event must not be sent again). */
  firstTime(distinctId: string, key: string): boolean {
    const map = this.byId;
    let seen = map.get(distinctId);
    if (seen !== undefined) {
      if (seen.has(key)) return false;
      map.delete(distinctId);
      map.set(distinctId, seen);
    } else {
      seen = new Set();
      map.set(distinctId, seen);
      if (map.size > this.maxIds) {
        const oldest = map.keys().next();
        if (oldest.done !== true) map.delete(oldest.value);
      }
    }
    seen.add(key);
    return true;
  }

  /** Forgets a key, so a failed enqueue can be reported again later. */
  forget(distinctId: string, key: string): void {
    this.byId.get(distinctId)?.delete(key);
  }

  /** Distinct ids held. */
  get size(): number {
    return this.byId.size;
  }

  /** Forgets everything (at shutdown). */
  clear(): void {
    this.byId.clear();
  }
}

const groupKeyCache = new WeakMap<object, string>();

/**
 * The dedupe key of one read: `<flag>_<value>`, plus the groups (sorted `type=key` pairs) when any were
 * passed. The groups part is cached per groups object, so a caller reusing one object pays for it once.
 */
export function dedupeKey(
  flagKey: string,
  value: unknown,
  groups: Readonly<Record<string, string | number>> | undefined,
): string {
  const base = flagKey + '_' + String(value);
  if (groups === undefined) return base;
  let suffix = groupKeyCache.get(groups);
  if (suffix === undefined) {
    const types = Object.keys(groups).sort();
    suffix = '';
    for (const t of types) suffix += '_' + t + '=' + String(groups[t]);
    // Frozen or shared objects may still be mutated by the caller between calls; cache only frozen ones.
    if (Object.isFrozen(groups)) groupKeyCache.set(groups, suffix);
  }
  return base + suffix;
}
