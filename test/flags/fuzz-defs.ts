/**
 * Broad generator for differential-fuzz.test.ts: flags with filters from fuzz-filters.ts, variants (some not
 * summing to 100), payloads of every JSON type (and unparsable ones), holdouts, early_exit, device_id bucketing,
 * mixed per-condition aggregation, evaluation contexts, odd flag keys and rollouts, cohorts that use cohorts.
 * Never cyclic: cohort k refers only to cohorts below k, flags depend only on earlier flags, and f0/f1 (which
 * cohorts may depend on) use neither.
 */
import { cohortGroup, type Deps, leaf, type Obj, type Scope } from './fuzz-filters.js';
import { int, pool } from './fuzz-values.js';
import { chance, pick, type Rnd } from './random-defs.js';

/** Variant sets as `key:percentage`, including ones that do not sum to 100 and an empty key. */
const VARIANT_SETS = pool(
  'control:50 test:50/control:34 test:33 v2:33/control:33.33 test:33.33 v2:33.34/control:20 test:30/' +
    'control:0 test:100/control:60 test:60/a:12.5 control:87.5/:50 test:50/control:100/',
  '/',
).map((set) => (set === '' ? [] : set.split(' ').map((v) => v.split(':') as [string, string])));

function payload(r: Rnd, k: string): unknown {
  const json = pick(r, [{ on: k }, [k], { a: { b: [1, null] } }, 0, false, null, 'str', 1.5, '']);
  return chance(r, 0.7) ? JSON.stringify(json) : pick(r, ['not json', '', { obj: k }, 7]);
}

/** How often a value has a payload (variants: 0.6). */
const PAYLOAD_ODDS = new Map(Object.entries({ true: 0.5, false: 0.05, 'holdout-7': 0.1 }));

function flagFilters(r: Rnd, conditions: Obj[]): Obj {
  const filters: Obj = { groups: conditions };
  const aggregation = pick(r, [undefined, undefined, undefined, undefined, 0, 0, 1, 2, null, '0']);
  if (aggregation !== undefined) filters.aggregation_group_type_index = aggregation;
  const variants = chance(r, 0.45) ? pick(r, VARIANT_SETS) : null;
  const multivariate = variants?.map(([k, p]) => ({ key: k, name: k, rollout_percentage: Number(p) }));
  if (multivariate !== undefined) filters.multivariate = { variants: multivariate };
  else if (chance(r, 0.05)) filters.multivariate = pick(r, [null, { variants: [] }]);
  const payloads: Obj = {};
  for (const k of ['true', 'false', 'holdout-7', ...(variants ?? []).map(([v]) => v)])
    if (chance(r, PAYLOAD_ODDS.get(k) ?? 0.6)) payloads[k] = payload(r, k);
  if (chance(r, 0.85)) filters.payloads = payloads;
  if (chance(r, 0.12)) {
    const holdout = { id: 7, exclusion_percentage: pick(r, [0, 10, 50, 100, -5, 150, '30', null]) };
    filters.holdout = pick(r, [holdout, { id: null, exclusion_percentage: 50 }, null]);
  }
  if (chance(r, 0.25)) filters.early_exit = true;
  return filters;
}

function condition(r: Rnd, s: Scope): Obj {
  const rollout = pick(r, [null, undefined, 0, 100, 100, 50, 33.3, 0.01, 99.999, 12.5, -5, 150, '50']);
  const c: Obj = { rollout_percentage: rollout };
  if (!chance(r, 0.05)) c.properties = Array.from({ length: int(r, 4) }, () => leaf(r, s));
  if (chance(r, 0.2)) c.variant = pick(r, ['control', 'test', 'nope', '', null, 'v2']);
  if (chance(r, 0.12)) c.aggregation_group_type_index = pick(r, [0, 1, null, 2, 0]);
  return c;
}

const FLAG_EXTRAS: [number, string, readonly unknown[]][] = [
  [0.05, 'deleted', [true]],
  [0.05, 'ensure_experience_continuity', [true]],
  [0.12, 'bucketing_identifier', ['device_id', 'device_id', 'distinct_id', '', null]],
  [0.1, 'evaluation_runtime', ['client', 'server', 'all', null]],
  [0.05, 'rollout_percentage', [0, 100, 50]],
  [0.05, 'has_experiment', [true]],
  [0.12, 'evaluation_contexts', [['web'], ['mobile'], [], ['mobile', 'web'], null]],
  [0.03, 'evaluation_tags', [['web'], ['mobile'], ['mobile', 'web']]],
];

/** A random definitions body (flags, cohorts, group types), never cyclic. */
export function fuzzDefinitions(r: Rnd): Obj {
  const odd = ['toString', 'ünï-flag', 'a b'];
  const keys = Array.from({ length: 3 + int(r, 10) }, (_, i) => (chance(r, 0.02) ? pick(r, odd) : 'f') + i);
  const deps: Deps = {};
  const cohorts: Obj = {};
  for (let k = 1, n = 1 + int(r, 6); k <= n; k++) {
    const below = Array.from({ length: k - 1 }, (_, j) => String(j + 1));
    const flags = chance(r, 0.2) ? keys.slice(0, 2) : [];
    const scope = { cohorts: chance(r, 0.3) ? [...below, '404'] : below, flags, deps, self: '__cohort' };
    cohorts[String(k)] = cohortGroup(r, 0, scope);
  }
  const cohortIds = [...Object.keys(cohorts), ...(chance(r, 0.3) ? ['404'] : [])];
  const flags = keys.map((key, i) => {
    const base = i < 2;
    const scope = { cohorts: base ? [] : cohortIds, flags: base ? [] : keys.slice(0, i), deps, self: key };
    const conditions = Array.from({ length: int(r, 4) }, () => condition(r, scope));
    const flag: Obj = { id: i + 1, name: key, key, filters: flagFilters(r, conditions) };
    const a = r();
    if (a < 0.95) flag.active = a < 0.87;
    else if (a > 0.97) flag.active = pick(r, [null, 0, 'true', 1]);
    for (const [p, field, values] of FLAG_EXTRAS) if (chance(r, p)) flag[field] = pick(r, values);
    if (chance(r, 0.03)) delete flag.filters;
    return flag;
  });
  const mapping: Obj = { '0': 'company', '1': 'project' };
  if (chance(r, 0.1)) mapping['3'] = pick(r, ['', 'toString', 'org']);
  const out: Obj = { flags, group_type_mapping: mapping, cohorts };
  const pmv = r();
  if (pmv < 0.5) out.property_matching_version = pmv < 0.45 ? 2 : pick(r, [1, '2', 3]);
  return out;
}
