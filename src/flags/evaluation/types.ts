/**
 * Shapes of the local-evaluation definitions (`GET /flags/definitions`) and of evaluation inputs and results.
 * Raw shapes are deliberately loose (`unknown` where the server may send anything) because compilation, not
 * the type system, decides what is usable.
 */

/** Any JSON value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A flag value: `false`, `true`, or a variant key. */
export type FlagValue = boolean | string;

/** A property filter inside a condition group or cohort. */
export interface RawPropertyFilter {
  /** Property name, cohort-irrelevant for `type: 'cohort'`, the dependency flag key for `type: 'flag'`. */
  readonly key?: unknown;
  /** `person` (default), `group`, `cohort` or `flag`. */
  readonly type?: unknown;
  /** Expected value; the cohort id for cohorts; the expected flag value for dependencies. */
  readonly value?: unknown;
  /** Operator; absent means `exact`. */
  readonly operator?: unknown;
  /** Inverts the leaf inside a cohort property group. */
  readonly negation?: unknown;
  /** Flag dependencies: the flag keys to evaluate, in order. */
  readonly dependency_chain?: unknown;
}

/** A cohort definition (nested AND/OR groups of filters). `{}` is the empty group. */
export interface RawPropertyGroup {
  /** `AND`, `OR` (or `property`, read as AND). */
  readonly type?: unknown;
  /** Either nested groups or leaf filters (decided by the first element). */
  readonly values?: readonly (RawPropertyGroup | RawPropertyFilter)[];
}

/** One release condition. */
export interface RawCondition {
  /** All must match (AND). */
  readonly properties?: readonly RawPropertyFilter[] | null;
  /** Percentage 0–100; null/absent means 100. */
  readonly rollout_percentage?: number | null;
  /** Forced variant for this condition, used when it names an existing variant. */
  readonly variant?: string | null;
  /** Mixed targeting: a condition-level group type that overrides the flag's. */
  readonly aggregation_group_type_index?: number | null;
}

/** A multivariate variant. */
export interface RawVariant {
  /** Variant key returned as the flag value. */
  readonly key: string;
  /** Share of the variant hash space, 0–100. */
  readonly rollout_percentage: number;
  /** Display name (unused in evaluation). */
  readonly name?: string | null;
}

/** A flag's holdout group. */
export interface RawHoldout {
  /** Holdout id; the flag value becomes `holdout-<id>`. */
  readonly id?: number | string | null;
  /** Percentage of bucketing values held out. */
  readonly exclusion_percentage?: unknown;
}

/** `flag.filters`. */
export interface RawFilters {
  /** Group type index for group flags; absent for person flags. */
  readonly aggregation_group_type_index?: number | null;
  /** Release conditions, evaluated in order. */
  readonly groups?: readonly RawCondition[] | null;
  /** Variants. */
  readonly multivariate?: { readonly variants?: readonly RawVariant[] | null } | null;
  /** Payloads by `"true"` or variant key, usually JSON strings. */
  readonly payloads?: Readonly<Record<string, unknown>> | null;
  /** Holdout applied before the conditions. */
  readonly holdout?: RawHoldout | null;
  /** Stop at the first condition whose filters match but whose rollout excludes the user. */
  readonly early_exit?: boolean | null;
}

/** A flag definition. */
export interface RawFlag {
  /** Flag key. */
  readonly key: string;
  /** Numeric id. */
  readonly id?: number;
  /** Inactive flags are false. */
  readonly active?: boolean;
  /** Deleted flags are not sent; kept for completeness. */
  readonly deleted?: boolean;
  /** Requires server-side persistence, so never resolvable locally. */
  readonly ensure_experience_continuity?: boolean | null;
  /** `device_id` buckets person flags by device. */
  readonly bucketing_identifier?: string | null;
  /** Evaluation contexts (legacy name `evaluation_tags`). */
  readonly evaluation_contexts?: readonly string[] | null;
  /** Legacy name of `evaluation_contexts`. */
  readonly evaluation_tags?: readonly string[] | null;
  /** Where the flag may be evaluated: `server`, `client` or `all`. */
  readonly evaluation_runtime?: string | null;
  /** Whether an experiment uses the flag. */
  readonly has_experiment?: boolean;
  /** Targeting. */
  readonly filters?: RawFilters | null;
}

/** The definitions response body. */
export interface RawDefinitions {
  /** Flags. */
  readonly flags?: readonly RawFlag[] | null;
  /** Group type index (as string) to group type name. */
  readonly group_type_mapping?: Readonly<Record<string, string>> | null;
  /** Cohort id to property group. */
  readonly cohorts?: Readonly<Record<string, RawPropertyGroup>> | null;
  /** `2` switches exact matching to explicit (non-truthiness) equality. */
  readonly property_matching_version?: number | null;
}

/** Per-call inputs. */
export interface EvaluationContext {
  /** The person's distinct id; also visible as the `distinct_id` person property unless overridden. */
  readonly distinctId: string;
  /** Group type name to group key. */
  readonly groups?: Readonly<Record<string, string>>;
  /** Person properties known to the caller. */
  readonly personProperties?: Readonly<Record<string, unknown>>;
  /** Group type name to properties; `$group_key` is implied for every passed group. */
  readonly groupProperties?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Device id for `bucketing_identifier: device_id` flags; falls back to the `$device_id` person property. */
  readonly deviceId?: string;
  /** Current time, epoch milliseconds: the only clock (relative date filters). */
  readonly now: number;
}

/** Why a locally-determined result has its value. */
export type MatchReason =
  | 'condition_match'
  | 'no_condition_match'
  | 'out_of_rollout_bound'
  | 'holdout'
  | 'flag_disabled'
  | 'group_not_provided';

/** Why local evaluation could not decide (the server must). `requires_server` marks data only the server has. */
export type InconclusiveReason =
  | 'experience_continuity'
  | 'unsupported_definition'
  | 'missing_context'
  | 'unresolved_dependency'
  | 'requires_server';

/** The posthog-node compatible reason (no `requires_server`), for `unresolvedFlags`-style reporting. */
export type UnresolvedFlagReason = Exclude<InconclusiveReason, 'requires_server'>;

/** A conclusive local result. */
export interface MatchResult {
  /** Discriminant. */
  readonly kind: 'match';
  /** The flag value. */
  readonly value: FlagValue;
  /** The parsed payload for that value, or null. */
  readonly payload: JsonValue | null;
  /** Why. */
  readonly reason: MatchReason;
  /** Index of the deciding condition, or null when no condition decided. */
  readonly conditionIndex: number | null;
}

/** Local evaluation could not decide. */
export interface InconclusiveResult {
  /** Discriminant. */
  readonly kind: 'inconclusive';
  /** Why (by precedence experience_continuity > unsupported_definition > unresolved_dependency > missing_context). */
  readonly reason: InconclusiveReason;
  /** The same, as posthog-node reports it (`requires_server` mapped back to its underlying reason). */
  readonly unresolvedReason: UnresolvedFlagReason;
  /** Human-readable explanation. */
  readonly detail: string;
}

/** Result of evaluating one flag. */
export type FlagEvaluationResult = MatchResult | InconclusiveResult;
