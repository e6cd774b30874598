import type { Platform } from '../platform/platform.js';
import { asError } from '../utils/safe-string.js';
import type { ExchangeRequest, Exchanger } from './exchange.js';

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

type Canceller = (reason: unknown) => void;

/**
 * The attempts running under each cancel signal. A signal gets one listener for all its attempts, added the first
 * time it is seen, instead of one listener added and removed per attempt: a client's cancel signal lives as long
 * as the client and sees every batch it sends.
 */
const underSignal = new WeakMap<AbortSignal, Set<Canceller>>();

function attemptsUnder(signal: AbortSignal): Set<Canceller> {
  let attempts = underSignal.get(signal);
  if (attempts === undefined) {
    const set = new Set<Canceller>();
    signal.addEventListener(
      'abort',
      () => {
        // Each canceller removes itself as it settles, which a Set's iteration allows. One whose abort throws (a
        // custom fetch's signal handling) must not keep the attempts after it running until their timeouts.
        for (const cancel of set) {
          try {
            cancel(signal.reason);
          } catch {
            // That attempt is already settled: its canceller fails it before aborting the request.
          }
        }
        set.clear();
      },
      { once: true },
    );
    underSignal.set(signal, set);
    attempts = set;
  }
  return attempts;
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
  exchange: Exchanger,
  platform: Platform,
  url: string,
  init: ExchangeRequest,
  timeoutMs: number,
  cancel?: AbortSignal,
): Promise<HttpOutcome> {
  if (cancel?.aborted)
    return Promise.resolve({ ok: false, error: new Error('request cancelled'), timedOut: false });
  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    let request: ReturnType<Exchanger> | undefined;
    const attempts = cancel === undefined ? undefined : attemptsUnder(cancel);
    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      platform.clearTimer(timer);
      attempts?.delete(onCancel);
      resolve(outcome);
    };
    const fail = (error: unknown): void =>
      finish({
        ok: false,
        error: asError(error),
        timedOut: false,
      });
    const onCancel: Canceller = (reason) => {
      const error = asError(reason);
      // Settled first: an abort that throws (a custom fetch's signal handling) cannot leave the attempt pending.
      fail(error);
      request?.abort(error);
    };
    const timer = platform.setTimer(() => {
      const error = new RequestTimeoutError(timeoutMs);
      finish({ ok: false, error, timedOut: true });
      request?.abort(error);
    }, timeoutMs);
    attempts?.add(onCancel);
    try {
      request = exchange(url, init);
    } catch (error) {
      fail(error); // a custom transport that throws instead of rejecting
      return;
    }
    // Every step that could throw is inside a promise chain ending in `fail`: no rejection is left unhandled.
    Promise.resolve(request.response)
      .then(async (response) => {
        const body = await response.text();
        finish({ ok: true, status: response.status, headers: response.headers ?? NO_HEADERS, body });
      })
      .catch(fail);
  });
}

/** The headers of a response from a custom `fetch` that gives none (posthog-node's fetch type allows that). */
const NO_HEADERS = { get: (): null => null };
