/**
 * Filters for the broad generator (fuzz-defs.ts): person and group filters with every operator (and misspelt or
 * missing ones), cohort references (numeric ids, `in` / `not_in` / `exact`, negation), flag dependencies with
 * transitive, partial, reversed and bogus chains, and nested cohort groups with negated leaves.
 */
import { KEYS } from './fuzz-context.js';
import {
  ARRAYS,
  anyValue,
  DATES,
  int,
  NUMSTR,
  pool,
  RELATIVE,
  randomRegex,
  SEMVERS,
  STR,
} from './fuzz-values.js';
import { chance, pick, type Rnd } from './random-defs.js';

export type Obj = Record<string, unknown>;
/** Flag key to the flag keys it depends on, for transitive dependency chains. */
export type Deps = Record<string, string[]>;

const OPERATORS: unknown[] = [
  ...pool('exact is_not icontains not_icontains starts_with not_starts_with ends_with not_ends_with regex'),
  ...pool('not_regex gt gte lt lte is_set is_not_set is_date_before is_date_after is_date_exact semver_eq'),
  ...pool('semver_neq semver_gt semver_gte semver_lt semver_lte semver_tilde semver_caret semver_wildcard'),
  ...['in', 'not_in', 'flag_evaluates_to', 'IS_SET', 'Exact', '', null, undefined, undefined, undefined],
];

function filterValue(r: Rnd, op: unknown): unknown {
  if (chance(r, 0.15)) return anyValue(r);
  const o = typeof op === 'string' ? op.toLowerCase() : '';
  if (o.endsWith('regex')) return randomRegex(r);
  if (o.startsWith('semver')) return pick(r, SEMVERS);
  if (o.startsWith('is_date')) return chance(r, 0.5) ? pick(r, RELATIVE) : pick(r, DATES);
  if (/^[gl]te?$/.test(o)) return pick(r, NUMSTR);
  if (o === 'in' || o === 'not_in') return pick(r, ARRAYS);
  if (o === 'exact' || o === 'is_not' || o === '') return chance(r, 0.3) ? pick(r, ARRAYS) : anyValue(r);
  return pick(r, STR);
}

function propertyFilter(r: Rnd): Obj {
  const operator = pick(r, OPERATORS);
  const f: Obj = { key: pick(r, KEYS) };
  if (!chance(r, 0.05)) f.value = filterValue(r, operator);
  const t = r();
  if (t < 0.6) f.type = 'person';
  else if (t < 0.8) Object.assign(f, { type: 'group', group_type_index: pick(r, [0, 1]) });
  else if (t > 0.9) f.type = pick(r, ['event', 'element', 'person']);
  if (operator !== undefined) f.operator = operator;
  if (chance(r, 0.08)) f.negation = true;
  return f;
}

function cohortFilter(r: Rnd, ids: readonly string[]): Obj {
  const id = pick(r, ids);
  const f: Obj = { key: 'id', type: 'cohort', value: chance(r, 0.3) && id !== '404' ? Number(id) : id };
  const o = r();
  if (o < 0.55) f.operator = o < 0.3 ? 'not_in' : o < 0.5 ? 'in' : 'exact';
  if (chance(r, 0.1)) f.negation = true;
  return f;
}

function transitiveChain(key: string, deps: Deps, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const out: string[] = [];
  for (const d of deps[key] ?? [])
    for (const k of transitiveChain(d, deps, seen)) if (!out.includes(k)) out.push(k);
  out.push(key);
  return out;
}

function flagFilter(r: Rnd, candidates: readonly string[], deps: Deps, self: string): Obj {
  const dep = pick(r, candidates);
  deps[self] = [...(deps[self] ?? []), dep];
  const value = pick(r, [true, true, false, 'control', 'test', 'v2', '', 3, null, 'true']);
  const f: Obj = { key: dep, type: 'flag', value };
  if (chance(r, 0.9)) f.operator = 'flag_evaluates_to';
  const chain = transitiveChain(dep, deps);
  const c = r();
  if (c < 0.6) f.dependency_chain = chain;
  else if (c < 0.96)
    f.dependency_chain = pick(r, [[dep], [dep], [dep], [dep], [], [dep, 'ghost'], dep, [...chain].reverse()]);
  if (chance(r, 0.05)) f.negation = true;
  return f;
}

/** Where a filter may point: cohort ids, earlier flag keys, and the dependency graph so far. */
export interface Scope {
  cohorts: readonly string[];
  flags: readonly string[];
  deps: Deps;
  self: string;
}

/** A filter: a cohort, a flag dependency or a property. */
export function leaf(r: Rnd, s: Scope): Obj {
  const roll = r();
  if (roll < 0.12 && s.cohorts.length > 0) return cohortFilter(r, s.cohorts);
  if (roll < 0.22 && s.flags.length > 0) return flagFilter(r, s.flags, s.deps, s.self);
  return propertyFilter(r);
}

/** A cohort definition: nested AND / OR groups (down to depth 2) of filters. */
export function cohortGroup(r: Rnd, depth: number, s: Scope): Obj {
  if (chance(r, 0.06)) return {};
  const type = pick(r, ['AND', 'OR', 'OR', 'AND', 'property', 'XOR', undefined]);
  const g: Obj = type === undefined ? {} : { type };
  const nested = depth < 2 && chance(r, 0.45);
  const values = Array.from({ length: int(r, 4) }, () => {
    if (nested) return cohortGroup(r, depth + 1, s);
    const l = leaf(r, s);
    if (chance(r, 0.25)) l.negation = true;
    return l;
  });
  if (chance(r, nested ? 0.07 : 0.05)) values.push(nested ? leaf(r, s) : { type: 'AND', values: [] });
  g.values = values;
  return g;
}
