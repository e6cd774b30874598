/**
 * Internal tri-state outcomes as small integers, so the hot path never allocates or throws: 0 is false, 1 is
 * true, and anything with the INCONCLUSIVE bit carries a reason rank in the low two bits plus marker bits.
 */

/** An outcome code. */
export type Outcome = number;

/** Definite no. */
export const FALSE = 0;
/** Definite yes. */
export const TRUE = 1;
/** Set on every inconclusive outcome. */
export const INCONCLUSIVE = 4;
/** Marks uncertainty from a regex only the server can run; it keeps a later match from winning (see evaluate). */
export const REGEX = 8;
/** Marks data only the server has (static cohort, odd cohort group): the whole flag goes to the server at once. */
export const SERVER = 16;

/** Reason ranks, lowest wins. */
export const CONTINUITY = INCONCLUSIVE | 0;
/** `unsupported_definition`. */
export const UNSUPPORTED = INCONCLUSIVE | 1;
/** `unresolved_dependency`. */
export const UNRESOLVED = INCONCLUSIVE | 2;
/** `missing_context`. */
export const MISSING = INCONCLUSIVE | 3;

/** Whether an outcome is inconclusive. */
export function isInconclusive(o: Outcome): boolean {
  return (o & INCONCLUSIVE) !== 0;
}

/**
 * Merges a new inconclusive outcome into an accumulator (0 = none yet): the reason with the higher precedence
 * wins and the REGEX marker is sticky. SERVER is not carried; callers decide what it means at their level.
 */
export function mergeInconclusive(acc: Outcome, next: Outcome): Outcome {
  const regex = (acc | next) & REGEX;
  if (acc === 0) return (next & (INCONCLUSIVE | 3)) | regex;
  return ((next & 3) < (acc & 3) ? next & (INCONCLUSIVE | 3) : acc & (INCONCLUSIVE | 3)) | regex;
}

/** The reported reason names, indexed by rank. */
export const REASON_NAMES = [
  'experience_continuity',
  'unsupported_definition',
  'unresolved_dependency',
  'missing_context',
] as const;
