/**
 * What to do with a response status:
 * - `ok`: delivered;
 * - `retry`: transient (408, 429, 5xx), try again after a backoff;
 * - `split`: 413, the batch is too large: send each half separately, drop a lone event;
 * - `reject`: any other status; retrying would get the same answer.
 */
export type StatusClass = 'ok' | 'retry' | 'split' | 'reject';

export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 413) return 'split';
  return 'reject';
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date) into milliseconds, or `undefined`.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The wait before retry number `retry` (1 for the first retry): exponential from `base`, with "equal jitter"
 * (a random point in the upper half of the step) so a fleet of clients does not retry in lock-step while the
 * waits still grow from one retry to the next, until the step reaches `max`; from there each wait is a random
 * point between `max / 2` and `max`. A server's `Retry-After` is honoured as a lower bound. Both are capped at
 * `max`.
 */
export function backoffDelay(
  retry: number,
  base: number,
  max: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const step = Math.min(max, base * 2 ** Math.min(retry - 1, 30));
  const jittered = step / 2 + random() * (step / 2);
  return Math.round(Math.min(max, Math.max(jittered, retryAfterMs ?? 0)));
}
