import { evaluateFlag } from '../evaluation/evaluate.js';
import { createExplainTrace, type ExplainOutcome } from '../evaluation/explain.js';
import type { FlagEvaluationResult, FlagValue, InconclusiveReason } from '../evaluation/types.js';
import type { FlagEngine } from './engine.js';
import { buildTrace, describeTrace } from './explain-trace.js';
import type { FlagEvaluationOptions } from './types.js';

/** One property, cohort or dependency filter of a condition, as it came out. */
export interface ExplainedFilter {
  /** `property`, `cohort` or `flag` (a dependency). */
  readonly type: 'property' | 'cohort' | 'flag';
  /** Property key, cohort id, or dependency flag key. */
  readonly key: string;
  /** Operator (`in`/`not_in` for cohorts, `flag_evaluates_to` for dependencies). */
  readonly operator: string;
  /** How it came out. */
  readonly outcome: ExplainOutcome;
  /** Why it was inconclusive. */
  readonly reason?: InconclusiveReason;
}

/** One release condition. */
export interface ExplainedCondition {
  /** Position in the flag's conditions. */
  readonly index: number;
  /** Rollout percentage (100 when unset). */
  readonly rolloutPercentage: number;
  /** Variant forced by the condition, if any. */
  readonly variantOverride: string | null;
  /** Whether evaluation reached this condition. */
  evaluated: boolean;
  /** Why it was skipped (mixed targeting without the group). */
  skipped?: string;
  /** Filters in the order they were evaluated. */
  readonly filters: ExplainedFilter[];
  /** The rollout check, when the filters matched. */
  rollout?: { readonly hash: number; readonly threshold: number; readonly passed: boolean };
}

/** How one flag (or a dependency of it) was evaluated. */
export interface ExplainedFlag {
  /** Flag key. */
  readonly key: string;
  /** 0 for the flag asked about, 1+ for dependencies. */
  readonly depth: number;
  /** Definition version, when the definitions carry one. */
  readonly version: number | undefined;
  /** Holdout check, if the flag has one. */
  holdout?: { readonly hash: number; readonly threshold: number; readonly heldOut: boolean };
  /** Conditions in order. */
  readonly conditions: ExplainedCondition[];
  /** Variant selection, when a condition matched a multivariate flag. */
  variant?: {
    readonly hash: number;
    readonly ranges: readonly { readonly key: string; readonly min: number; readonly max: number }[];
    readonly selected: FlagValue;
  };
  /** Dependencies evaluated on the way, in order. */
  readonly dependencies: ExplainedFlag[];
  /** Its value, or `inconclusive`. */
  value?: FlagValue | 'inconclusive';
}

/** The answer of `explainFeatureFlag()`. */
export interface FlagExplanation {
  /** Flag key. */
  readonly key: string;
  /** Whose evaluation this is. */
  readonly distinctId: string;
  /** Whether local definitions were loaded. */
  readonly definitionsLoaded: boolean;
  /** When the definitions were fetched from PostHog (epoch ms), if they were. */
  readonly definitionsFetchedAt: number | undefined;
  /** Whether the flag is in the local definitions. */
  readonly found: boolean;
  /** An override set with `overrideFeatureFlags`, which wins over everything below. */
  readonly override: FlagValue | undefined;
  /** The local result, or undefined when the flag could not be evaluated locally at all. */
  readonly result: FlagEvaluationResult | undefined;
  /** Whether a flag call with these options would ask `/flags`, and why. */
  readonly wouldAskServer: boolean;
  /** Why the server would (or would not) be asked. */
  readonly serverReason: string;
  /** The step-by-step tree. */
  readonly trace: ExplainedFlag | undefined;
  /** The same, as readable lines. */
  readonly lines: readonly string[];
}

/**
 * `explainFeatureFlag()`: how the flag's value is reached for this person, evaluating locally only (waiting
 * for the first definitions load like a flag call would) and sending nothing.
 */
export async function explainFlag(
  engine: FlagEngine,
  key: string,
  distinctId: string,
  options: FlagEvaluationOptions | undefined,
): Promise<FlagExplanation> {
  const defs = await engine.definitions();
  const onlyLocal = engine.onlyLocal(options);
  const override = engine.overrides.flags?.get(key);
  const found = defs?.compiled.flags.has(key) ?? false;
  let result: FlagExplanation['result'];
  let trace: FlagExplanation['trace'];
  if (defs !== undefined && found) {
    const collector = createExplainTrace();
    result = evaluateFlag(defs.compiled, key, engine.context(String(distinctId), options), {
      explain: collector,
    });
    trace = buildTrace(collector.events, defs.compiled);
  }
  const inconclusive = result === undefined || result.kind === 'inconclusive';
  const wouldAskServer = override === undefined && inconclusive && !onlyLocal;
  let serverReason: string;
  if (override !== undefined) serverReason = 'the flag is overridden locally';
  else if (!inconclusive) serverReason = 'local evaluation decided';
  else {
    const why =
      defs === undefined
        ? 'no local definitions are loaded'
        : !found
          ? 'the flag is not in the local definitions'
          : result?.kind === 'inconclusive'
            ? `local evaluation is inconclusive (${result.unresolvedReason}: ${result.detail})`
            : 'unknown';
    serverReason = onlyLocal
      ? `${why}; local-only, so the value would be undefined`
      : `${why}; /flags would be asked`;
  }
  const lines = trace === undefined ? [] : describeTrace(trace);
  if (override !== undefined) lines.unshift(`override: ${String(override)}`);
  lines.push(wouldAskServer ? `server: asked (${serverReason})` : `server: not asked (${serverReason})`);
  return {
    key,
    distinctId: String(distinctId),
    definitionsLoaded: defs !== undefined,
    definitionsFetchedAt: defs?.fetchedAt,
    found,
    override,
    result,
    wouldAskServer,
    serverReason,
    trace,
    lines,
  };
}
