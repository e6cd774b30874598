import { setImmediate as immediate } from 'node:timers/promises';

/** Monotonic time in nanoseconds, as a Number (exact up to ~104 days). */
export function nowNs() {
  return Number(process.hrtime.bigint());
}

/** Monotonic time in milliseconds. */
export function nowMs() {
  return nowNs() / 1e6;
}

/** Yields to the event loop once (lets I/O callbacks and timers run). */
export function tick() {
  return immediate();
}

/**
 * Yields until `check()` is true, or throws after `timeoutMs`.
 * Used to wait for work an SDK defers to microtasks/promises (posthog-node enqueues asynchronously).
 */
export async function until(check, timeoutMs, describe) {
  const deadline = nowMs() + timeoutMs;
  while (!check()) {
    if (nowMs() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe}`);
    await tick();
  }
}
