import { asciiLower, safeString } from './compile-filter.js';
import type { CompiledPropertyFilter } from './compiled.js';
import { resolveDateFilter, toEpochMs } from './dates.js';
import { exactString, isJsonRepresentable, isTruthy } from './json.js';
import { FALSE, isInconclusive, MISSING, type Outcome, REGEX, TRUE, UNSUPPORTED } from './outcome.js';
import { compareSemver, parseSemver } from './semver.js';
import { type EvalState, hasOwn, type Props } from './state.js';

/** Operators that compare a null property as the string "null" (like the flags service); others are false on null. */
const NULL_AS_STRING = new Set([
  'exact',
  'is_not',
  'icontains',
  'not_icontains',
  'starts_with',
  'not_starts_with',
  'ends_with',
  'not_ends_with',
  'regex',
  'not_regex',
]);

const bool = (b: boolean): Outcome => (b ? TRUE : FALSE);

/**
 * A context value the operator cannot use: the context is at fault (missing_context) unless the filter itself is
 * unusable, which outranks it.
 */
function contextError(f: CompiledPropertyFilter, state: EvalState, why: string): Outcome {
  return f.unsupported
    ? state.note(UNSUPPORTED, `filter on '${f.key}' (${f.operator}) cannot be evaluated locally`)
    : state.note(MISSING, `property '${f.key}' ${why}`);
}

function exactMatch(f: CompiledPropertyFilter, actual: unknown, state: EvalState): Outcome {
  switch (f.exactMode) {
    case 'truthy':
      if (!isJsonRepresentable(actual)) return contextError(f, state, 'is not plain JSON');
      return bool(f.exactTruthy === isTruthy(actual));
    case 'unsupported':
      return state.note(
        UNSUPPORTED,
        `exact value of '${f.key}' cannot be compared like the server (integer?)`,
      );
    default:
  }
  if (typeof actual === 'number' && f.booleanLike && state.defs.propertyMatchingVersion === 2) {
    // No spelling of a number equals a boolean-like filter: a definite mismatch, unless it is not JSON at all.
    return Number.isFinite(actual) ? FALSE : contextError(f, state, 'is not a finite number');
  }
  const spelled = exactString(actual);
  if (spelled === null)
    return contextError(f, state, 'cannot be compared like the server (integer, non-JSON)');
  const lower = spelled.toLowerCase();
  if (f.exactMode === 'string') return bool(lower === f.lowered);
  for (const item of f.exactList) {
    if (item === null)
      return state.note(UNSUPPORTED, `exact list of '${f.key}' has an item the server spells differently`);
    if (item === lower) return TRUE;
  }
  return FALSE;
}

function compareOrdered(op: string, a: number | string, b: number | string): boolean {
  switch (op) {
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    default:
      return a <= b;
  }
}

/**
 * Matches one person/group property filter against a property map. `implicitKey`/`implicitValue` is the
 * property the reference SDK adds to every map (`distinct_id` for persons, `$group_key` for groups) without
 * building a merged copy; an own property of the same name wins.
 */
export function matchPropertyFilter(
  f: CompiledPropertyFilter,
  props: Props,
  implicitKey: string,
  implicitValue: unknown,
  state: EvalState,
): Outcome {
  let actual: unknown;
  if (hasOwn(props, f.key)) actual = props[f.key];
  else if (f.key === implicitKey) actual = implicitValue;
  else return contextError(f, state, 'was not provided');
  const op = f.operator;
  if (op === 'is_not_set') return FALSE;
  if (op === 'is_set') return TRUE;
  if (actual === undefined) return state.note(UNSUPPORTED, `property '${f.key}' is undefined`);
  if (actual === null && !NULL_AS_STRING.has(op)) return FALSE;
  switch (op) {
    case 'exact':
      return exactMatch(f, actual, state);
    case 'is_not': {
      const r = exactMatch(f, actual, state);
      return isInconclusive(r) ? r : r ^ 1;
    }
    case 'icontains':
      return bool(asciiLower(safeString(actual)).includes(f.lowered));
    case 'not_icontains':
      return bool(!asciiLower(safeString(actual)).includes(f.lowered));
    case 'starts_with':
      return bool(asciiLower(safeString(actual)).startsWith(f.lowered));
    case 'not_starts_with':
      return bool(!asciiLower(safeString(actual)).startsWith(f.lowered));
    case 'ends_with':
      return bool(asciiLower(safeString(actual)).endsWith(f.lowered));
    case 'not_ends_with':
      return bool(!asciiLower(safeString(actual)).endsWith(f.lowered));
    case 'regex':
    case 'not_regex': {
      const re = f.regex;
      if (re === null) return FALSE;
      if (re.kind !== 'ok') {
        if (re.kind === 'invalid') return FALSE;
        return state.note(UNSUPPORTED | REGEX, `regex needs the server: ${re.detail}`);
      }
      const m = re.test(safeString(actual));
      if (m === null) return state.note(UNSUPPORTED | REGEX, `value of '${f.key}' is not ASCII (or has \\r)`);
      return bool(op === 'regex' ? m : !m);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = typeof actual === 'number' ? actual : Number.parseFloat(safeString(actual));
      if (Number.isFinite(n) && Number.isFinite(f.number)) return bool(compareOrdered(op, n, f.number));
      return bool(compareOrdered(op, safeString(actual), f.text));
    }
    case 'is_date_before':
    case 'is_date_after': {
      if (f.date === null || f.unsupported)
        return state.note(UNSUPPORTED, `date filter on '${f.key}' is not a date`);
      const ms = toEpochMs(actual);
      if (Number.isNaN(ms) && !(actual instanceof Date)) return contextError(f, state, 'is not a date');
      const target = resolveDateFilter(f.date, state.ctx.now);
      return bool(op === 'is_date_before' ? ms < target : ms > target);
    }
    default:
      return matchSemver(f, actual, state);
  }
}

function matchSemver(f: CompiledPropertyFilter, actual: unknown, state: EvalState): Outcome {
  if (f.unsupported)
    return state.note(UNSUPPORTED, `filter on '${f.key}' (${f.operator}) cannot be evaluated locally`);
  const v = parseSemver(safeString(actual));
  if (v === null) return contextError(f, state, 'is not a version');
  const range = f.semverRange;
  if (range !== null) return bool(compareSemver(v, range.lower) >= 0 && compareSemver(v, range.upper) < 0);
  const c = compareSemver(v, f.semver ?? [0, 0, 0]);
  switch (f.operator) {
    case 'semver_eq':
      return bool(c === 0);
    case 'semver_neq':
      return bool(c !== 0);
    case 'semver_gt':
      return bool(c > 0);
    case 'semver_gte':
      return bool(c >= 0);
    case 'semver_lt':
      return bool(c < 0);
    default:
      return bool(c <= 0);
  }
}
