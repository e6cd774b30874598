import type { HashFn } from '../hash/bucket.js';
import type { CompiledDefinitions, CompiledFlag } from './compiled.js';
import type { ExplainCollector } from './explain.js';
import { evaluateFlagValue } from './flag.js';
import { SERVER } from './outcome.js';
import { EvalState, reasonName } from './state.js';
import type { EvaluationContext, FlagEvaluationResult, UnresolvedFlagReason } from './types.js';

/** Optional knobs for {@link evaluateFlag} and {@link evaluateAll}. */
export interface EvaluateOptions {
  /** Bucketing hash; defaults to the pure-JS SHA-1 (a platform may pass a node:crypto one). */
  readonly hash?: HashFn;
  /** Receives a step-by-step explanation. Absent means no explanation work at all. */
  readonly explain?: ExplainCollector;
}

function finish(flag: CompiledFlag, state: EvalState): FlagEvaluationResult {
  state.resetDetail();
  const r = evaluateFlagValue(flag, state);
  let result: FlagEvaluationResult;
  if (typeof r === 'number') {
    const unresolvedReason = reasonName(r) as UnresolvedFlagReason;
    result = {
      kind: 'inconclusive',
      reason: (r & SERVER) !== 0 ? 'requires_server' : unresolvedReason,
      unresolvedReason,
      detail: state.detail || 'local evaluation could not decide',
    };
  } else {
    result = {
      kind: 'match',
      value: r,
      payload: r === false ? null : (flag.payloads.get(r === true ? 'true' : r) ?? null),
      reason: state.matchReason,
      conditionIndex: state.conditionIndex,
    };
  }
  state.explain?.record({
    type: 'result',
    flag: flag.key,
    value: result.kind === 'match' ? result.value : 'inconclusive',
  });
  return result;
}

const NOT_FOUND: FlagEvaluationResult = Object.freeze({
  kind: 'inconclusive',
  reason: 'requires_server',
  unresolvedReason: 'unsupported_definition',
  detail: 'flag is not in the local definitions',
});

/**
 * Evaluates one flag locally. Pure and synchronous: the clock is `ctx.now`, nothing is cached across calls
 * except what {@link compileDefinitions} prepared. Never throws; a flag that is not defined locally is
 * inconclusive (`requires_server`).
 */
export function evaluateFlag(
  definitions: CompiledDefinitions,
  key: string,
  ctx: EvaluationContext,
  options?: EvaluateOptions,
): FlagEvaluationResult {
  const flag = definitions.flags.get(key);
  if (flag === undefined) return NOT_FOUND;
  const state = new EvalState(definitions, ctx, options?.hash, options?.explain);
  try {
    return finish(flag, state);
  } catch (e) {
    return internalError(e);
  }
}

/**
 * Evaluates every flag (or just `flagKeys`, skipping unknown keys) with one shared dependency cache, in
 * definition order.
 */
export function evaluateAll(
  definitions: CompiledDefinitions,
  ctx: EvaluationContext,
  flagKeys?: readonly string[],
  options?: EvaluateOptions,
): Map<string, FlagEvaluationResult> {
  const state = new EvalState(definitions, ctx, options?.hash, options?.explain);
  const out = new Map<string, FlagEvaluationResult>();
  const run = (flag: CompiledFlag): void => {
    try {
      out.set(flag.key, finish(flag, state));
    } catch (e) {
      out.set(flag.key, internalError(e));
    }
  };
  if (flagKeys === undefined) for (const flag of definitions.flags.values()) run(flag);
  else {
    for (const key of flagKeys) {
      const flag = definitions.flags.get(key);
      if (flag !== undefined) run(flag);
    }
  }
  return out;
}

/** Last-resort guard so a bug (or a hostile value such as a throwing getter) can never escape to the caller. */
function internalError(e: unknown): FlagEvaluationResult {
  return {
    kind: 'inconclusive',
    reason: 'missing_context',
    unresolvedReason: 'missing_context',
    detail: `local evaluation failed: ${e instanceof Error ? e.message : 'unknown error'}`,
  };
}
