/**
 * Operator-focused generator for differential-fuzz.test.ts: every flag has one condition with one or two person
 * filters on keys the contexts usually hold, with (filter value, property value) pairs chosen for the operator
 * (case and type variants for `exact`, random regexes and subjects, semver and date spellings, numbers as
 * strings), so operators are decided locally far more often than with the broad generator.
 */
import {
  ARRAYS,
  anyValue,
  DATES,
  int,
  NUMSTR,
  RELATIVE,
  randomRegex,
  regexSubject,
  SEMVERS,
  STR,
} from './fuzz-values.js';
import { chance, pick, type RandomContext, type Rnd } from './random-defs.js';

const OPERATORS = [
  ...['exact', 'is_not', 'icontains', 'not_icontains', 'starts_with', 'not_starts_with', 'ends_with'],
  ...['not_ends_with', 'regex', 'not_regex', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte', 'is_set'],
  ...['is_not_set', 'is_date_before', 'is_date_after', 'is_date_before', 'is_date_after', 'is_date_exact'],
  ...['semver_eq', 'semver_neq', 'semver_gt', 'semver_gte', 'semver_lt', 'semver_lte', 'semver_tilde'],
  ...['semver_caret', 'semver_wildcard', 'in', 'not_in', undefined, 'exact', 'is_not'],
];

/** A (filter value, property value) pair suited to the operator; sometimes deliberately of the wrong kind. */
function pair(r: Rnd, op: string): [unknown, unknown] {
  const cross = chance(r, 0.12);
  const usually = (p: number, pool: readonly unknown[]): unknown =>
    chance(r, p) ? pick(r, pool) : anyValue(r);
  if (op.endsWith('regex')) return [cross ? anyValue(r) : randomRegex(r), regexSubject(r)];
  if (op.startsWith('semver')) return [cross ? anyValue(r) : pick(r, SEMVERS), usually(0.85, SEMVERS)];
  if (op.startsWith('is_date')) {
    const v = cross ? anyValue(r) : pick(r, chance(r, 0.5) ? RELATIVE : DATES);
    return [v, usually(0.85, DATES)];
  }
  if (/^[gl]te?$/.test(op)) return [pick(r, NUMSTR), usually(0.8, NUMSTR)];
  if (op === 'exact' || op === 'is_not') {
    const v = chance(r, 0.3) ? pick(r, ARRAYS) : anyValue(r);
    if (typeof v !== 'string' || !chance(r, 0.4)) return [v, anyValue(r)];
    return [v, pick(r, [v, v.toUpperCase(), v.toLowerCase(), ` ${v}`])];
  }
  const v = usually(0.8, STR);
  if (typeof v !== 'string' || !chance(r, 0.5)) return [v, anyValue(r)];
  return [v, pick(r, [`x${v}y`, v.toUpperCase(), `${v}!`, `!${v}`, v])];
}

/** Definitions with matching context properties; contexts drop each property with probability 0.05. */
export function fuzzOperators(r: Rnd): {
  definitions: Record<string, unknown>;
  context: (r: Rnd, i: number) => RandomContext;
} {
  const props: Record<string, unknown> = {};
  const flags = Array.from({ length: 4 + int(r, 12) }, (_, i) => {
    const filters = Array.from({ length: chance(r, 0.3) ? 2 : 1 }, (_, j) => {
      const operator = pick(r, OPERATORS);
      const key = `k${i}_${j}`;
      const [value, prop] = pair(r, operator ?? 'exact');
      if (chance(r, 0.93)) props[key] = prop;
      return { key, type: 'person', value, ...(operator === undefined ? {} : { operator }) };
    });
    const groups = [{ properties: filters, rollout_percentage: pick(r, [100, 100, null, 50]) }];
    if (chance(r, 0.2)) groups.push({ properties: [], rollout_percentage: pick(r, [0, 30]) });
    const variants = ['control', 'test'].map((key) => ({ key, rollout_percentage: 50 }));
    const multivariate = chance(r, 0.2) ? { multivariate: { variants } } : {};
    const payloads = { true: JSON.stringify({ i }), control: '"c"', test: '0' };
    return { id: i + 1, key: `f${i}`, active: true, filters: { groups, payloads, ...multivariate } };
  });
  const definitions = { flags, group_type_mapping: { '0': 'company' }, cohorts: {} };
  if (chance(r, 0.5)) Object.assign(definitions, { property_matching_version: 2 });
  const context = (rc: Rnd, i: number): RandomContext => ({
    distinctId: `u-${i}`,
    groups: {},
    groupProperties: {},
    personProperties: Object.fromEntries(Object.entries(props).filter(() => rc() > 0.05)),
  });
  return { definitions, context };
}
