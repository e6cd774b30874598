/**
 * Public shapes of the feature-flag calls: per-call options, results, overrides and the definitions cache seam.
 */
import type { FlagValue, JsonValue, UnresolvedFlagReason } from '../evaluation/types.js';

export type { FlagValue, JsonValue, UnresolvedFlagReason };

/** Group type name to group key, e.g. `{ company: 'acme' }`. */
export type FlagGroups = Readonly<Record<string, string | number>>;

/** Options every flag call accepts. */
export interface FlagCallOptions {
  /** Groups the caller belongs to, for group flags: `{ company: 'acme' }`. */
  groups?: FlagGroups | undefined;
  /**
   * Person properties known to the caller. GeoIP overrides (`$geoip_country_code`, ...) pass through as given;
   * `$device_id` is also sent top-level for device-bucketed flags.
   */
  personProperties?: Readonly<Record<string, unknown>> | undefined;
  /** Group type name to that group's properties. */
  groupProperties?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  /** Never call `/flags`; inconclusive flags are `undefined`. Default: the client's `strictLocalEvaluation`. */
  onlyEvaluateLocally?: boolean | undefined;
  /** Ask the server not to geolocate this request. Default `false` (the server geolocates the caller's IP). */
  disableGeoip?: boolean | undefined;
}

/** Options of single-flag calls. */
export interface FlagEvaluationOptions extends FlagCallOptions {
  /** Send `$feature_flag_called`. Default: the client's `sendFeatureFlagEvent` (true). */
  sendFeatureFlagEvents?: boolean | undefined;
}

/** Options of `getAllFlags`, `getAllFlagsAndPayloads` and `evaluateFlags`. */
export interface AllFlagsOptions extends FlagCallOptions {
  /** Evaluate only these flags. */
  flagKeys?: readonly string[] | undefined;
}

/** The object call style of single-flag methods: `isFeatureEnabled({ key, distinctId, ... })`. */
export interface FlagRequest<K extends string = string> extends FlagEvaluationOptions {
  /** The flag key. */
  key: K;
  /** Who is asking. */
  distinctId: string;
}

/** The object call style of `getFeatureFlagPayload`. */
export interface FlagPayloadRequest<K extends string = string, V = FlagValue> extends FlagCallOptions {
  /** The flag key. */
  key: K;
  /** Who is asking. */
  distinctId: string;
  /** Use this value instead of evaluating the flag. */
  matchValue?: V | undefined;
}

/** The object call style of `getAllFlags` / `getAllFlagsAndPayloads` / `evaluateFlags`. */
export interface AllFlagsRequest extends AllFlagsOptions {
  /** Who is asking. */
  distinctId: string;
}

/**
 * Why a flag has no value the caller can act on:
 * - `flag_missing`: the flag is not defined (or not returned by the server);
 * - `timeout`: `/flags` did not answer within `featureFlagsRequestTimeoutMs`;
 * - `quota_limited`: the project is over its feature-flag quota;
 * - `server_error`: `/flags` answered with an error status;
 * - `network_error`: `/flags` could not be reached;
 * - `invalid_response`: `/flags` answered with a body the SDK cannot read;
 * - `evaluation_failed`: the server reported that it failed to evaluate this flag;
 * - `local_inconclusive`: only the server can decide and the call was local-only (see `unresolvedReason`);
 * - `not_ready`: the call was local-only and no definitions are loaded (yet);
 * - `shutdown`: the client was shut down.
 */
export type FlagErrorKind =
  | 'flag_missing'
  | 'timeout'
  | 'quota_limited'
  | 'server_error'
  | 'network_error'
  | 'invalid_response'
  | 'evaluation_failed'
  | 'local_inconclusive'
  | 'not_ready'
  | 'shutdown';

/** The full answer of `getFeatureFlagResult`. */
export interface FeatureFlagResult {
  /** The flag key. */
  readonly key: string;
  /** The flag value, or `undefined` when it could not be evaluated (see `errorKind`). */
  readonly value: FlagValue | undefined;
  /** `true` for `true` and for any variant. */
  readonly enabled: boolean;
  /** The variant key, when the value is one. */
  readonly variant: string | undefined;
  /** The payload for the value (`null` when there is none), `undefined` when not evaluated. */
  readonly payload: JsonValue | null | undefined;
  /** Human-readable reason: `Evaluated locally`, the server's description, or what went wrong. */
  readonly reason: string;
  /** Machine-readable reason: local match reason, the server's `reason.code`, or the error kind. */
  readonly reasonCode: string | undefined;
  /** Set when `value` is `undefined`, or when the server flagged a problem with an otherwise usable answer. */
  readonly errorKind: FlagErrorKind | undefined;
  /** For `local_inconclusive`: why local evaluation could not decide. */
  readonly unresolvedReason: UnresolvedFlagReason | undefined;
  /** Whether the value came from local definitions (or an override) rather than `/flags`. */
  readonly locallyEvaluated: boolean;
  /** Flag definition id, when known. */
  readonly flagId: number | undefined;
  /** Flag definition version (remote only). */
  readonly version: number | undefined;
  /** `/flags` request id (remote only). */
  readonly requestId: string | undefined;
}

/** `getAllFlagsAndPayloads()`'s answer. */
export interface FlagsAndPayloads {
  /** Values by key. */
  featureFlags: Record<string, FlagValue>;
  /** Payloads by key, for flags that have one. */
  featureFlagPayloads: Record<string, JsonValue>;
}

/**
 * What `overrideFeatureFlags` accepts: `false` clears every override, a list enables those keys, a map sets
 * values (`undefined` = absent), and `{ flags, payloads }` sets either (each `false` clears it).
 */
export type FeatureFlagOverrides =
  | false
  | readonly string[]
  | Readonly<Record<string, FlagValue | undefined>>
  | {
      readonly flags?: false | readonly string[] | Readonly<Record<string, FlagValue | undefined>>;
      readonly payloads?: false | Readonly<Record<string, JsonValue>>;
    };

/**
 * Definitions as the cache provider stores them: the definitions response body. camelCase keys are accepted
 * when reading, snake_case wins when both are present.
 */
export interface FlagDefinitionsData {
  /** Flag definitions. */
  flags: readonly unknown[];
  /** Group type index (as a string) to name. */
  group_type_mapping?: Readonly<Record<string, string>>;
  /** Cohort id to property group. */
  cohorts?: Readonly<Record<string, unknown>>;
  /** Ask for minimal `$feature_flag_called` events. */
  minimal_flag_called_events?: boolean;
  /** Exact-match semantics version. */
  property_matching_version?: number;
  /** camelCase alias of `group_type_mapping`. */
  groupTypeMapping?: Readonly<Record<string, string>>;
  /** camelCase alias of `minimal_flag_called_events`. */
  minimalFlagCalledEvents?: boolean;
  /** camelCase alias of `property_matching_version`. */
  propertyMatchingVersion?: number;
}

/**
 * Shares flag definitions between processes (Redis, a file, ...), so that one worker fetches and the others
 * read. Every method may be synchronous or return a promise; errors are reported on `error` and never break
 * evaluation.
 */
export interface FlagDefinitionCacheProvider {
  /**
   * The cached definitions, or `undefined` on a miss. Read when this process should not fetch, and when a fetch
   * fails before anything fresher than bootstrap definitions was loaded.
   */
  getFlagDefinitions(): FlagDefinitionsData | undefined | Promise<FlagDefinitionsData | undefined>;
  /** Whether this process should fetch from PostHog now (e.g. it holds the refresh lock). */
  shouldFetchFlagDefinitions(): boolean | Promise<boolean>;
  /**
   * Called with freshly fetched definitions after an approved fetch, to store them; also after an approved fetch
   * answered `304`, with the definitions it confirmed, so that the stored copy is known fresh (a TTL renewed).
   */
  onFlagDefinitionsReceived(data: FlagDefinitionsData): void | Promise<void>;
  /** Releases resources (locks, connections) at client shutdown. */
  shutdown(): void | Promise<void>;
}
