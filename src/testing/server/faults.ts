import { type Answer, errorAnswer } from './answers.js';
import { seededRandom } from './prng.js';
import type { FaultOptions } from './types.js';

const DEFAULT_STATUSES: readonly number[] = [500, 503, 429, 413];

/** Decides, request by request, whether a capture request gets an injected fault instead of the normal answer. */
export class FaultInjector {
  private readonly random: () => number;
  private readonly statuses: readonly number[];

  constructor(private readonly options: FaultOptions) {
    this.random = seededRandom(options.seed);
    this.statuses =
      options.statuses !== undefined && options.statuses.length > 0 ? options.statuses : DEFAULT_STATUSES;
  }

  /** The fault for the next request, or `undefined` to answer normally. */
  next(): Answer | undefined {
    // Always draw the same number of values per request, so the n-th request's fate depends only on the seed
    // and n, not on which branch earlier requests took.
    const resetDraw = this.random();
    const errorDraw = this.random();
    const statusDraw = this.random();
    if (resetDraw < (this.options.resetRate ?? 0)) return { kind: 'reset', delayMs: 0 };
    if (errorDraw >= this.options.errorRate) return undefined;
    const status = this.statuses[Math.floor(statusDraw * this.statuses.length)] ?? 500;
    const headers: Record<string, string> = {};
    if (this.options.retryAfterSeconds !== undefined && (status === 429 || status === 503)) {
      headers['retry-after'] = String(this.options.retryAfterSeconds);
    }
    return errorAnswer(status, 'Injected fault', headers);
  }
}
