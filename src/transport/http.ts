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
 * One HTTP attempt whose timeout covers the whole exchange, response body included. The timer also settles the
 * attempt on its own, so a custom `fetch` that ignores the abort signal still cannot hold the caller past the
 * timeout. `cancel`, when given, aborts the attempt early (used by `shutdown()` at its deadline).
 *
 * One promise and one timer per attempt, settled by whichever of response, error, timeout or cancel comes first:
 * this runs for every batch sent, so it allocates no more than it needs.
 */
export function httpRequest(
  fetch: FetchLike,
  platform: Platform,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string | Uint8Array },
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<HttpOutcome> {
  if (cancel?.aborted)
    return Promise.resolve({ ok: false, error: new Error('request cancelled'), timedOut: false });
  return new Promise<HttpOutcome>((resolve) => {
    const controller = new AbortController();
    let settled = false;
    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      platform.clearTimer(timer);
      cancel?.removeEventListener('abort', onCancel);
      resolve(outcome);
    };
    const fail = (error: unknown): void =>
      finish({
        ok: false,
        error: error instanceof Error ? error : new Error(String(error)),
        timedOut: false,
      });
    const onCancel = (): void => {
      controller.abort(cancel?.reason);
      fail(cancel?.reason);
    };
    const timer = platform.setTimer(() => {
      const error = new RequestTimeoutError(timeoutMs);
      controller.abort(error);
      finish({ ok: false, error, timedOut: true });
    }, timeoutMs);
    cancel?.addEventListener('abort', onCancel, { once: true });
    let request: ReturnType<FetchLike>;
    try {
      request = fetch(url, { ...init, signal: controller.signal });
    } catch (error) {
      fail(error); // a custom fetch that throws instead of rejecting
      return;
    }
    request.then(
      (response) =>
        response
          .text()
          .then(
            (body) => finish({ ok: true, status: response.status, headers: response.headers, body }),
            fail,
          ),
      fail,
    );
  });
}
