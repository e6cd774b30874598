/**
 * posthog-node's exported type names, as aliases of posthog-ts's own types, so that `import type { … } from
 * 'posthog-node'` keeps compiling once the import names `posthog-ts`. Where posthog-ts's type is wider (more
 * calling forms, more flag-definition fields), the alias is the wider type.
 */
import type { SendFeatureFlagsOption } from '../flags/client/capture-properties.js';
import type { FeatureFlagOverrides, FlagCallOptions } from '../flags/client/types.js';
import type {
  RawCondition,
  RawFlag,
  RawPropertyFilter,
  RawPropertyGroup,
} from '../flags/evaluation/types.js';

/** posthog-node's name for the options every flag call takes. */
export type BaseFlagEvaluationOptions = FlagCallOptions;

/** posthog-node's name for what `overrideFeatureFlags` accepts. */
export type FeatureFlagOverrideOptions = FeatureFlagOverrides;

/** posthog-node's other name for what `overrideFeatureFlags` accepts. */
export type OverrideFeatureFlagsOptions = FeatureFlagOverrides;

/** posthog-node's name for the `sendFeatureFlags` option of `capture()`. */
export type SendFeatureFlagsOptions = SendFeatureFlagsOption;

/** Where a flag is meant to be evaluated (a definition's `evaluation_runtime`). */
export type FeatureFlagEvaluationRuntime = 'server' | 'client' | 'all';

/** What a flag definition buckets person flags by. */
export type FeatureFlagBucketingIdentifier = 'distinct_id' | 'device_id' | '' | null;

/**
 * A `$feature_flag_error` value: one of `FeatureFlagError`'s constants, or `api_error_<status>` (`string & {}`
 * keeps the constants offered by editors instead of collapsing the union into `string`).
 */
export type FeatureFlagErrorType = FeatureFlagErrorCode | (string & {});

/** The fixed `$feature_flag_error` values. */
export type FeatureFlagErrorCode =
  | 'errors_while_computing_flags'
  | 'flag_missing'
  | 'local_evaluation_inconclusive'
  | 'quota_limited'
  | 'timeout'
  | 'connection_error'
  | 'unknown_error';

/** A flag definition as the definitions endpoint sends it. */
export type PostHogFeatureFlag = RawFlag;

/** One release condition of a flag definition. */
export type FeatureFlagCondition = RawCondition;

/** A property filter of a release condition. */
export type FlagProperty = RawPropertyFilter;

/** The value a property filter compares against. */
export type FlagPropertyValue = string | number | (string | number)[] | boolean;

/** A cohort's nested AND/OR groups of filters. */
export type PropertyGroup = RawPropertyGroup;
