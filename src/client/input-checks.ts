import type { GroupsInput, PropertiesInput } from '../api/messages.js';
import { ValidationError } from '../errors/capture-errors.js';
import { normalize, UNSERIALIZABLE } from '../utils/normalize.js';
import { isPlainObject } from '../utils/plain-object.js';
import { Groups, Properties, toRecord } from './builders.js';

/*
 * Checks of caller input shared by the event drafts: ids, property maps and group maps. Each returns the value
 * to use or a ValidationError naming the field, never throws.
 */

/** A non-null object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A required distinct id or group key: a non-empty string, or a finite number as its string. */
export function requiredId(field: string, value: unknown): string | ValidationError {
  const id = optionalId(field, value);
  return id === undefined ? new ValidationError(field, 'is required') : id;
}

/**
 * Like {@link requiredId}, but absent is allowed: `undefined`, `null`, or an empty or blank string, which
 * posthog-node also reads as no id (`user?.id ?? ''` gives a personless event there, not a lost one).
 */
export function optionalId(field: string, value: unknown): string | undefined | ValidationError {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    return value.trim() === '' ? undefined : value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return new ValidationError(field, `must be a string or a number (got ${describe(value)})`);
}

/** A properties map: a plain object or a {@link Properties} builder. */
export function props(
  field: string,
  value: PropertiesInput | undefined,
): Record<string, unknown> | undefined | ValidationError {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Properties) return value.values;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Groups) {
    return new ValidationError(field, `must be a plain object (got ${describe(value)})`);
  }
  return value as Record<string, unknown>;
}

/**
 * Like {@link props}, for properties that are copied (into `$set` / `$group_set`, or merged with super
 * properties and context) rather than written as they are: a value that is not a plain object (a Map, an
 * object with `toJSON`) is normalised first, as `capture()` would write it (see {@link normalizedRecord}).
 */
export function propsRecord(
  field: string,
  value: PropertiesInput | undefined,
): Record<string, unknown> | undefined | ValidationError {
  const own = props(field, value);
  if (own === undefined || own instanceof ValidationError) return own;
  return asRecord(field, own);
}

/** `value` itself when its own keys are its JSON's (a plain object without `toJSON`), else {@link normalizedRecord}. */
export function asRecord(field: string, value: object): Record<string, unknown> | ValidationError {
  return isPlainObject(value) && typeof value.toJSON !== 'function' ? value : normalizedRecord(field, value);
}

/**
 * A properties value as the object its JSON would be, or the reason it is none: sending `{}` in its place (a
 * Date, a `toJSON` returning a string, a proxy whose traps throw) would lose every property without a word.
 */
export function normalizedRecord(field: string, value: unknown): Record<string, unknown> | ValidationError {
  const normalized = normalize(value);
  if (isPlainObject(normalized)) return normalized;
  return new ValidationError(
    field,
    normalized === UNSERIALIZABLE
      ? 'could not be read (a getter, proxy trap or toJSON threw)'
      : `must be an object once normalised (${value instanceof Date ? 'got a Date' : `toJSON returned ${describe(normalized)}`})`,
  );
}

/** A `{ groupType: groupKey }` map (or {@link Groups}); `__proto__` entries are skipped. */
export function groupRecord(
  value: GroupsInput | undefined,
): Record<string, string | number> | undefined | ValidationError {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return new ValidationError(
      'groups',
      `must be an object of { groupType: groupKey } (got ${describe(value)})`,
    );
  }
  const record = toRecord(value as Readonly<Record<string, string | number>>);
  let out: Record<string, string | number> | undefined;
  for (const type of Object.keys(record)) {
    const key = record[type];
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isFinite(key))) {
      return new ValidationError(`groups.${type}`, `must be a string or a number (got ${describe(key)})`);
    }
    if (type === '__proto__') continue;
    out ??= {};
    out[type] = key;
  }
  return out;
}

/** A short, safe description of a bad value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  const type = typeof value;
  if (type === 'string') return (value as string).length > 40 ? 'a long string' : JSON.stringify(value);
  if (type === 'object')
    return (value as object).constructor?.name ? `a ${(value as object).constructor.name}` : 'an object';
  return type;
}
