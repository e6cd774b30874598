import type { FetchLike, FetchRequest, FetchResponse } from '../api/transport.js';

/** A request as the SDK hands it to an {@link Exchanger}: a fetch request without its abort signal. */
export type ExchangeRequest = Omit<FetchRequest, 'signal'>;

/** One HTTP request in flight: its response, and the way to abandon it. */
export interface Exchange {
  readonly response: Promise<FetchResponse>;
  /** Abandons the request (timeout, shutdown); the response then rejects or is ignored. */
  abort(reason: Error): void;
}

/**
 * Starts one HTTP exchange: the SDK's network seam. The Node platform's transport implements it directly, so a
 * request it sends needs no `AbortController`, no listener on a signal and none of the clean-up Node's HTTP
 * client attaches to one: in a fresh process those cost about 90 µs of main-thread time a request (profiled, 10k
 * events to a local server). A `fetch` option, and the web platform's global `fetch`, are adapted by
 * {@link fetchExchanger}.
 */
export type Exchanger = (url: string, request: ExchangeRequest) => Exchange;

/** A fetch-shaped function as an {@link Exchanger}: each exchange gets its own `AbortController`. */
export function fetchExchanger(fetch: FetchLike): Exchanger {
  return (url, request) => {
    const controller = new AbortController();
    let response: Promise<FetchResponse>;
    try {
      response = fetch(url, { ...request, signal: controller.signal });
    } catch (error) {
      response = Promise.reject(error); // a custom fetch that throws instead of rejecting
    }
    return { response, abort: (reason) => controller.abort(reason) };
  };
}

/** The exchanger a client uses: the `fetch` option when given, otherwise the platform's own transport. */
export function exchangerFor(
  fetch: FetchLike | undefined,
  platform: { readonly exchange: Exchanger },
): Exchanger {
  return fetch === undefined ? platform.exchange : fetchExchanger(fetch);
}
