import type { SdkLogger } from '../../logging/sdk-logger.js';
import type { FlagEngine } from './engine.js';
import { flagCalled } from './flag-called.js';
import type { FlagOutcome } from './outcome.js';
import type { SnapshotContext, SnapshotHost, UnresolvedFlagCause } from './snapshot.js';

/**
 * The controller's side of its snapshots (`evaluateFlags()`): reads send `$feature_flag_called` through the
 * engine, misuse warnings go to the logger when `featureFlagsLogWarnings` is on. Created once per controller.
 */
export function createSnapshotHost(engine: FlagEngine, logger: SdkLogger): SnapshotHost {
  return {
    reportRead: (
      distinctId: string,
      key: string,
      outcome: FlagOutcome | undefined,
      unresolved: UnresolvedFlagCause | undefined,
      context: SnapshotContext,
      send: boolean | undefined,
    ): void => {
      if (outcome !== undefined) {
        flagCalled(engine, outcome, distinctId, context.groups, context.disableGeoip, send);
        return;
      }
      flagCalled(engine, toMissing(key, unresolved), distinctId, context.groups, context.disableGeoip, send);
    },
    warn: (message: string): void => {
      if (engine.options.featureFlagsLogWarnings) logger.warn(message);
    },
  };
}

/** The outcome reported for a snapshot read of a flag the snapshot has no value for. */
function toMissing(key: string, unresolved: UnresolvedFlagCause | undefined): FlagOutcome {
  const inconclusive = unresolved !== undefined;
  return {
    key,
    value: undefined,
    payload: undefined,
    locallyEvaluated: false,
    reason: inconclusive ? `unresolved: ${unresolved}` : 'the flag is not in the snapshot',
    reasonCode: unresolved ?? 'flag_missing',
    errorKind: inconclusive ? 'local_inconclusive' : 'flag_missing',
    errorCodes: inconclusive ? 'local_evaluation_inconclusive' : 'flag_missing',
    unresolvedReason: undefined,
    flagId: undefined,
    version: undefined,
    requestId: undefined,
    evaluatedAt: undefined,
    hasExperiment: undefined,
    definitionsLoadedAt: undefined,
    override: false,
  };
}
