/** Token-bucket settings: `bucketSize` captures at once, refilled at `refillPerSecond`. */
export interface RateLimitOptions {
  /** Most captures of one exception type in a burst. Default 10. */
  bucketSize: number;
  /** Tokens added back per second. Default 0.1 (one every 10 s). */
  refillPerSecond: number;
}

/** posthog-node's limits: 10 per type at once, then one every 10 seconds. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { bucketSize: 10, refillPerSecond: 0.1 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

// Types are usually a handful of class names, but a message-derived type could be unbounded.
const MAX_TRACKED_TYPES = 1000;

/**
 * One token bucket per exception type, so a crash loop of one error cannot drown out the others or flood the
 * project, while the first occurrences of every type still get through.
 */
export class TypeRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `type`; false when its bucket is empty and the capture should be dropped. */
  take(type: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(type);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_TYPES) this.buckets.clear();
      bucket = { tokens: this.options.bucketSize, updatedAt: now };
      this.buckets.set(type, bucket);
    }
    const refill = ((now - bucket.updatedAt) / 1000) * this.options.refillPerSecond;
    bucket.tokens = Math.min(this.options.bucketSize, bucket.tokens + Math.max(0, refill));
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
