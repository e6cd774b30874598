import type { MatchResult } from '../evaluation/types.js';
import type { LoadedDefinitions } from './definitions.js';
import { type FlagOutcome, failedOutcome } from './outcome.js';

/** The outcome of a conclusive local evaluation. */
export function localOutcome(defs: LoadedDefinitions, key: string, r: MatchResult): FlagOutcome {
  const raw = defs.compiled.flags.get(key)?.raw;
  return {
    key,
    value: r.value,
    payload: r.payload,
    locallyEvaluated: true,
    reason: 'Evaluated locally',
    reasonCode: r.reason,
    errorKind: undefined,
    errorCodes: undefined,
    unresolvedReason: undefined,
    flagId: raw?.id,
    version: undefined,
    requestId: undefined,
    evaluatedAt: undefined,
    hasExperiment: raw?.has_experiment,
    definitionsLoadedAt: defs.fetchedAt,
    override: false,
  };
}

/** The outcome of a local-only read with no definitions: local evaluation is off, or nothing is loaded yet. */
export function notReady(key: string, disabled: boolean): FlagOutcome {
  const reason = disabled
    ? 'local evaluation is not configured (no secretKey, cache provider or flagDefinitions)'
    : 'flag definitions are not loaded';
  return failedOutcome(key, 'not_ready', reason, undefined, { locallyEvaluated: true });
}
