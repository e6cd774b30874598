import type { FlagValue, JsonValue, UnresolvedFlagReason } from '../evaluation/types.js';
import type { FeatureFlagResult, FlagErrorKind } from './types.js';

/**
 * A remote result's reason when the answer gives none. Results always carry a reason; the event does not get this
 * one (`$feature_flag_reason` is what the server said, as in posthog-node).
 */
export const EVALUATED_REMOTELY = 'Evaluated remotely';

/** A failed remote flag's reason when the answer gives none; like the one above, never put on the event. */
export const SERVER_FAILED = 'the server failed to evaluate the flag';

// The reasons the SDK writes itself when the answer gives none: the event carries only what the server said.
const SDK_REASONS: ReadonlySet<string> = new Set([EVALUATED_REMOTELY, SERVER_FAILED]);

/**
 * Everything known about one flag read: the value and where it came from. One object per read; the public
 * result and the `$feature_flag_called` properties are derived from it only when asked for.
 */
export interface FlagOutcome {
  readonly key: string;
  readonly value: FlagValue | undefined;
  readonly payload: JsonValue | null | undefined;
  readonly locallyEvaluated: boolean;
  /** Human-readable reason. */
  readonly reason: string;
  /** Machine-readable reason. */
  readonly reasonCode: string | undefined;
  readonly errorKind: FlagErrorKind | undefined;
  /** `$feature_flag_error`, comma-joined, or undefined. */
  readonly errorCodes: string | undefined;
  readonly unresolvedReason: UnresolvedFlagReason | undefined;
  readonly flagId: number | undefined;
  readonly version: number | undefined;
  readonly requestId: string | undefined;
  /** Remote `evaluatedAt`; local reads use the time of the event. */
  readonly evaluatedAt: number | undefined;
  readonly hasExperiment: boolean | undefined;
  /** When the definitions used were fetched (local reads). */
  readonly definitionsLoadedAt: number | undefined;
  /** The value came from `overrideFeatureFlags` (no event is sent for it). */
  readonly override: boolean;
}

/** An outcome with no value. */
export function failedOutcome(
  key: string,
  errorKind: FlagErrorKind,
  reason: string,
  errorCodes: string | undefined,
  extra: Partial<
    Pick<
      FlagOutcome,
      | 'unresolvedReason'
      | 'locallyEvaluated'
      | 'requestId'
      | 'flagId'
      | 'version'
      | 'evaluatedAt'
      | 'hasExperiment'
    >
  > = {},
): FlagOutcome {
  return {
    key,
    value: undefined,
    payload: undefined,
    locallyEvaluated: extra.locallyEvaluated ?? false,
    reason,
    reasonCode: errorKind,
    errorKind,
    errorCodes,
    unresolvedReason: extra.unresolvedReason,
    flagId: extra.flagId,
    version: extra.version,
    requestId: extra.requestId,
    evaluatedAt: extra.evaluatedAt,
    hasExperiment: extra.hasExperiment,
    definitionsLoadedAt: undefined,
    override: false,
  };
}

/** The outcome of an overridden flag. */
export function overrideOutcome(
  key: string,
  value: FlagValue | undefined,
  payload: JsonValue | undefined,
): FlagOutcome {
  return {
    key,
    value,
    payload: value === undefined ? undefined : (payload ?? null),
    locallyEvaluated: true,
    reason: 'Overridden locally',
    reasonCode: 'override',
    errorKind: value === undefined ? 'flag_missing' : undefined,
    errorCodes: undefined,
    unresolvedReason: undefined,
    flagId: undefined,
    version: undefined,
    requestId: undefined,
    evaluatedAt: undefined,
    hasExperiment: undefined,
    definitionsLoadedAt: undefined,
    override: true,
  };
}

/** The public result of an outcome. */
export function toResult(o: FlagOutcome): FeatureFlagResult {
  const value = o.value;
  return {
    key: o.key,
    value,
    enabled: value !== undefined && value !== false,
    variant: typeof value === 'string' ? value : undefined,
    payload: o.payload,
    reason: o.reason,
    reasonCode: o.reasonCode,
    errorKind: o.errorKind,
    unresolvedReason: o.unresolvedReason,
    locallyEvaluated: o.locallyEvaluated,
    flagId: o.flagId,
    version: o.version,
    requestId: o.requestId,
  };
}

/**
 * Properties `$feature_flag_called` may keep in minimal mode (the server asks for it with
 * `minimalFlagCalledEvents` and the flag has no experiment). The client applies this list after adding its
 * own context and super properties, since those are what minimal mode drops.
 */
export const MINIMAL_FLAG_CALLED_PROPERTIES: ReadonlySet<string> = new Set([
  '$feature_flag',
  '$feature_flag_response',
  '$feature_flag_id',
  '$feature_flag_version',
  '$feature_flag_reason',
  'locally_evaluated',
  '$feature_flag_request_id',
  '$feature_flag_evaluated_at',
  '$feature_flag_error',
  '$feature_flag_definitions_loaded_at',
  '$feature_flag_has_experiment',
  '$groups',
  '$process_person_profile',
  '$geoip_disable',
  '$current_url',
  '$pathname',
  '$referring_domain',
  '$session_id',
  '$window_id',
  '$lib',
  '$lib_version',
  '$device_id',
  '$is_server',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'gclid',
  'fbclid',
  'msclkid',
]);

/** The official `$feature_flag_called` properties of an outcome (undefined values are left out). */
export function flagCalledProperties(
  o: FlagOutcome,
  groups: Readonly<Record<string, string | number>> | undefined,
  now: number,
  errorCodes: string | undefined = o.errorCodes,
): Record<string, unknown> {
  const p: Record<string, unknown> = {
    $feature_flag: o.key,
    locally_evaluated: o.locallyEvaluated,
    [`$feature/${o.key}`]: o.value,
  };
  if (o.value !== undefined) p.$feature_flag_response = o.value;
  if (o.flagId !== undefined) p.$feature_flag_id = o.flagId;
  if (o.version !== undefined) p.$feature_flag_version = o.version;
  if (o.locallyEvaluated) p.$feature_flag_reason = 'Evaluated locally';
  // A flag the server reported (failed to evaluate, say) keeps its reason, as its id and version.
  else if ((o.value !== undefined || o.flagId !== undefined) && o.reason && !SDK_REASONS.has(o.reason))
    p.$feature_flag_reason = o.reason;
  if (o.requestId !== undefined) p.$feature_flag_request_id = o.requestId;
  p.$feature_flag_evaluated_at = o.locallyEvaluated ? now : o.evaluatedAt;
  if (p.$feature_flag_evaluated_at === undefined) delete p.$feature_flag_evaluated_at;
  if (errorCodes !== undefined) p.$feature_flag_error = errorCodes;
  if (o.locallyEvaluated && o.definitionsLoadedAt !== undefined)
    p.$feature_flag_definitions_loaded_at = o.definitionsLoadedAt;
  if (o.hasExperiment !== undefined) p.$feature_flag_has_experiment = o.hasExperiment;
  if (typeof groups === 'object' && groups !== null && Object.keys(groups).length > 0) p.$groups = groups;
  if (o.value === undefined) delete p[`$feature/${o.key}`];
  return p;
}
