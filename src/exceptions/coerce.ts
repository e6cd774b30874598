import { constructorName, isError, readString, summariseKeys } from './describe-value.js';

/** A thrown value read into the parts of one `$exception_list` entry, before its stack is parsed. */
export interface CoercedException {
  /** The issue title: the error's name, e.g. `TypeError`. */
  type: string;
  /** The issue description: the message, or a description of a non-Error value. */
  value: string;
  /** The value's own V8 stack string, when it has one. */
  stack?: string;
  /** True when the type and message were made up by the SDK because the value was not an `Error`. */
  synthetic: boolean;
  /** The Error the entry was read from; used to stop at cycles in `cause` chains. */
  identity?: object;
  /** The `cause` to follow next, when the error has one. */
  cause?: { value: unknown };
  /** `AggregateError.errors`, when present. */
  members?: readonly unknown[];
}

// The runtime's own prefixes: "Uncaught [exception: ]" from REPLs and inspectors, then an optional "XxxError: ".
const ERROR_STRING = /^(?:Uncaught (?:exception: )?)?(?:((?:[A-Za-z_$][\w$]*)?Error): )?([\s\S]*)$/;

/**
 * Reads any thrown value into a {@link CoercedException}: Errors (including cross-realm ones and DOMException),
 * objects holding an Error, other objects, strings, primitives and functions. Never throws: a value whose getters
 * throw becomes `Error: Unknown error`.
 */
export function coerceThrowable(thrown: unknown): CoercedException {
  try {
    if (isError(thrown)) return coerceError(thrown);
    if (typeof thrown === 'string') return coerceString(thrown);
    if (typeof thrown === 'function') {
      // String(fn) would send the whole source text, so only the name is used.
      const name = readString(thrown, 'name');
      return synthetic(
        'Error',
        `Function captured as exception: ${name === undefined || name === '' ? 'anonymous' : name}`,
      );
    }
    if (typeof thrown === 'object' && thrown !== null) return coerceObject(thrown);
    return synthetic('Error', `Primitive value captured as exception: ${String(thrown)}`);
  } catch {
    return synthetic('Error', 'Unknown error');
  }
}

function coerceError(error: Error): CoercedException {
  const out: CoercedException = {
    type: errorType(error),
    value: errorMessage(error),
    synthetic: false,
    identity: error,
  };
  const stack = readStack(error);
  if (stack !== undefined) out.stack = stack;
  // A falsy cause (`{ cause: null }`) says there is none, as posthog-node reads it.
  if ('cause' in error && error.cause) out.cause = { value: error.cause };
  const members: unknown = (error as { errors?: unknown }).errors;
  if (Array.isArray(members)) out.members = members;
  return out;
}

function errorType(error: Error): string {
  const name = readString(error, 'name');
  const ctor = constructorName(error);
  // A subclass that never set `name` inherits "Error"; its class name says more (`class NotFound extends Error`).
  if (name === undefined || name === '' || (name === 'Error' && ctor !== undefined)) return ctor ?? 'Error';
  return name;
}

/** The stack string; a getter that throws costs the stack only, not the type and message read before it. */
function readStack(error: Error): string | undefined {
  try {
    return readString(error, 'stacktrace') ?? readString(error, 'stack');
  } catch {
    return undefined;
  }
}

function errorMessage(error: Error): string {
  const message: unknown = (error as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (message === undefined || message === null) return '';
  // Some HTTP clients put the response body in `message`: `{ error: { message } }`.
  const nested: unknown = (message as { error?: { message?: unknown } }).error?.message;
  if (typeof nested === 'string') return nested;
  return typeof message === 'object' ? JSON.stringify(message) : String(message);
}

function coerceString(text: string): CoercedException {
  const match = ERROR_STRING.exec(text);
  return synthetic(match?.[1] ?? 'Error', match?.[2] ?? text);
}

function coerceObject(value: object): CoercedException {
  if (typeof Event === 'function' && value instanceof Event) {
    const ctor = constructorName(value) ?? 'Event';
    return synthetic(ctor, `${ctor} captured as exception with keys: ${summariseKeys(value)}`);
  }
  // Wrappers like `{ error }` or `{ err, req }` are reported as the Error they carry.
  for (const key of Object.keys(value)) {
    const field: unknown = (value as Record<string, unknown>)[key];
    if (isError(field)) return coerceError(field);
  }
  const name = nonEmpty(readString(value, 'name'));
  const message = nonEmpty(readString(value, 'message'));
  const out = synthetic(name ?? 'Error', objectDescription(value, name, message));
  // Errors serialised across workers or processes arrive as plain objects that still carry their stack.
  const stack = readString(value, 'stack');
  if (stack !== undefined) out.stack = stack;
  return out;
}

function objectDescription(value: object, name: string | undefined, message: string | undefined): string {
  if (name !== undefined && message !== undefined) {
    return `'${name}' captured as exception with message: '${message}'`;
  }
  if (message !== undefined) return message;
  if (name !== undefined) return `'${name}' captured as exception`;
  const ctor = constructorName(value);
  const label = ctor === undefined || ctor === 'Object' ? 'Object' : `'${ctor}'`;
  return `${label} captured as exception with keys: ${summariseKeys(value)}`;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

function synthetic(type: string, value: string): CoercedException {
  return { type, value, synthetic: true };
}
