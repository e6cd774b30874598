import { type HashFn, sha1Fraction, sha1PartsFraction } from '../hash/bucket.js';
import type { CompiledDefinitions } from './compiled.js';
import type { ExplainCollector } from './explain.js';
import { type Outcome, REASON_NAMES } from './outcome.js';
import type { EvaluationContext, FlagValue, InconclusiveReason, MatchReason } from './types.js';

/** A property map. */
export type Props = Readonly<Record<string, unknown>>;

/** Shared empty property map. */
export const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Per-call evaluation state: the inputs, the dependency cache (created only if a dependency is met), and where
 * the deciding condition and reason are written. One object per `evaluateFlag` / `evaluateAll` call.
 */
export class EvalState {
  /** Dependency results for this call only. */
  depCache: Map<string, FlagValue> | undefined = undefined;
  /** Flags being evaluated as dependencies, to stop cycles. */
  inProgress: Set<string> | undefined = undefined;
  /** Explanation of the highest-precedence inconclusive cause seen. */
  detail = '';
  private detailRank = 9;
  /** Deciding condition of the last finished flag. */
  conditionIndex: number | null = null;
  /** Reason of the last finished flag. */
  matchReason: MatchReason = 'no_condition_match';
  /** Nesting depth of dependency evaluation. */
  depth = 0;
  /**
   * Definite outcomes (plus one; 0 = not yet known) of property-filter slots against the person's own
   * properties during this call, created on first use. Inconclusive outcomes are not kept: they also record a
   * detail, so they are recomputed.
   */
  private memo: Uint8Array | undefined = undefined;
  /** The last rollout hash and its input: consecutive conditions of a flag hash the same `key.id`. */
  private rolloutKey: string | undefined = undefined;
  private rolloutId: string | undefined = undefined;
  private rollout = 0;
  /** `personProperties` or empty. */
  readonly person: Props;
  /** `groups` or empty. */
  readonly groups: Readonly<Record<string, string>>;
  /** `groupProperties` or empty. */
  readonly groupProps: Readonly<Record<string, Props>>;

  constructor(
    readonly defs: CompiledDefinitions,
    readonly ctx: EvaluationContext,
    readonly hash: HashFn = sha1Fraction,
    readonly explain: ExplainCollector | undefined = undefined,
  ) {
    this.person = ctx.personProperties ?? EMPTY;
    this.groups = ctx.groups ?? EMPTY;
    this.groupProps = ctx.groupProperties ?? EMPTY;
  }

  /** Records why `code` is inconclusive (kept if it has the highest precedence so far) and returns `code`. */
  note(code: Outcome, detail: string): Outcome {
    if ((code & 3) < this.detailRank) {
      this.detailRank = code & 3;
      this.detail = detail;
    }
    return code;
  }

  /** The per-call memo of property-filter slots (see `memo`), created on first use. */
  filterMemo(): Uint8Array {
    if (this.memo === undefined) this.memo = new Uint8Array(this.defs.propertySlots);
    return this.memo;
  }

  /**
   * `h(key + "." + id + salt)`: the default SHA-1 hashes the parts in place; a custom hash gets the joined
   * string.
   */
  bucket(key: string, id: string, salt: '' | 'variant'): number {
    if (this.hash === sha1Fraction) return sha1PartsFraction(key, '.', id, salt);
    return this.hash(key + '.' + id + salt);
  }

  /** The rollout hash of `id` for flag `key`, reusing the previous one when it is the same input. */
  rolloutHash(key: string, id: string): number {
    if (id !== this.rolloutId || key !== this.rolloutKey) {
      this.rollout = this.bucket(key, id, '');
      this.rolloutKey = key;
      this.rolloutId = id;
    }
    return this.rollout;
  }

  /** The holdout hash of `id` (`holdout-` and no dot, see holdoutHash in the hash module). */
  holdoutHash(id: string): number {
    return this.hash === sha1Fraction
      ? sha1PartsFraction('holdout-', id, '', '')
      : this.hash('holdout-' + id);
  }

  /** Records the deciding condition and reason. */
  decide(reason: MatchReason, conditionIndex: number | null): void {
    this.matchReason = reason;
    this.conditionIndex = conditionIndex;
  }

  /** Clears per-flag bookkeeping before a top-level flag. */
  resetDetail(): void {
    this.detail = '';
    this.detailRank = 9;
  }
}

/** Reason name of an inconclusive code. */
export function reasonName(code: Outcome): InconclusiveReason {
  return REASON_NAMES[code & 3] as InconclusiveReason;
}

/** `hasOwnProperty`, called without going through the object (which may lack the prototype). */
export const hasOwn = (o: object, key: string): boolean => Object.hasOwn(o, key);
