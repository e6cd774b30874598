/**
 * Property values are sent as JSON. `JSON.stringify` alone would throw on BigInt and cycles, and silently turn
 * a Map, Set or Error into `{}`. json-writer.ts writes the values that need nothing more than JSON directly;
 * for any other value, {@link normalize} makes a JSON-safe copy first.
 *
 * Normalisation rules (documented in the README):
 * - `undefined`, functions and symbols are left out of objects (as JSON does) and become `null` in arrays;
 * - `NaN` and `±Infinity` become `null`; a BigInt becomes its decimal string;
 * - a Date becomes its ISO string; a Map becomes an object of its entries; a Set becomes an array;
 * - a boxed primitive (`new String('a')`, `new Number(1)`, `Object(1n)`) becomes its primitive, as JSON does;
 * - an Error becomes `{ name, message }`; objects with `toJSON` are sent as their `toJSON()` result;
 * - a repeated reference to an ancestor becomes `"[Circular]"`; nesting deeper than 64 becomes `"[Truncated]"`;
 * - `__proto__` keys are dropped, so a payload can never reach an object's prototype;
 * - a getter or `toJSON` that throws becomes `"[Unserializable]"`.
 */

import { checkArrayLength, MAX_VALUE_NODES, TooLargeToSendError } from './array-limit.js';

const MAX_DEPTH = 64;

/** Objects and arrays visited by the current top-level {@link normalize} call (it runs to completion, synchronously). */
let nodes = 0;

/** What a value that throws when read becomes. */
export const UNSERIALIZABLE = '[Unserializable]';

/** A JSON-safe copy of `value` following the rules above. */
export function normalize(value: unknown, ancestors: unknown[] = [], depth = 0): unknown {
  if (depth === 0) nodes = 0;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (++nodes > MAX_VALUE_NODES) {
    throw new TooLargeToSendError(
      3 * MAX_VALUE_NODES,
      `a value holding more than ${MAX_VALUE_NODES} objects and arrays is larger than an event PostHog accepts`,
    );
  }
  ancestors.push(value);
  try {
    return normalizeObject(value, ancestors, depth);
  } catch (error) {
    if (error instanceof TooLargeToSendError) throw error; // the event is too large, not just this value
    return UNSERIALIZABLE;
  } finally {
    ancestors.pop();
  }
}

function normalizeObject(value: object, ancestors: unknown[], depth: number): unknown {
  if (
    value instanceof String ||
    value instanceof Number ||
    value instanceof Boolean ||
    value instanceof BigInt
  ) {
    return normalize(value.valueOf(), ancestors, depth);
  }
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : null;
  if (Array.isArray(value)) {
    checkArrayLength(value.length);
    return value.map((item) => normalizeItem(item, ancestors, depth));
  }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) setSafe(out, String(key), normalize(item, ancestors, depth + 1));
    return out;
  }
  if (value instanceof Set) {
    checkArrayLength(value.size);
    return Array.from(value, (item) => normalizeItem(item, ancestors, depth));
  }
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
