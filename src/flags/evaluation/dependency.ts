import type { CompiledFlagFilter } from './compiled.js';
import { evaluateFlagValue } from './flag.js';
import { FALSE, type Outcome, REGEX, SERVER, TRUE, UNRESOLVED, UNSUPPORTED } from './outcome.js';
import type { EvalState } from './state.js';
import type { FlagValue } from './types.js';

/** Expected `true` matches true or any non-empty variant; `false` only false; a string that exact variant. */
function evaluatesTo(expected: unknown, value: FlagValue | undefined): boolean {
  if (typeof expected === 'boolean') {
    return expected === value || (expected && typeof value === 'string' && value !== '');
  }
  if (typeof expected === 'string') return value === expected;
  return false;
}

/**
 * A `flag_evaluates_to` filter: evaluates the dependency chain in order, caching values for the rest of this
 * call, then compares the target flag's value. Inactive and context-filtered flags are false.
 */
export function evaluateDependency(f: CompiledFlagFilter, state: EvalState): Outcome {
  if (f.chain === null) return state.note(UNSUPPORTED, `dependency on '${f.key}': ${f.chainProblem}`);
  state.depCache ??= new Map();
  const cache = state.depCache;
  for (const key of f.chain) {
    if (cache.has(key)) continue;
    const dep = state.defs.flags.get(key);
    if (dep === undefined || !dep.active) {
      cache.set(key, false);
      continue;
    }
    state.inProgress ??= new Set();
    if (state.inProgress.has(key))
      return state.note(UNSUPPORTED, `circular flag dependency through '${key}'`);
    state.inProgress.add(key);
    state.depth++;
    const r = evaluateFlagValue(dep, state);
    state.depth--;
    state.inProgress.delete(key);
    if (typeof r === 'number') {
      state.explain?.record({ type: 'dependency', flag: key, value: 'inconclusive' });
      const detail = `dependency '${key}' of '${f.key}' could not be evaluated locally`;
      return state.note((r & SERVER) !== 0 ? SERVER | UNRESOLVED : UNRESOLVED | (r & REGEX), detail);
    }
    state.explain?.record({ type: 'dependency', flag: key, value: r });
    cache.set(key, r);
  }
  return evaluatesTo(f.expected, cache.get(f.key)) ? TRUE : FALSE;
}
