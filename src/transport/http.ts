import type { FetchLike } from '../api/transport.js';
import type { Platform } from '../platform/platform.js';

/** The outcome of one HTTP attempt: a response read to the end, or the error that stopped it. */
export type HttpOutcome =
  | { ok: true; status: number; headers: { get(name: string): string | null }; body: string }
  | { ok: false; error: Error; timedOut: boolean };

/** Raised when an attempt exceeds its timeout. */
export class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * One HTTP attempt whose timeout covers the whole exchange, response body included. The timer also races the
 * fetch, so a custom `fetch` that ignores the abort signal still cannot hold the caller past the timeout.
 * `cancel`, when given, aborts the attempt early (used by `shutdown()` at its deadline).
 */
export async function httpRequest(
  fetch: FetchLike,
  platform: Platform,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string | Uint8Array },
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<HttpOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<Platform['setTimer']> | undefined;
  let timedOut = false;
  const onCancel = () => controller.abort(cancel?.reason);
  if (cancel?.aborted) return { ok: false, error: new Error('request cancelled'), timedOut: false };
  cancel?.addEventListener('abort', onCancel, { once: true });
  const deadline = new Promise<never>((_, reject) => {
    timer = platform.setTimer(() => {
      timedOut = true;
      const error = new RequestTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  deadline.catch(() => {}); // settled by the race below; this only silences the unused branch
  try {
    const exchange = (async () => {
      const response = await fetch(url, { ...init, signal: controller.signal });
      const body = await response.text();
      return { ok: true as const, status: response.status, headers: response.headers, body };
    })();
    exchange.catch(() => {});
    return await Promise.race([exchange, deadline]);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)), timedOut };
  } finally {
    if (timer !== undefined) platform.clearTimer(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}
