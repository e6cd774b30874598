import { compileRegex } from '../regex/index.js';
import type { CompiledFilter, CompiledGroup, CompiledPropertyFilter, ExactMode } from './compiled.js';
import { parseDateFilter } from './dates.js';
import type { FilterSlots } from './filter-memo.js';
import { exactString, isBooleanLike, isTruthy } from './json.js';
import { caretRange, parseSemver, tildeRange, wildcardRange } from './semver.js';
import type { RawPropertyFilter, RawPropertyGroup } from './types.js';

/** Lower-cases ASCII letters only, as the service does for substring, prefix and suffix operators. */
export function asciiLower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Only allocate when there is something to fold, which is rare for emails and ids.
    if (c >= 0x41 && c <= 0x5a)
      return s.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32));
  }
  return s;
}

/** `String(x)` that cannot throw (objects without a prototype have no `toString`). */
export function safeString(x: unknown): string {
  if (typeof x === 'string') return x;
  try {
    return String(x);
  } catch {
    return '[object]';
  }
}

const SEMVER_COMPARISONS = new Set([
  'semver_eq',
  'semver_neq',
  'semver_gt',
  'semver_gte',
  'semver_lt',
  'semver_lte',
]);

function compileProperty(
  raw: RawPropertyFilter,
  version: number | undefined,
  slots: FilterSlots | undefined,
): CompiledPropertyFilter {
  const value = raw.value;
  const operator = raw.operator ? safeString(raw.operator) : 'exact';
  const text = safeString(value);
  let exactMode: ExactMode = 'string';
  let exactList: (string | null)[] = [];
  let lowered = asciiLower(text);
  let unsupported = false;
  let regex = null;
  let date = null;
  let semver = null;
  let semverRange = null;
  const booleanLike = isBooleanLike(value);
  switch (operator) {
    case 'exact':
    case 'is_not': {
      const items = Array.isArray(value) ? (value as unknown[]) : [value];
      const spelled = items.map((item) => exactString(item)?.toLowerCase() ?? null);
      unsupported = spelled.includes(null);
      if ((version !== 2 && booleanLike) || (Array.isArray(value) && value.length === 0))
        exactMode = 'truthy';
      else if (Array.isArray(value)) {
        exactMode = 'list';
        exactList = spelled;
      } else if (spelled[0] === null || spelled[0] === undefined) exactMode = 'unsupported';
      else lowered = spelled[0];
      break;
    }
    case 'is_set':
    case 'is_not_set':
    case 'icontains':
    case 'not_icontains':
    case 'starts_with':
    case 'not_starts_with':
    case 'ends_with':
    case 'not_ends_with':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      break;
    case 'regex':
    case 'not_regex':
      regex = compileRegex(text);
      break;
    case 'is_date_before':
    case 'is_date_after':
      date = parseDateFilter(value);
      unsupported = date.kind === 'unsupported';
      break;
    case 'semver_tilde':
    case 'semver_caret':
    case 'semver_wildcard':
      semverRange =
        operator === 'semver_tilde'
          ? tildeRange(text)
          : operator === 'semver_caret'
            ? caretRange(text)
            : wildcardRange(text);
      unsupported = semverRange === null;
      break;
    default:
      if (SEMVER_COMPARISONS.has(operator)) {
        semver = parseSemver(text);
        unsupported = semver === null;
      } else {
        unsupported = true;
      }
  }
  const compiled: Omit<CompiledPropertyFilter, 'slot'> = {
    type: 'property',
    key: safeString(raw.key),
    operator,
    raw,
    negation: raw.negation === true,
    unsupported,
    value,
    exactMode,
    booleanLike,
    exactTruthy: isTruthy(value),
    exactList,
    lowered,
    text,
    number: typeof value === 'number' ? value : Number.parseFloat(text),
    regex,
    date,
    semver,
    semverRange,
  };
  return { ...compiled, slot: slots === undefined ? -1 : slots.slotOf(compiled) };
}

/**
 * Compiles one filter. `knownFlag` says whether a dependency key can be resolved (loaded or context-filtered);
 * `slots` numbers identical property filters for the per-call memo.
 */
export function compileFilter(
  raw: RawPropertyFilter,
  version: number | undefined,
  knownFlag: (key: string) => boolean,
  slots?: FilterSlots,
): CompiledFilter {
  const negation = raw.negation === true;
  if (raw.type === 'cohort') {
    return {
      type: 'cohort',
      cohortId: safeString(raw.value),
      negate: raw.operator === 'not_in',
      negation,
      raw,
    };
  }
  if (raw.type === 'flag') {
    const chain = raw.dependency_chain;
    let problem = '';
    if (!('dependency_chain' in raw)) problem = 'missing dependency_chain';
    else if (!Array.isArray(chain)) problem = 'dependency_chain is not an array';
    else if (chain.length === 0) problem = 'empty dependency_chain (circular dependency)';
    else {
      const missing = (chain as unknown[]).find((k) => !knownFlag(safeString(k)));
      if (missing !== undefined) problem = `missing flag dependency '${safeString(missing)}'`;
    }
    return {
      type: 'flag',
      key: safeString(raw.key),
      chain: problem === '' ? (chain as unknown[]).map(safeString) : null,
      chainProblem: problem,
      expected: raw.value,
      negation,
      raw,
    };
  }
  return compileProperty(raw, version, slots);
}

/** Compiles a cohort's property group. */
export function compileGroup(
  group: RawPropertyGroup | undefined | null,
  version: number | undefined,
  knownFlag: (key: string) => boolean,
  slots?: FilterSlots,
): CompiledGroup {
  if (group === null || group === undefined || typeof group !== 'object' || Object.keys(group).length === 0) {
    return { kind: 'empty' };
  }
  const type = group.type === 'property' ? 'AND' : group.type;
  if (type !== 'AND' && type !== 'OR') return { kind: 'unsupported', groupType: safeString(group.type) };
  const kind = type === 'AND' ? 'and' : 'or';
  const values = Array.isArray(group.values) ? group.values : [];
  const first: unknown = values[0];
  if (first === undefined) return { kind, nested: null, leaves: null };
  if (typeof first === 'object' && first !== null && 'values' in first) {
    return {
      kind,
      nested: values.map((v) => compileGroup(v as RawPropertyGroup, version, knownFlag, slots)),
      leaves: null,
    };
  }
  return {
    kind,
    nested: null,
    leaves: values.map((v) => compileFilter(v as RawPropertyFilter, version, knownFlag, slots)),
  };
}
