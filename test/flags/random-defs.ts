/** Seeded generators of random flag definitions and evaluation contexts for differential tests. */

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A source of uniform numbers in [0, 1). */
export type Rnd = () => number;
export const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
export const chance = (r: Rnd, p: number): boolean => r() < p;

const KEYS = [
  'email',
  'age',
  'plan',
  'version',
  'signup',
  'name',
  'score',
  'tags',
  'distinct_id',
  '$group_key',
  'nope',
];
const OPERATORS = [
  'exact',
  'is_not',
  'is_set',
  'is_not_set',
  'icontains',
  'not_icontains',
  'starts_with',
  'not_starts_with',
  'ends_with',
  'not_ends_with',
  'regex',
  'not_regex',
  'gt',
  'gte',
  'lt',
  'lte',
  'is_date_before',
  'is_date_after',
  'semver_eq',
  'semver_neq',
  'semver_gt',
  'semver_gte',
  'semver_lt',
  'semver_lte',
  'semver_tilde',
  'semver_caret',
  'semver_wildcard',
  'bogus_op',
  undefined,
] as const;
const STRINGS = [
  'pro',
  'Pro',
  'free',
  'a@example.com',
  'A@EXAMPLE.COM',
  'true',
  'FALSE',
  '1.2.3',
  'v2.0',
  '1.10',
  '01.2',
  '2024-01-01',
  '2030-06-01T00:00:00Z',
  '-3d',
  '12m',
  '1y',
  'héllo',
  '',
  'null',
  '10',
  '9.5',
  'abc',
  'x\ry',
];
const REGEXES = [
  '^pro$',
  'example\\.com$',
  '(a+)+$',
  '[0-9]+',
  '^\\d+\\.\\d+',
  '(?i)pro',
  '\\bpro',
  'a{2,}',
  '[',
  'p(r|x)o',
  '',
  '[\\w-]+@',
  '^$',
  '.*',
  'é',
  '[^a-z]',
];

function scalar(r: Rnd): unknown {
  switch (Math.floor(r() * 9)) {
    case 0:
      return pick(r, [0, 1, 5, 42, -3]);
    case 1:
      return pick(r, [1.5, 9.75, -0.25, 2.5]);
    case 2:
      return pick(r, [true, false]);
    case 3:
      return null;
    case 4:
      return [pick(r, STRINGS), pick(r, STRINGS)];
    default:
      return pick(r, STRINGS);
  }
}

function filterValue(r: Rnd, op: string | undefined): unknown {
  if (chance(r, 0.15)) return scalar(r);
  if (op === 'regex' || op === 'not_regex') return pick(r, REGEXES);
  if (op?.startsWith('semver'))
    return pick(r, ['1.2.3', '1.2', '2', '0.1.0', '0.0.3', '1.*', '1.2.*', 'v1.0.0', '1.02', 'x']);
  if (op?.startsWith('is_date'))
    return pick(r, [
      '-7d',
      '2024-06-01',
      '1h',
      '-2w',
      '3m',
      '-1y',
      'not a date',
      '2020-01-01T00:00:00Z',
      true,
    ]);
  if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return pick(r, [10, '10', 2.5, 'm', '1e3']);
  return scalar(r);
}

function propertyFilter(
  r: Rnd,
  flagCount: number,
  selfIndex: number,
  cohortIds: readonly string[],
): Record<string, unknown> {
  const roll = r();
  if (roll < 0.08 && cohortIds.length > 0) {
    return {
      key: 'id',
      type: 'cohort',
      value: pick(r, cohortIds),
      ...(chance(r, 0.3) ? { operator: 'not_in' } : {}),
    };
  }
  if (roll < 0.16 && selfIndex > 0) {
    const dep = `f${Math.floor(r() * selfIndex)}`;
    const f: Record<string, unknown> = {
      key: dep,
      type: 'flag',
      operator: 'flag_evaluates_to',
      value: pick(r, [true, false, 'v0', 'v1', 3]),
    };
    const c = r();
    if (c < 0.85) f.dependency_chain = [dep];
    else if (c < 0.9) f.dependency_chain = [];
    else if (c < 0.95) f.dependency_chain = ['ghost'];
    return f;
  }
  void flagCount;
  const operator = pick(r, OPERATORS);
  const f: Record<string, unknown> = {
    key: pick(r, KEYS),
    type: pick(r, ['person', 'person', 'group']),
    value: filterValue(r, operator),
  };
  if (operator !== undefined) f.operator = operator;
  if (chance(r, 0.1)) f.negation = true;
  return f;
}

function cohort(r: Rnd, depth: number, ids: readonly string[]): Record<string, unknown> {
  if (chance(r, 0.08)) return {};
  const type = pick(r, ['AND', 'OR', 'OR', 'property', 'XOR']);
  if (depth < 1 && chance(r, 0.4)) {
    return { type, values: Array.from({ length: 1 + Math.floor(r() * 3) }, () => cohort(r, depth + 1, ids)) };
  }
  return { type, values: Array.from({ length: Math.floor(r() * 4) }, () => propertyFilter(r, 0, 0, ids)) };
}

/** Random definitions: flags f0..fN-1, two group types, some cohorts (and a missing "static" one). */
export function randomDefinitions(r: Rnd): Record<string, unknown> {
  const cohortIds = ['1', '2', '3'];
  const cohorts: Record<string, unknown> = {};
  // Cohort 3 may reference 1 and 2 (never itself, so no cycles); "404" is never defined (static cohort).
  cohorts['1'] = cohort(r, 0, []);
  cohorts['2'] = cohort(r, 0, []);
  cohorts['3'] = cohort(r, 0, ['1', '2']);
  const refIds = [...cohortIds, '404'];
  const n = 4 + Math.floor(r() * 8);
  const flags = Array.from({ length: n }, (_, i) => {
    const variants = chance(r, 0.4)
      ? pick(r, [[50, 50], [34, 33, 33], [20, 30, 40], [100], [10, 10]]).map((p, j) => ({
          key: `v${j}`,
          rollout_percentage: p,
        }))
      : [];
    const aggregation = pick(r, [undefined, undefined, undefined, 0, 0, 1, 7]);
    const groups = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({
      properties: Array.from({ length: Math.floor(r() * 4) }, () => propertyFilter(r, n, i, refIds)),
      rollout_percentage: pick(r, [null, undefined, 0, 30, 50, 80, 100]),
      ...(chance(r, 0.2) ? { variant: pick(r, ['v0', 'v1', 'nope']) } : {}),
      ...(chance(r, 0.15) ? { aggregation_group_type_index: pick(r, [0, 1, null, 5]) } : {}),
    }));
    const payloads: Record<string, string> = {};
    if (chance(r, 0.5)) payloads.true = JSON.stringify({ on: i });
    for (const v of variants)
      if (chance(r, 0.7)) payloads[v.key] = chance(r, 0.8) ? JSON.stringify([v.key]) : 'not json';
    return {
      id: i + 1,
      key: `f${i}`,
      active: chance(r, 0.92),
      ensure_experience_continuity: chance(r, 0.04),
      ...(chance(r, 0.1) ? { bucketing_identifier: 'device_id' } : {}),
      filters: {
        ...(aggregation !== undefined ? { aggregation_group_type_index: aggregation } : {}),
        groups,
        ...(variants.length > 0 ? { multivariate: { variants } } : {}),
        payloads,
        ...(chance(r, 0.1) ? { holdout: { id: 7, exclusion_percentage: pick(r, [10, 50, 100, 0]) } } : {}),
        ...(chance(r, 0.25) ? { early_exit: true } : {}),
      },
    };
  });
  return {
    flags,
    group_type_mapping: { '0': 'company', '1': 'project' },
    cohorts,
    ...(chance(r, 0.5) ? { property_matching_version: 2 } : {}),
  };
}

function props(r: Rnd): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) {
    if (k === 'nope' || !chance(r, 0.6)) continue;
    out[k] = scalar(r);
  }
  if (chance(r, 0.3)) out.age = pick(r, [12.5, 30.25, '40', 'x']);
  if (chance(r, 0.3))
    out.version = pick(r, ['1.2.3', '1.2.4', '0.1.5', '2.0', 'v1.2', '1.02.0', '1.2.3-beta']);
  if (chance(r, 0.3)) out.signup = pick(r, ['2024-03-01', '2019-01-01T10:00:00Z', '2031-01-01', 'garbage']);
  if (chance(r, 0.15)) out.$device_id = pick(r, ['dev-1', 'dev-2', '']);
  return out;
}

/** A random evaluation input. */
export interface RandomContext {
  distinctId: string;
  groups: Record<string, string>;
  personProperties: Record<string, unknown>;
  groupProperties: Record<string, Record<string, unknown>>;
}

/** Random distinct id, groups and properties. */
export function randomContext(r: Rnd, i: number): RandomContext {
  const groups: Record<string, string> = {};
  const groupProperties: Record<string, Record<string, unknown>> = {};
  if (chance(r, 0.6)) {
    groups.company = `co-${Math.floor(r() * 50)}`;
    if (chance(r, 0.8)) groupProperties.company = props(r);
  }
  if (chance(r, 0.3)) groups.project = `pr-${Math.floor(r() * 50)}`;
  return {
    distinctId: `user-${i}-${Math.floor(r() * 1e6)}`,
    groups,
    personProperties: props(r),
    groupProperties,
  };
}
