/**
 * Value coercions for `exact` / `is_not`, matching how the flags service (Rust, serde_json) compares values.
 * JavaScript cannot tell the JSON integer `1` from `1.0`, and the service spells them differently, so any
 * integral number makes the comparison undecidable locally (`null` results below); the caller turns that into an
 * inconclusive result rather than guessing.
 */

import { isPlainObject } from '../../utils/plain-object.js';

/** `true`/`false`, `"true"`/`"false"` in any case, or an array made only of those (or empty). */
export function isBooleanLike(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    return lower === 'true' || lower === 'false';
  }
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isBooleanLike(i in value ? value[i] : null)) return false;
  return true;
}

/** Truthiness in the service's legacy sense: `true`, `"true"` in any case, or an array of only truthy items. */
export function isTruthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isTruthy(i in value ? value[i] : null)) return false;
  return true;
}

/** False for strings with an unpaired UTF-16 surrogate, which have no UTF-8 (and so no Rust) spelling. */
export function isScalarString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Whether `value` is plain JSON (finite numbers, scalar strings, plain objects/arrays, no cycles). */
export function isJsonRepresentable(value: unknown, seen?: Set<object>): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'string') return isScalarString(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (!Array.isArray(value) && !isPlainObject(value)) return false;
  const visiting = seen ?? new Set<object>();
  if (visiting.has(value)) return false;
  visiting.add(value);
  let ok = true;
  if (Array.isArray(value)) {
    for (let i = 0; ok && i < value.length; i++) if (i in value) ok = isJsonRepresentable(value[i], visiting);
  } else {
    for (const key of Object.keys(value)) {
      if (!isScalarString(key) || !isJsonRepresentable((value as Record<string, unknown>)[key], visiting)) {
        ok = false;
        break;
      }
    }
  }
  visiting.delete(value);
  return ok;
}

/** Orders object keys by Unicode code point, as Rust's BTreeMap<String, _> does. */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

/**
 * Canonical JSON with sorted keys, or null when the service's spelling cannot be reproduced (integral or
 * non-finite numbers, unpaired surrogates, non-plain objects, cycles, undefined, functions...).
 */
export function canonicalJson(value: unknown, seen?: Set<object>): string | null {
  if (value === null) return 'null';
  if (typeof value === 'string') return isScalarString(value) ? JSON.stringify(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number')
    return Number.isFinite(value) && !Number.isInteger(value) ? String(value) : null;
  if (typeof value !== 'object') return null;
  if (!Array.isArray(value) && !isPlainObject(value)) return null;
  const visiting = seen ?? new Set<object>();
  if (visiting.has(value)) return null;
  visiting.add(value);
  let out: string | null;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      const item = i in value ? canonicalJson(value[i], visiting) : 'null';
      if (item === null) {
        out = null;
        break;
      }
      out += (i > 0 ? ',' : '') + item;
    }
    if (out !== null) out += ']';
  } else {
    const keys = Object.keys(value);
    out = keys.every(isScalarString) ? '{' : null;
    if (out !== null) {
      keys.sort(compareCodePoints);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const item = canonicalJson((value as Record<string, unknown>)[key], visiting);
        if (item === null) {
          out = null;
          break;
        }
        out += (i > 0 ? ',' : '') + JSON.stringify(key) + ':' + item;
      }
      if (out !== null) out += '}';
    }
  }
  visiting.delete(value);
  return out;
}

/** The string `exact` compares (before lower-casing): strings as-is, everything else canonical JSON. */
export function exactString(value: unknown): string | null {
  if (typeof value === 'string') return isScalarString(value) ? value : null;
  return canonicalJson(value);
}
