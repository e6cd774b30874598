import type { FlagValue, InconclusiveReason } from './types.js';

/** How one filter (or cohort, or dependency) came out. */
export type ExplainOutcome = 'matched' | 'not_matched' | 'inconclusive';

/**
 * One step of an evaluation, in the order it happened. Events are only built when a collector is passed, so
 * plain evaluation pays nothing for them.
 */
export type ExplainEvent =
  | { readonly type: 'flag'; readonly key: string; readonly depth: number }
  | {
      readonly type: 'holdout';
      readonly flag: string;
      readonly hash: number;
      readonly threshold: number;
      readonly heldOut: boolean;
    }
  | {
      readonly type: 'condition_skipped';
      readonly flag: string;
      readonly condition: number;
      readonly why: string;
    }
  | {
      readonly type: 'filter';
      readonly flag: string;
      /** Condition index, or -1 inside a cohort. */
      readonly condition: number;
      readonly filterType: 'property' | 'cohort' | 'flag';
      readonly key: string;
      readonly operator: string;
      readonly outcome: ExplainOutcome;
      /** For inconclusive outcomes. */
      readonly reason?: InconclusiveReason;
    }
  | {
      readonly type: 'rollout';
      readonly flag: string;
      readonly condition: number;
      readonly hash: number;
      readonly threshold: number;
      readonly passed: boolean;
    }
  | {
      readonly type: 'variant';
      readonly flag: string;
      readonly hash: number;
      readonly ranges: readonly { readonly key: string; readonly min: number; readonly max: number }[];
      readonly selected: FlagValue;
    }
  | { readonly type: 'dependency'; readonly flag: string; readonly value: FlagValue | 'inconclusive' }
  | { readonly type: 'result'; readonly flag: string; readonly value: FlagValue | 'inconclusive' };

/** Receives explanation events. */
export interface ExplainCollector {
  /** Called once per event. */
  record(event: ExplainEvent): void;
}

/** A collector that keeps every event in an array. */
export interface ExplainTrace extends ExplainCollector {
  /** Events in order. */
  readonly events: ExplainEvent[];
}

/** Creates an {@link ExplainTrace}. */
export function createExplainTrace(): ExplainTrace {
  const events: ExplainEvent[] = [];
  return { events, record: (event) => void events.push(event) };
}
