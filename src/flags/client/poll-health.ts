import type { SdkLogger } from '../../logging/sdk-logger.js';
import { backoffDelay } from '../../transport/retry-policy.js';

/** The poller's health, logged once per change. */
export type PollState =
  | 'init'
  | 'ok'
  | 'unauthorized'
  | 'rate_limited'
  | 'quota_limited'
  | 'invalid'
  | 'failing';

/** Backoff never waits longer than this between polls. */
const MAX_BACKOFF_MS = 60_000;
/** Backoff base when polling is off (interval 0). */
const BACKOFF_BASE_MS = 30_000;
/** A server's `Retry-After` is honoured up to this long: past it, a misconfigured proxy could stop polling for good. */
const MAX_RETRY_AFTER_MS = 600_000;

/**
 * The definitions poller's state machine and backoff: the current {@link PollState} (one log line per change
 * of health, not per poll) and the count of consecutive refusals (401/403/429) that stretches the next delay.
 */
export class PollHealth {
  /** Consecutive refused polls; 0 after any 200, 304 or 402. */
  errors = 0;
  /** The `Retry-After` of the last refusal (a 429's), in ms; the next poll waits at least this long. */
  retryAfterMs: number | undefined;
  private state: PollState = 'init';

  constructor(private readonly logger: SdkLogger) {}

  /** Moves to `state`, logging one line if it changed; returns whether it changed. */
  enter(state: PollState, message: string): boolean {
    const previous = this.state;
    if (state === previous) {
      this.logger.debug(message);
      return false;
    }
    this.state = state;
    if (state === 'ok') {
      if (previous === 'init') this.logger.info(message);
      else this.logger.warn(`flag definitions recovered: ${message}`);
    } else this.logger.warn(message);
    return true;
  }

  /**
   * The delay before the next poll: `interval`, or after refusals a jittered backoff capped at 60 s (based on
   * 30 s when polling is off), and never less than the refusal's `Retry-After` (itself capped at 10 minutes).
   * `undefined` when polling is off (interval 0) and nothing was refused.
   */
  nextDelay(interval: number): number | undefined {
    if (this.errors > 0) {
      // 2^errors times the interval, jittered so a fleet that was refused together does not return together.
      const backoff = backoffDelay(this.errors + 1, interval || BACKOFF_BASE_MS, MAX_BACKOFF_MS, undefined);
      return Math.max(backoff, Math.min(this.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    }
    return interval === 0 ? undefined : interval;
  }
}
