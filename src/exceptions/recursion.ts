import type { ExceptionFrame } from '../api/messages.js';

/** Longest cycle, in frames, that {@link collapseRecursion} looks for. */
export const MAX_RECURSION_CYCLE = 10;

/**
 * Collapses exact back-to-back repeats of a run of up to `maxCycle` frames into one copy, so that the same
 * recursive bug gives the same frames (and fingerprint) whatever depth it failed at, and so deep recursion does not
 * spend the whole frame budget. Frames compare by file, function, line and column. Order is preserved.
 */
export function collapseRecursion(
  frames: readonly ExceptionFrame[],
  maxCycle: number = MAX_RECURSION_CYCLE,
): ExceptionFrame[] {
  const out: ExceptionFrame[] = [];
  for (const frame of frames) {
    out.push(frame);
    // Shortest cycle first, so "AAAA" collapses to "A" rather than "AA".
    for (let length = 1; length <= maxCycle && length * 2 <= out.length; length++) {
      if (tailRepeats(out, length)) {
        out.length -= length;
        break;
      }
    }
  }
  return out;
}

function tailRepeats(frames: readonly ExceptionFrame[], length: number): boolean {
  const end = frames.length;
  for (let i = 1; i <= length; i++) {
    const a = frames[end - i];
    const b = frames[end - length - i];
    if (a === undefined || b === undefined || !sameFrame(a, b)) return false;
  }
  return true;
}

function sameFrame(a: ExceptionFrame, b: ExceptionFrame): boolean {
  return (
    a.filename === b.filename && a.function === b.function && a.lineno === b.lineno && a.colno === b.colno
  );
}
