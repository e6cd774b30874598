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

/**
 * Options posthog-node's type accepts but that change nothing on a server, there or here (most are inherited from
 * its browser core). posthog-ts accepts them so that an options object written for posthog-node compiles, and
 * ignores them. posthog-node's tracing, metrics, logs, emails and bot-detection options are not accepted:
 * posthog-ts does not have those features.
 */
export interface PostHogNodeInertOptions {
  /** No effect (a browser option). */
  preloadFeatureFlags?: boolean | undefined;
  /** No effect (a browser option; see `flagDefinitions` for bootstrapped flag definitions). */
  bootstrap?: object | undefined;
  /** No effect (a browser option). */
  disableRemoteFeatureFlags?: boolean | undefined;
  /** No effect (a browser option). */
  disableRemoteConfig?: boolean | undefined;
  /** No effect (a browser option). */
  disableSurveys?: boolean | undefined;
  /** No effect (a browser option; send `$process_person_profile: false` per event instead). */
  personProfiles?: 'always' | 'identified_only' | 'never' | undefined;
  /** No effect (a browser option). */
  sessionExpirationTimeSeconds?: number | undefined;
  /** No effect: posthog-node does not use it either. */
  remoteConfigRequestTimeoutMs?: number | undefined;
  /** No effect (a browser option). */
  addTracingHeaders?: boolean | string[] | undefined;
  /** No effect: state is held in memory, as posthog-node's only storage does. */
  persistence?: 'memory' | undefined;
  /** No effect: read by posthog-node's AI integrations (`@posthog/ai`), which posthog-ts does not drive. */
  privacyMode?: boolean | undefined;
  /** No effect: read by posthog-node's AI integrations (`@posthog/ai`), which posthog-ts does not drive. */
  enableFullAiCapture?: boolean | undefined;
  /** No effect: a server never receives a URL's fragment, so request context has no hash to strip. */
  disable_capture_url_hashes?: boolean | undefined;
}
