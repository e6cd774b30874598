import type { CompiledFlag } from './compiled.js';
import { COND_MATCH, COND_NO_MATCH, COND_OUT_OF_ROLLOUT, matchCondition } from './conditions.js';
import {
  CONTINUITY,
  FALSE,
  isInconclusive,
  MISSING,
  mergeInconclusive,
  type Outcome,
  REGEX,
  SERVER,
  UNSUPPORTED,
} from './outcome.js';
import { EMPTY, type EvalState, hasOwn, type Props } from './state.js';
import type { FlagValue } from './types.js';

/** The variant for a bucketing value, or `true` when there are no variants or no range contains the hash. */
function pickVariant(flag: CompiledFlag, bucketing: string, state: EvalState): FlagValue {
  const variants = flag.variants;
  if (variants.length === 0) return true;
  const hash = state.bucket(flag.key, bucketing, 'variant');
  let selected: FlagValue = true;
  for (const v of variants) {
    if (hash >= v.min && hash < v.max) {
      selected = v.key || true;
      break;
    }
  }
  state.explain?.record({ type: 'variant', flag: flag.key, hash, ranges: variants, selected });
  return selected;
}

/**
 * Holdout, then conditions in order. Returns the value, or an inconclusive code (with SERVER when only the
 * server can decide). A later match wins over an earlier inconclusive condition, except when that condition
 * was undecidable because of a regex and could have produced a different value.
 */
function matchConditions(
  flag: CompiledFlag,
  bucketing: string,
  props: Props,
  implicitKey: string,
  state: EvalState,
): FlagValue | Outcome {
  const holdout = flag.holdout;
  if (holdout !== null) {
    const hash = holdout.all ? 0 : state.holdoutHash(bucketing);
    const heldOut = holdout.all || !(hash > holdout.threshold);
    state.explain?.record({ type: 'holdout', flag: flag.key, hash, threshold: holdout.threshold, heldOut });
    if (heldOut) {
      state.decide('holdout', null);
      return holdout.value;
    }
  }
  let acc: Outcome = 0;
  let deferred: FlagValue[] | undefined;
  let result: FlagValue | undefined;
  let resultIndex = -1;
  for (const cond of flag.conditions) {
    let b = bucketing;
    let p = props;
    let ik = implicitKey;
    if (cond.overridesGroup) {
      const name = cond.groupName;
      if (name === undefined || !hasOwn(state.groups, name)) {
        state.explain?.record({
          type: 'condition_skipped',
          flag: flag.key,
          condition: cond.index,
          why: 'group not provided',
        });
        continue;
      }
      b = String(state.groups[name]);
      p = state.groupProps[name] ?? EMPTY;
      ik = '$group_key';
    }
    // Persons always carry their distinct id as `distinct_id`, even when the flag buckets by device id.
    const implicitValue = ik === 'distinct_id' ? state.ctx.distinctId : b;
    const r = matchCondition(flag, cond, b, p, ik, implicitValue, state);
    if (r === COND_MATCH) {
      result = cond.forcedVariant ?? pickVariant(flag, b, state);
      resultIndex = cond.index;
      break;
    }
    if (r === COND_NO_MATCH) continue;
    if (r === COND_OUT_OF_ROLLOUT) {
      if (!flag.earlyExit) continue;
      if (acc !== 0) break;
      state.decide('out_of_rollout_bound', cond.index);
      return false;
    }
    if ((r & SERVER) !== 0) {
      return SERVER | mergeInconclusive(mergeInconclusive(acc, r), flag.definitionReason || r);
    }
    acc = mergeInconclusive(acc, r);
    if ((r & REGEX) !== 0) {
      // What this condition would have returned had the regex matched: a later match must agree with it.
      let value: FlagValue;
      if (flag.earlyExit && cond.threshold !== null && state.rolloutHash(flag.key, b) > cond.threshold)
        value = false;
      else value = cond.forcedVariant ?? pickVariant(flag, b, state);
      deferred ??= [];
      deferred.push(value);
    }
  }
  if (result !== undefined && !deferred?.some((v) => v !== result)) {
    state.decide('condition_match', resultIndex);
    return result;
  }
  if (acc !== 0) {
    if (result !== undefined)
      state.note(acc, 'an earlier regex condition needs the server and could change the value');
    return acc;
  }
  state.decide('no_condition_match', null);
  return false;
}

/**
 * The full per-flag algorithm (also used for dependencies). Returns the value, or an inconclusive code.
 */
export function evaluateFlagValue(flag: CompiledFlag, state: EvalState): FlagValue | Outcome {
  state.explain?.record({ type: 'flag', key: flag.key, depth: state.depth });
  if (!flag.active) {
    state.decide('flag_disabled', null);
    return false;
  }
  if (flag.continuity)
    return state.note(CONTINUITY, 'flag uses experience continuity (server-side persistence)');
  if (flag.isGroupFlag) {
    const name = flag.groupName;
    if (name === undefined) return state.note(UNSUPPORTED, 'flag aggregates by an unknown group type');
    if (!hasOwn(state.groups, name)) {
      state.decide('group_not_provided', null);
      return false;
    }
    const key = String(state.groups[name]);
    return matchConditions(flag, key, state.groupProps[name] ?? EMPTY, '$group_key', state);
  }
  let bucketing = state.ctx.distinctId;
  if (flag.deviceBucketing) {
    const device: unknown = state.ctx.deviceId || state.person.$device_id;
    if (device === undefined || device === null || device === '') {
      return state.note(flag.definitionReason || MISSING, 'flag buckets by device id but none was provided');
    }
    bucketing = String(device);
  }
  return matchConditions(flag, bucketing, state.person, 'distinct_id', state);
}

/** Whether an evaluation result is an inconclusive code. */
export function isOutcomeCode(r: FlagValue | Outcome): r is Outcome {
  return typeof r === 'number' && isInconclusive(r);
}

export { FALSE };
