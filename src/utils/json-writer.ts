import { checkArrayLength, MAX_ANY_EVENT_BYTES, TooLargeToSendError } from './array-limit.js';
import { ESCAPED, jsonString } from './json-string.js';
import { isPlainObject } from './plain-object.js';

/**
 * JSON text of an event's properties, written here instead of by `JSON.stringify` because this runs on every
 * captured event and property names repeat from one event to the next: with their JSON text remembered, the
 * benchmark's 8-property object takes about 0.6 of `JSON.stringify`'s time on Node 20 (`npm run bench:json`).
 *
 * It writes what `JSON.stringify` writes, and only where that already follows the normalisation rules (see
 * normalize.ts): plain objects, arrays, strings, numbers, booleans, null and Dates. For anything else (a Map,
 * Set, Error, BigInt, class instance, other `toJSON` object, `__proto__` key, deep or circular nesting, a
 * throwing getter) it returns undefined and the caller normalises the value first.
 *
 * `tail` closes the object: `}`, or more members and the brace (`,"$lib":"posthog-ts"}`), so that the library
 * properties are appended to the text without one more concatenation.
 */
export function writeProperties(properties: unknown, tail = '}'): string | undefined {
  if (typeof properties !== 'object' || properties === null || polluted()) return undefined;
  try {
    // Inside the try: a proxy's traps or a `toJSON` getter may throw, and a capture call must not.
    if (!isPlainObject(properties) || typeof (properties as { toJSON?: unknown }).toJSON === 'function')
      return undefined;
    const open = members(properties as Record<string, unknown>, 1);
    // A getter may have polluted Object.prototype while we wrote; for-in would then have listed its keys.
    if (polluted()) return undefined;
    if (open.length > 1) return open + tail;
    return tail === '}' ? '{}' : `{${tail.slice(1)}`;
  } catch (error) {
    if (error instanceof TooLargeToSendError) throw error; // no normalising makes that event fit
    // UNSUPPORTED, or a getter threw (the normalising path records that as "[Unserializable]").
    return undefined;
  }
}

/** An enumerable property on Object.prototype shows up in for-in (used below) but never in JSON. */
function polluted(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/** Thrown (and caught in {@link writeProperties}) when a value needs normalising first. */
const UNSUPPORTED: unique symbol = Symbol('unsupported');

/** Dates whose JSON is Date's own: a subclass's `toJSON` may depend on the key, which this writer does not pass. */
const dateToJSON = Date.prototype.toJSON;

/** Past this depth the normalising path, which detects cycles, takes over. */
const MAX_DEPTH = 16;

/**
 * A property name's JSON text as the first member of an object (`{"name":`) and as a later one (`,"name":`), and
 * the same with the opening quote of a string value (`{"name":"`, `,"name":"`).
 */
interface Name {
  first: string;
  next: string;
  firstString: string;
  nextString: string;
}

/** Property names seen recently: a service sends the same few over and over. */
const names = new Map<string, Name>();
/** Bounds the cache for a service whose property names are unbounded (ids used as keys, usually). */
const MAX_NAMES = 4096;

/**
 * A plain object's JSON without its closing brace. Each member costs two or three concatenations (the name with
 * its separator, and for a string its opening quote, come from the cache), which matters because the queue later
 * flattens the result piece by piece.
 */
function members(object: Record<string, unknown>, depth: number): string {
  let out = '{';
  let empty = true;
  for (const key in object) {
    const item = object[key];
    // The common members (a string with nothing to escape, a finite number, a boolean, null) and the cached name
    // are read here rather than through needsEscaping(), value() and nameOf(): for the first thousands of events
    // of a fresh process this runs interpreted, where each call costs about as much as the member's own work.
    if (typeof item === 'string' && !ESCAPED.test(item)) {
      // The value goes between the cached `"name":"` and its closing quote: one piece less per string member
      // than quoting it first, and fewer pieces for the queue to flatten.
      const name = names.get(key) ?? nameOf(key);
      out = (empty ? name.firstString : out + name.nextString) + item + '"';
      empty = false;
      continue;
    }
    let text: string;
    if (typeof item === 'number' && Number.isFinite(item)) text = String(item);
    else if (typeof item === 'boolean') text = item ? 'true' : 'false';
    else if (item === null) text = 'null';
    else text = value(item, depth);
    if (text === '') continue; // undefined, a function or a symbol: JSON leaves the member out
    const name = names.get(key) ?? nameOf(key);
    if (empty) {
      out = name.first + text;
      empty = false;
    } else out = out + name.next + text;
  }
  return out;
}

/** A name's cached JSON, made on a miss; `__proto__` is left to the normalising path. */
function nameOf(key: string): Name {
  let name = names.get(key);
  if (name === undefined) {
    if (key === '__proto__') throw UNSUPPORTED;
    if (names.size >= MAX_NAMES) names.clear();
    const json = `${jsonString(key)}:`;
    name = { first: `{${json}`, next: `,${json}`, firstString: `{${json}"`, nextString: `,${json}"` };
    names.set(key, name);
  }
  return name;
}

/** JSON of one value; `''` for what JSON leaves out of objects (and writes as null in arrays). */
function value(item: unknown, depth: number): string {
  switch (typeof item) {
    case 'string':
      return jsonString(item);
    case 'number':
      return Number.isFinite(item) ? String(item) : 'null';
    case 'boolean':
      return item ? 'true' : 'false';
    case 'object':
      return item === null ? 'null' : container(item, depth);
    case 'bigint':
      throw UNSUPPORTED;
    default:
      return '';
  }
}

function container(item: object, depth: number): string {
  if (depth >= MAX_DEPTH) throw UNSUPPORTED;
  if (typeof (item as { toJSON?: unknown }).toJSON === 'function') {
    if ((item as Date).toJSON !== dateToJSON || !(item instanceof Date)) throw UNSUPPORTED;
    return JSON.stringify(item) ?? ''; // its ISO string, or null for an invalid Date
  }
  if (Array.isArray(item)) {
    let out = '[';
    // Length read once, as JSON.stringify does: a getter that grows the array must not make this loop endless.
    const length = item.length;
    checkArrayLength(length);
    for (let i = 0; i < length; i++) {
      const text = value(item[i], depth + 1);
      out += (i === 0 ? '' : ',') + (text === '' ? 'null' : text);
    }
    out += ']';
    // Checked in place, not through a call: this runs for every nested value of every event.
    if (out.length > MAX_ANY_EVENT_BYTES) tooLarge(out.length);
    return out;
  }
  if (!isPlainObject(item)) throw UNSUPPORTED;
  const text = members(item as Record<string, unknown>, depth + 1) + '}';
  if (text.length > MAX_ANY_EVENT_BYTES) tooLarge(text.length);
  return text;
}

/**
 * Refuses a nested value as soon as its JSON is longer than any event PostHog accepts (a UTF-16 unit is at least
 * one byte). Checked as each container closes, so a value that references one object at every level, whose JSON
 * doubles with each level, costs about twice the limit's work before it is refused, not every path's.
 */
function tooLarge(length: number): never {
  throw new TooLargeToSendError(length, 'a property value is larger than any event PostHog accepts');
}
