import type { RegexCompileResult } from '../regex/index.js';
import type { DateFilter } from './dates.js';
import type { Outcome } from './outcome.js';
import type { SemverRange, SemverTuple } from './semver.js';
import type { FlagValue, JsonValue, RawFlag, RawPropertyFilter } from './types.js';

/** How `exact` compares: legacy truthiness, a list of candidate strings, or one string. */
export type ExactMode = 'truthy' | 'list' | 'string' | 'unsupported';

/** A person/group property filter with its filter side pre-parsed. */
export interface CompiledPropertyFilter {
  /** Discriminant. */
  readonly type: 'property';
  /** Property key. */
  readonly key: string;
  /** Operator (`exact` when absent). */
  readonly operator: string;
  /** The raw filter, for explanations. */
  readonly raw: RawPropertyFilter;
  /** Inverts the leaf inside cohorts. */
  readonly negation: boolean;
  /** The filter itself cannot be evaluated locally (unknown operator, unparsable value...). */
  readonly unsupported: boolean;
  /** Raw filter value. */
  readonly value: unknown;
  /** `exact`/`is_not` strategy. */
  readonly exactMode: ExactMode;
  /** The filter value is boolean-like (`true`, `"FALSE"`, arrays of those). */
  readonly booleanLike: boolean;
  /** `exact` in truthy mode: the filter's truthiness. */
  readonly exactTruthy: boolean;
  /** `exact` list mode: lower-cased candidates, null where an item cannot be spelled like the service. */
  readonly exactList: readonly (string | null)[];
  /** `exact` string mode, and the lower-cased `String(value)` for substring operators. */
  readonly lowered: string;
  /** `String(value)`, for lexicographic comparisons. */
  readonly text: string;
  /** Numeric filter value (NaN when not numeric). */
  readonly number: number;
  /** Compiled regex for `regex`/`not_regex`. */
  readonly regex: RegexCompileResult | null;
  /** Date filter. */
  readonly date: DateFilter | null;
  /** Semver comparison target. */
  readonly semver: SemverTuple | null;
  /** Semver range operators. */
  readonly semverRange: SemverRange | null;
  /** Shared slot of identical filters for the per-call memo (see filter-memo.ts), or -1. */
  readonly slot: number;
}

/** A cohort membership filter. */
export interface CompiledCohortFilter {
  /** Discriminant. */
  readonly type: 'cohort';
  /** Cohort id (`String(value)`). */
  readonly cohortId: string;
  /** `not_in`. */
  readonly negate: boolean;
  /** Inverts the leaf inside cohorts. */
  readonly negation: boolean;
  /** The raw filter. */
  readonly raw: RawPropertyFilter;
}

/** A flag dependency filter. */
export interface CompiledFlagFilter {
  /** Discriminant. */
  readonly type: 'flag';
  /** The dependency flag key. */
  readonly key: string;
  /** Chain to evaluate in order, or null when unusable (see `chainProblem`). */
  readonly chain: readonly string[] | null;
  /** Why the chain is unusable, or ''. */
  readonly chainProblem: string;
  /** Expected value. */
  readonly expected: unknown;
  /** Inverts the leaf inside cohorts. */
  readonly negation: boolean;
  /** The raw filter. */
  readonly raw: RawPropertyFilter;
}

/** Any compiled filter. */
export type CompiledFilter = CompiledPropertyFilter | CompiledCohortFilter | CompiledFlagFilter;

/** A compiled cohort property group. */
export type CompiledGroup =
  | { readonly kind: 'empty' }
  | { readonly kind: 'unsupported'; readonly groupType: string }
  | {
      readonly kind: 'and' | 'or';
      readonly nested: readonly CompiledGroup[] | null;
      readonly leaves: readonly CompiledFilter[] | null;
    };

/** A release condition. */
export interface CompiledCondition {
  /** Position in `filters.groups`. */
  readonly index: number;
  /** AND-ed filters. */
  readonly filters: readonly CompiledFilter[];
  /** Rollout as a fraction (`pct / 100`), or null for 100%. */
  readonly threshold: number | null;
  /** Forced variant when it names an existing variant, else null. */
  readonly forcedVariant: string | null;
  /** Mixed targeting: evaluate against this condition's own group type. */
  readonly overridesGroup: boolean;
  /** That group type's name, undefined when the index is unknown (the condition is then skipped). */
  readonly groupName: string | undefined;
}

/** One variant's slice of the hash space, `[min, max)`. */
export interface VariantRange {
  /** Variant key. */
  readonly key: string;
  /** Inclusive. */
  readonly min: number;
  /** Exclusive. */
  readonly max: number;
}

/** A flag ready to evaluate. */
export interface CompiledFlag {
  /** Flag key. */
  readonly key: string;
  /** The raw definition. */
  readonly raw: RawFlag;
  /** `active` is truthy. */
  readonly active: boolean;
  /** `ensure_experience_continuity`. */
  readonly continuity: boolean;
  /** Flag-level group aggregation is set. */
  readonly isGroupFlag: boolean;
  /** Raw flag-level aggregation index (for mixed-targeting comparisons). */
  readonly aggregation: number | null | undefined;
  /** Group type of a group flag; undefined if the index is unknown. */
  readonly groupName: string | undefined;
  /** Bucket person flags by device id. */
  readonly deviceBucketing: boolean;
  /** Holdout: variant value, threshold, and whether it holds out everyone. */
  readonly holdout: { readonly value: string; readonly threshold: number; readonly all: boolean } | null;
  /** Conditions in order. */
  readonly conditions: readonly CompiledCondition[];
  /** Variant ranges in order. */
  readonly variants: readonly VariantRange[];
  /** `filters.early_exit`. */
  readonly earlyExit: boolean;
  /** Parsed payloads by `"true"` / variant key. */
  readonly payloads: ReadonlyMap<string, JsonValue>;
  /** A reason the definition alone makes local evaluation impossible (0 when none). */
  readonly definitionReason: Outcome;
  /** `server`, `client` or `all`. */
  readonly runtime: 'server' | 'client' | 'all';
}

/** Definitions compiled once per load; immutable and safe to share. */
export interface CompiledDefinitions {
  /** Flags by key, in definition order. */
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  /** Keys dropped by evaluation-context filtering; as dependencies they evaluate to false. */
  readonly filteredOut: ReadonlySet<string>;
  /** Cohorts by id. */
  readonly cohorts: ReadonlyMap<string, CompiledGroup>;
  /** Group type index (string) to name. */
  readonly groupTypeMapping: Readonly<Record<string, string>>;
  /** `property_matching_version`. */
  readonly propertyMatchingVersion: number | undefined;
  /** Number of distinct property-filter slots (the per-call memo's size). */
  readonly propertySlots: number;
}

/** A dependency result cache value. */
export type CachedFlagValue = FlagValue;
