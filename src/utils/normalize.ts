/**
 * Property values are sent as JSON. `JSON.stringify` alone would throw on BigInt and cycles, and silently turn
 * a Map, Set or Error into `{}`; these helpers decide, cheaply, whether a value needs more than that, and
 * produce a JSON-safe copy when it does.
 *
 * Normalisation rules (documented in the README):
 * - `undefined`, functions and symbols are left out of objects (as JSON does) and become `null` in arrays;
 * - `NaN` and `±Infinity` become `null`; a BigInt becomes its decimal string;
 * - a Date becomes its ISO string; a Map becomes an object of its entries; a Set becomes an array;
 * - an Error becomes `{ name, message }`; objects with `toJSON` are sent as their `toJSON()` result;
 * - a repeated reference to an ancestor becomes `"[Circular]"`; nesting deeper than 64 becomes `"[Truncated]"`;
 * - `__proto__` keys are dropped, so a payload can never reach an object's prototype;
 * - a getter or `toJSON` that throws becomes `"[Unserializable]"`.
 */

/** Past this depth the fast check gives up and the slow path, which detects cycles, takes over. */
const FAST_DEPTH = 16;
const MAX_DEPTH = 64;

/** True when `value` can go straight to `JSON.stringify` and come out as the rules above say. */
export function isJsonSafe(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'bigint';
  return isJsonSafeObject(value, depth);
}

/**
 * {@link isJsonSafe} of an object. Primitive members are checked inline, without a call each: most properties
 * are strings, numbers and booleans, and this check runs on every captured event.
 */
function isJsonSafeObject(value: object, depth: number): boolean {
  if (depth > FAST_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) {
        if (!isJsonSafeObject(item, depth + 1)) return false;
      } else if (typeof item === 'bigint') return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Dates and other toJSON objects serialise themselves; Maps, Sets, Errors and class instances need care.
    return value instanceof Date;
  }
  for (const key in value) {
    if (key === '__proto__') return false;
    const item: unknown = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) {
      if (!isJsonSafeObject(item, depth + 1)) return false;
    } else if (typeof item === 'bigint') return false;
  }
  return true;
}

/** A JSON-safe copy of `value` following the rules above. */
export function normalize(value: unknown, ancestors: unknown[] = [], depth = 0): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  ancestors.push(value);
  try {
    return normalizeObject(value, ancestors, depth);
  } catch {
    return '[Unserializable]';
  } finally {
    ancestors.pop();
  }
}

function normalizeObject(value: object, ancestors: unknown[], depth: number): unknown {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
  if (Array.isArray(value)) return value.map((item) => normalizeItem(item, ancestors, depth));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) setSafe(out, String(key), normalize(item, ancestors, depth + 1));
    return out;
  }
  if (value instanceof Set) return Array.from(value, (item) => normalizeItem(item, ancestors, depth));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return normalize(toJSON.call(value), ancestors, depth + 1);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    setSafe(out, key, normalize((value as Record<string, unknown>)[key], ancestors, depth + 1));
  }
  return out;
}

function normalizeItem(item: unknown, ancestors: unknown[], depth: number): unknown {
  const normalized = normalize(item, ancestors, depth + 1);
  // JSON turns these into null inside arrays; doing it here keeps positions stable and explicit.
  return normalized === undefined || typeof normalized === 'function' || typeof normalized === 'symbol'
    ? null
    : normalized;
}

function setSafe(target: Record<string, unknown>, key: string, value: unknown): void {
  if (
    key === '__proto__' ||
    value === undefined ||
    typeof value === 'function' ||
    typeof value === 'symbol'
  ) {
    return;
  }
  target[key] = value;
}

/**
 * `JSON.stringify(value)` for a value already made JSON-safe, or for one that passed {@link isJsonSafe}; falls
 * back to normalising when a getter or `toJSON` throws during serialisation.
 */
export function stringifySafe(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(normalize(value));
  }
}
