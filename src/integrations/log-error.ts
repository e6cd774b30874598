import { coerceThrowable } from '../exceptions/coerce.js';
import { isError } from '../exceptions/describe-value.js';

/** The exception value used when a record names no error, as in the Go SDK's slog handler. */
export const NO_LINKED_ERROR = '<no linked error>';

/** Field names holding the record's error, compared case-insensitively. */
export const ERROR_FIELD_KEYS: readonly string[] = ['err', 'error'];

// Wrappers nest (`{ error: { cause: err } }`); the bound keeps a self-referencing object from looping.
const MAX_DEPTH = 5;

/**
 * The error a log record carries: the value of its `err` / `error` field (any case), unwrapped through plain
 * objects that themselves hold an `err` / `error` or a `cause`, so `{ error: { cause: new Error() } }` yields the
 * Error. Returns undefined when no such field is set.
 */
export function findLinkedError(fields: Readonly<Record<string, unknown>>): unknown {
  const direct = errorField(fields);
  return direct === undefined ? undefined : unwrap(direct, 0);
}

function errorField(fields: object): unknown {
  for (const key of Object.keys(fields)) {
    if (!ERROR_FIELD_KEYS.includes(key.toLowerCase())) continue;
    const value: unknown = (fields as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

function unwrap(value: unknown, depth: number): unknown {
  if (isError(value) || typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value;
  const inner = errorField(value) ?? (value as { cause?: unknown }).cause;
  return inner === undefined || inner === null ? value : unwrap(inner, depth + 1);
}

/**
 * The value PostHog shows for the record: the error's message (prefixed by its type when that says more than
 * `Error`), a string as is, or the SDK's description of any other value.
 */
export function describeLinkedError(linked: unknown): string {
  if (linked === undefined) return NO_LINKED_ERROR;
  if (typeof linked === 'string') return linked;
  if (typeof linked !== 'object' && typeof linked !== 'function') return String(linked);
  const coerced = coerceThrowable(linked);
  if (coerced.synthetic || coerced.type === 'Error') return coerced.value;
  return `${coerced.type}: ${coerced.value}`;
}

/**
 * An Error standing for the log record, shaped so the exception pipeline reads type = the record's message and
 * value = the linked error's description, while keeping the linked error's stack, `cause` chain and aggregate
 * members. Without a linked stack the root entry gets the logging call site's stack instead.
 */
export function logRecordThrowable(message: string, linked: unknown): Error {
  const record = new Error(describeLinkedError(linked));
  const linkedParts =
    linked !== undefined && typeof linked === 'object' ? coerceThrowable(linked) : undefined;
  record.name = message !== '' ? message : (linkedParts?.type ?? 'Log record');
  // The SDK-made Error's own stack would point into this file; the linked stack or the call site say more.
  Object.defineProperty(record, 'stack', { value: linkedParts?.stack, configurable: true, writable: true });
  if (linkedParts?.cause !== undefined) record.cause = linkedParts.cause.value;
  if (linkedParts?.members !== undefined) {
    Object.defineProperty(record, 'errors', { value: linkedParts.members, configurable: true });
  }
  return record;
}
