import type {
  AllFlagsOptions,
  AllFlagsRequest,
  FlagEvaluationOptions,
  FlagRequest,
} from '../flags/client/types.js';

/** A single-flag call's arguments once its calling form is resolved. */
export interface SingleFlagArgs {
  key: string;
  distinctId: string | undefined;
  options: FlagEvaluationOptions | undefined;
}

/** An all-flags call's arguments once its calling form is resolved. */
export interface AllFlagsArgs {
  distinctId: string | undefined;
  options: AllFlagsOptions | undefined;
}

/**
 * `getFeatureFlagResult`'s three calling forms: `(key, distinctId, options?)`, posthog-node's `(key, options?)`,
 * and `({ key, distinctId?, ...options })`. A call that names no distinct id takes the request context's
 * (`withContext`), as posthog-node does; `undefined` when there is none either.
 */
export function singleFlagArgs(
  a: string | FlagRequest,
  b: string | FlagEvaluationOptions | undefined,
  c: FlagEvaluationOptions | undefined,
  contextDistinctId: () => string | undefined,
): SingleFlagArgs {
  if (typeof a !== 'string') {
    // A request object (or a bad argument, which the flag layer refuses with a logged reason).
    const request = a as Partial<FlagRequest> | undefined;
    return {
      key: request?.key as string,
      distinctId: named(request?.distinctId) ?? contextDistinctId(),
      options: request,
    };
  }
  if (typeof b === 'object' && b !== null) return { key: a, distinctId: contextDistinctId(), options: b };
  return { key: a, distinctId: named(b) ?? contextDistinctId(), options: c };
}

/**
 * `getAllFlags` / `getAllFlagsAndPayloads` / `evaluateFlags` calling forms: `(distinctId, options?)`,
 * posthog-node's `(options?)`, and `({ distinctId?, ...options })`; the distinct id falls back to the request
 * context's as in {@link singleFlagArgs}.
 */
export function allFlagsArgs(
  a: string | AllFlagsRequest | AllFlagsOptions | undefined,
  b: AllFlagsOptions | undefined,
  contextDistinctId: () => string | undefined,
): AllFlagsArgs {
  if (typeof a === 'object' && a !== null) {
    return {
      distinctId: named((a as Partial<AllFlagsRequest>).distinctId) ?? contextDistinctId(),
      options: a,
    };
  }
  return { distinctId: named(a) ?? contextDistinctId(), options: b };
}

/**
 * The distinct id a caller gave; only an absent one (`undefined`, `null`) means "use the context's". Anything
 * else, an empty string included, is passed on for the flag layer to accept or refuse with a logged reason.
 */
function named(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  // Numbers are ids elsewhere in the SDK; the flag layer reads a non-string first argument as a request object.
  return typeof value === 'number' ? String(value) : (value as string);
}
