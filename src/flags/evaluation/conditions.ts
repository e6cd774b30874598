import { matchFilter } from './cohorts.js';
import type { CompiledCondition, CompiledFlag } from './compiled.js';
import { FALSE, isInconclusive, mergeInconclusive, type Outcome, SERVER } from './outcome.js';
import type { EvalState, Props } from './state.js';

/** Condition outcome: filters and rollout passed. Inconclusive outcomes use the codes from outcome.ts. */
export const COND_MATCH = 1;
/** A filter definitely failed. */
export const COND_NO_MATCH = 0;
/** Filters matched but the rollout excluded the bucketing value (what `early_exit` reacts to). */
export const COND_OUT_OF_ROLLOUT = 2;

/**
 * Evaluates one condition's filters (AND) and rollout. Filters have no defined order, so an inconclusive filter
 * does not stop the loop: a later definite mismatch still decides `no match`.
 */
export function matchCondition(
  flag: CompiledFlag,
  cond: CompiledCondition,
  bucketing: string,
  props: Props,
  implicitKey: string,
  implicitValue: unknown,
  state: EvalState,
): number {
  const filters = cond.filters;
  if (filters.length > 0) {
    let acc: Outcome = 0;
    let server: Outcome = 0;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i] as (typeof filters)[number];
      const r = matchFilter(f, props, implicitKey, implicitValue, state);
      if (state.explain !== undefined) explainFilter(state, flag, cond.index, f, r);
      if (isInconclusive(r)) {
        // Server-only data decides the flag only if nothing was inconclusive before it (as if we stopped there).
        if ((r & SERVER) !== 0 && acc === 0 && server === 0) server = r;
        acc = mergeInconclusive(acc, r);
        continue;
      }
      if (r === FALSE) return COND_NO_MATCH;
    }
    if (server !== 0) return server;
    if (acc !== 0) return acc;
  }
  if (cond.threshold === null) return COND_MATCH;
  const hash = state.rolloutHash(flag.key, bucketing);
  const passed = !(hash > cond.threshold);
  state.explain?.record({
    type: 'rollout',
    flag: flag.key,
    condition: cond.index,
    hash,
    threshold: cond.threshold,
    passed,
  });
  return passed ? COND_MATCH : COND_OUT_OF_ROLLOUT;
}

function explainFilter(
  state: EvalState,
  flag: CompiledFlag,
  condition: number,
  f: CompiledCondition['filters'][number],
  r: Outcome,
): void {
  const inconclusive = isInconclusive(r);
  state.explain?.record({
    type: 'filter',
    flag: flag.key,
    condition,
    filterType: f.type,
    key: f.type === 'cohort' ? f.cohortId : f.key,
    operator:
      f.type === 'property'
        ? f.operator
        : f.type === 'cohort'
          ? f.negate
            ? 'not_in'
            : 'in'
          : 'flag_evaluates_to',
    outcome: inconclusive ? 'inconclusive' : r === FALSE ? 'not_matched' : 'matched',
    ...(inconclusive ? { reason: (r & SERVER) !== 0 ? 'requires_server' : REASONS[r & 3] } : {}),
  });
}

const REASONS = [
  'experience_continuity',
  'unsupported_definition',
  'unresolved_dependency',
  'missing_context',
] as const;
