import { compileFilter, compileGroup, safeString } from './compile-filter.js';
import type {
  CompiledCondition,
  CompiledDefinitions,
  CompiledFilter,
  CompiledFlag,
  CompiledGroup,
  VariantRange,
} from './compiled.js';
import { FilterSlots } from './filter-memo.js';
import { CONTINUITY, type Outcome, UNSUPPORTED } from './outcome.js';
import type {
  JsonValue,
  RawDefinitions,
  RawFilters,
  RawFlag,
  RawPropertyFilter,
  RawPropertyGroup,
} from './types.js';

/** Options for {@link compileDefinitions}. */
export interface CompileOptions {
  /**
   * Keep only flags whose `evaluation_contexts` (legacy `evaluation_tags`) is empty or shares an entry with this
   * list. Dropped flags evaluate to false when another flag depends on them.
   */
  readonly evaluationContexts?: readonly string[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function deepFreeze<T>(value: T): T {
  if (isObject(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parsePayload(raw: unknown): JsonValue {
  if (typeof raw !== 'string') return deepFreeze(raw as JsonValue);
  try {
    return deepFreeze(JSON.parse(raw) as JsonValue);
  } catch {
    return raw;
  }
}

function keepForContexts(flag: RawFlag, contexts: ReadonlySet<string> | null): boolean {
  if (contexts === null) return true;
  const tags = flag.evaluation_contexts ?? flag.evaluation_tags;
  return !Array.isArray(tags) || tags.length === 0 || tags.some((t) => contexts.has(t));
}

/** Whether a filter can never be evaluated locally, following cohorts (each cohort once). */
function filterNeedsServer(
  f: CompiledFilter,
  cohorts: ReadonlyMap<string, CompiledGroup>,
  seen: Set<string>,
): boolean {
  if (f.type === 'flag') return f.chainProblem !== '';
  if (f.type === 'property') return f.unsupported;
  const group = cohorts.get(f.cohortId);
  if (group === undefined) return true;
  if (seen.has(f.cohortId)) return false;
  seen.add(f.cohortId);
  return groupNeedsServer(group, cohorts, seen);
}

function groupNeedsServer(
  g: CompiledGroup,
  cohorts: ReadonlyMap<string, CompiledGroup>,
  seen: Set<string>,
): boolean {
  if (g.kind === 'empty' || g.kind === 'unsupported') return false;
  if (g.nested !== null) return g.nested.some((n) => groupNeedsServer(n, cohorts, seen));
  return (g.leaves ?? []).some((l) => filterNeedsServer(l, cohorts, seen));
}

function compileFlag(
  raw: RawFlag,
  defs: Omit<CompiledDefinitions, 'flags' | 'propertySlots'>,
  knownFlag: (key: string) => boolean,
  slots: FilterSlots,
): CompiledFlag {
  const filters: RawFilters = isObject(raw.filters) ? raw.filters : {};
  const version = defs.propertyMatchingVersion;
  const aggregation = filters.aggregation_group_type_index;
  const isGroupFlag = aggregation !== undefined && aggregation !== null;
  const mapping = defs.groupTypeMapping;
  const groupName = isGroupFlag ? mapping[String(aggregation)] || undefined : undefined;

  const variants: VariantRange[] = [];
  let min = 0;
  for (const v of Array.isArray(filters.multivariate?.variants) ? filters.multivariate.variants : []) {
    const max = min + Number(v.rollout_percentage) / 100;
    variants.push({ key: v.key, min, max });
    min = max;
  }

  const conditions: CompiledCondition[] = (Array.isArray(filters.groups) ? filters.groups : []).map(
    (c, index) => {
      const own = c.aggregation_group_type_index;
      const effective = own !== undefined ? own : aggregation;
      const overridesGroup = effective !== aggregation && effective !== null && effective !== undefined;
      const forced = c.variant;
      return {
        index,
        filters: (Array.isArray(c.properties) ? c.properties : []).map((p: RawPropertyFilter) =>
          compileFilter(p, version, knownFlag, slots),
        ),
        threshold:
          c.rollout_percentage === null || c.rollout_percentage === undefined
            ? null
            : Number(c.rollout_percentage) / 100,
        forcedVariant: forced && variants.some((v) => v.key === forced) ? forced : null,
        overridesGroup,
        groupName: overridesGroup ? mapping[String(effective)] || undefined : undefined,
      };
    },
  );

  let holdout: CompiledFlag['holdout'] = null;
  const h = filters.holdout;
  if (isObject(h) && h.id !== null && h.id !== undefined && h.exclusion_percentage != null) {
    const pct = Number(h.exclusion_percentage);
    if (Number.isFinite(pct)) {
      const clamped = Math.min(Math.max(pct, 0), 100);
      holdout = { value: `holdout-${h.id}`, threshold: clamped / 100, all: clamped === 100 };
    }
  }

  const payloads = new Map<string, JsonValue>();
  if (isObject(filters.payloads)) {
    for (const [k, v] of Object.entries(filters.payloads)) if (v) payloads.set(k, parsePayload(v));
  }

  const active = Boolean(raw.active);
  const continuity = Boolean(raw.ensure_experience_continuity);
  let definitionReason: Outcome = 0;
  if (active) {
    if (continuity) definitionReason = CONTINUITY;
    else if (isGroupFlag && groupName === undefined) definitionReason = UNSUPPORTED;
    else if (conditions.some((c) => c.filters.some((f) => filterNeedsServer(f, defs.cohorts, new Set())))) {
      definitionReason = UNSUPPORTED;
    }
  }
  const runtime =
    raw.evaluation_runtime === 'client' || raw.evaluation_runtime === 'server'
      ? raw.evaluation_runtime
      : 'all';

  return {
    key: raw.key,
    raw,
    active,
    continuity,
    isGroupFlag,
    aggregation,
    groupName,
    deviceBucketing: raw.bucketing_identifier === 'device_id',
    holdout,
    conditions,
    variants,
    earlyExit: filters.early_exit === true,
    payloads,
    definitionReason,
    runtime,
  };
}

// What a flag whose definition cannot be read (a null condition, filter or variant: shapes PostHog never sends)
// compiles as: one filter no context can satisfy locally, so that flag alone is left to the server.
const MALFORMED: RawFilters = {
  groups: [{ properties: [{ key: 'definition', operator: 'malformed', value: null, type: 'person' }] }],
};

function compileFlagOrDefer(
  raw: RawFlag,
  defs: Omit<CompiledDefinitions, 'flags' | 'propertySlots'>,
  knownFlag: (key: string) => boolean,
  slots: FilterSlots,
): CompiledFlag {
  try {
    return compileFlag(raw, defs, knownFlag, slots);
  } catch {
    return compileFlag({ ...raw, filters: MALFORMED }, defs, knownFlag, slots);
  }
}

/**
 * Compiles a definitions response once per load: indexes flags by key, parses cohorts, filter values (regexes,
 * dates, semver, exact-match spellings) and payloads, so that evaluation does no parsing. Never throws; anything
 * malformed becomes an unsupported filter or is skipped, and costs only the flags that use it.
 */
export function compileDefinitions(raw: unknown, options: CompileOptions = {}): CompiledDefinitions {
  const body: RawDefinitions = isObject(raw) ? (raw as RawDefinitions) : {};
  const version =
    typeof body.property_matching_version === 'number' ? body.property_matching_version : undefined;
  const allFlags = (Array.isArray(body.flags) ? body.flags : []).filter(
    (f): f is RawFlag => isObject(f) && typeof f.key === 'string',
  );
  const contexts = options.evaluationContexts?.length ? new Set(options.evaluationContexts) : null;
  const kept = allFlags.filter((f) => keepForContexts(f, contexts));
  const keptKeys = new Set(kept.map((f) => f.key));
  const filteredOut = new Set(allFlags.filter((f) => !keptKeys.has(f.key)).map((f) => f.key));
  const knownFlag = (key: string): boolean => keptKeys.has(key) || filteredOut.has(key);

  const groupTypeMapping: Record<string, string> = {};
  if (isObject(body.group_type_mapping)) {
    for (const [k, v] of Object.entries(body.group_type_mapping))
      if (typeof v === 'string') groupTypeMapping[k] = v;
  }
  const slots = new FilterSlots();
  const cohorts = new Map<string, CompiledGroup>();
  if (isObject(body.cohorts)) {
    for (const [id, group] of Object.entries(body.cohorts)) {
      try {
        cohorts.set(id, compileGroup(group as RawPropertyGroup, version, knownFlag, slots));
      } catch {
        // Left out: a flag that uses an unknown cohort is left to the server, and the other flags still load.
      }
    }
  }
  const base = { filteredOut, cohorts, groupTypeMapping, propertyMatchingVersion: version };
  const flags = new Map<string, CompiledFlag>();
  for (const f of kept) flags.set(f.key, compileFlagOrDefer(f, base, knownFlag, slots));
  return { ...base, flags, propertySlots: slots.size };
}

export { safeString };
