/**
 * Keys remembered per distinct id. One id that reads flags with ever new groups (a worker acting for every
 * company in turn) or ever new flag keys would otherwise grow its set without bound: it never ages out, since
 * every read keeps it young. When the set is full it starts over, which may send a few events again.
 */
export const MAX_KEYS_PER_ID = 256;

/**
 * Remembers which `$feature_flag_called` events were sent: per distinct id, a set of at most
 * {@link MAX_KEYS_PER_ID} `(flag, value, groups)` keys, for at most `maxCacheSize` distinct ids.
 *
 * The bound is kept with two generations instead of an exact LRU: ids go into `young`; when it holds half the
 * bound it becomes `old` and the previous `old` is dropped; an id found in `old` moves back to `young`. A hit
 * is then one or two map reads, where an exact LRU re-inserts the id on every read (a flag read is far more
 * often a hit than not). Every id used within the last `maxCacheSize / 2` distinct ids is always kept.
 */
export class FlagCalledDedupe {
  private young = new Map<string, Set<string>>();
  private old = new Map<string, Set<string>>();
  private readonly half: number;

  constructor(maxIds: number) {
    this.half = Math.max(1, Math.floor(maxIds / 2));
  }

  /** Records the key; returns `false` when it was already recorded (the event must not be sent again). */
  firstTime(distinctId: string, key: string): boolean {
    let seen = this.young.get(distinctId);
    if (seen === undefined) {
      seen = this.old.get(distinctId);
      if (seen === undefined) seen = new Set();
      else this.old.delete(distinctId);
      this.young.set(distinctId, seen);
      if (this.young.size >= this.half) {
        this.old = this.young;
        this.young = new Map();
      }
    }
    if (seen.has(key)) return false;
    if (seen.size >= MAX_KEYS_PER_ID) seen.clear();
    seen.add(key);
    return true;
  }

  /** Forgets a key, so a failed enqueue can be reported again later. */
  forget(distinctId: string, key: string): void {
    (this.young.get(distinctId) ?? this.old.get(distinctId))?.delete(key);
  }

  /** Distinct ids held. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  /** Forgets everything (at shutdown). */
  clear(): void {
    this.young.clear();
    this.old.clear();
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
  // `groups: null` (or anything not an object) reads as no groups, as everywhere else in a flag call.
  if (typeof groups !== 'object' || groups === null) return base;
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
