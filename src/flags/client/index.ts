/** The feature-flag client layer: remote and local evaluation, polling, snapshots and `$feature_flag_called`. */
export {
  type CaptureFlagProperties,
  eventFlagProperties,
  FeatureFlagsController,
  type FeatureFlagsControllerDeps,
  type FlagCalledMeta,
  type SendFeatureFlagsOption,
} from './controller.js';
export { FeatureFlagError, type FeatureFlagErrorKind } from './errors.js';
export type { ExplainedCondition, ExplainedFilter, ExplainedFlag, FlagExplanation } from './explain.js';
export {
  type FeatureFlagOptions,
  FLAG_DEFAULTS,
  type FlagBaseOptions,
  type ResolvedFlagOptions,
  resolveFlagOptions,
} from './flag-options.js';
export { type FlagOutcome, MINIMAL_FLAG_CALLED_PROPERTIES } from './outcome.js';
export { flagsRequestBody } from './remote.js';
export {
  FeatureFlagEvaluations,
  type FlagEvaluationsOf,
  type SnapshotReadOptions,
  type TypedFeatureFlagEvaluations,
  type UnresolvedFlagCause,
} from './snapshot.js';
export type * from './types.js';
