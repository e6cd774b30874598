/** Characters of sorted key names shown for an object thrown without a name or message. */
export const KEY_SUMMARY_BUDGET = 40;

/**
 * The object's own enumerable keys, sorted, joined with ", " for as many as fit in `budget` characters.
 * A first key longer than the budget is cut and marked with "...", so the summary is never empty.
 */
export function summariseKeys(value: object, budget: number = KEY_SUMMARY_BUDGET): string {
  const keys = Object.keys(value).sort();
  const first = keys[0];
  if (first === undefined) return '[object has no keys]';
  if (first.length > budget) return `${first.slice(0, budget)}...`;
  let summary = first;
  for (const key of keys.slice(1)) {
    const next = `${summary}, ${key}`;
    if (next.length > budget) break;
    summary = next;
  }
  return summary;
}

/** The name of the value's constructor, or undefined for null-prototype objects and unnamed classes. */
export function constructorName(value: object): string | undefined {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function') return undefined;
  const name: unknown = (ctor as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** `value[key]` when it is a string; undefined otherwise. */
export function readString(value: object, key: string): string | undefined {
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

/**
 * Whether a value is an Error. Checks the `toString` tag as well as `instanceof`, because errors from another realm
 * (vm contexts, worker messages, jest environments) fail `instanceof Error`.
 */
export function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const tag = Object.prototype.toString.call(value);
  return tag === '[object Error]' || tag === '[object DOMException]';
}
