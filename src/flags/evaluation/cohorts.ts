import type { CompiledCohortFilter, CompiledFilter, CompiledGroup } from './compiled.js';
import { evaluateDependency } from './dependency.js';
import { matchPropertyFilter } from './operators.js';
import {
  FALSE,
  isInconclusive,
  mergeInconclusive,
  type Outcome,
  SERVER,
  TRUE,
  UNSUPPORTED,
} from './outcome.js';
import type { EvalState, Props } from './state.js';

/** Cohorts may nest; past this depth we assume a cycle (the reference SDK would overflow the stack). */
const MAX_COHORT_DEPTH = 32;

/** Matches any filter: property, cohort (recursively) or flag dependency. */
export function matchFilter(
  f: CompiledFilter,
  props: Props,
  implicitKey: string,
  implicitValue: unknown,
  state: EvalState,
  depth = 0,
): Outcome {
  if (f.type === 'property') {
    // The memo holds answers for the person's properties only: group maps and device bucketing recompute.
    if (
      f.slot < 0 ||
      props !== state.person ||
      implicitKey !== 'distinct_id' ||
      implicitValue !== state.ctx.distinctId
    )
      return matchPropertyFilter(f, props, implicitKey, implicitValue, state);
    const memo = state.filterMemo();
    const known = memo[f.slot] as number;
    if (known !== 0) return known - 1;
    const r = matchPropertyFilter(f, props, implicitKey, implicitValue, state);
    if (r === FALSE || r === TRUE) memo[f.slot] = r + 1;
    return r;
  }
  if (f.type === 'flag') return evaluateDependency(f, state);
  return matchCohort(f, props, implicitKey, implicitValue, state, depth);
}

function matchCohort(
  f: CompiledCohortFilter,
  props: Props,
  implicitKey: string,
  implicitValue: unknown,
  state: EvalState,
  depth: number,
): Outcome {
  const group = state.defs.cohorts.get(f.cohortId);
  if (group === undefined) {
    // Static cohorts are not sent with the definitions: only the server knows membership.
    return state.note(
      SERVER | UNSUPPORTED,
      `cohort ${f.cohortId} is not in the local definitions (static cohort?)`,
    );
  }
  if (depth > MAX_COHORT_DEPTH)
    return state.note(UNSUPPORTED, `cohort ${f.cohortId} nests too deeply (cycle?)`);
  const r = matchGroup(group, props, implicitKey, implicitValue, state, depth + 1);
  if (isInconclusive(r)) return r;
  return f.negate ? r ^ 1 : r;
}

/**
 * AND/OR over nested groups or leaves. AND stops at the first false and OR at the first true; an inconclusive
 * member does not stop the loop (a later member may still decide), and server-only data aborts at once.
 */
function matchGroup(
  g: CompiledGroup,
  props: Props,
  implicitKey: string,
  implicitValue: unknown,
  state: EvalState,
  depth: number,
): Outcome {
  if (g.kind === 'empty') return TRUE;
  if (g.kind === 'unsupported')
    return state.note(SERVER | UNSUPPORTED, `unsupported cohort group type '${g.groupType}'`);
  const isAnd = g.kind === 'and';
  let acc: Outcome = 0;
  if (g.nested !== null) {
    for (const sub of g.nested) {
      const r = matchGroup(sub, props, implicitKey, implicitValue, state, depth + 1);
      if ((r & SERVER) !== 0) return r;
      if (isInconclusive(r)) acc = mergeInconclusive(acc, r);
      else if (isAnd && r === FALSE) return FALSE;
      else if (!isAnd && r === TRUE) return TRUE;
    }
  } else if (g.leaves !== null) {
    for (const leaf of g.leaves) {
      const r = matchFilter(leaf, props, implicitKey, implicitValue, state, depth);
      if ((r & SERVER) !== 0) return r;
      if (isInconclusive(r)) {
        acc = mergeInconclusive(acc, r);
        continue;
      }
      const effective = leaf.negation ? r ^ 1 : r;
      if (isAnd && effective === FALSE) return FALSE;
      if (!isAnd && effective === TRUE) return TRUE;
    }
  }
  if (acc !== 0) return acc;
  return isAnd ? TRUE : FALSE;
}
