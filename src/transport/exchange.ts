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

/**
 * A fetch-shaped function as an {@link Exchanger}: each exchange gets its own `AbortController`, and whatever the
 * function gives back is made a well-formed response (see {@link wellFormed}).
 */
export function fetchExchanger(fetch: FetchLike): Exchanger {
  return (url, request) => {
    const controller = new AbortController();
    let response: Promise<FetchResponse>;
    try {
      // Promise.resolve: a custom fetch may return its response itself rather than a promise of it.
      response = Promise.resolve(fetch(url, { ...request, signal: controller.signal })).then(wellFormed);
    } catch (error) {
      response = Promise.reject(error); // a custom fetch that throws instead of rejecting
    }
    return { response, abort: (reason) => controller.abort(reason) };
  };
}

/**
 * A custom `fetch`'s response, read defensively once: a status that is not a number, `text()` that throws or
 * returns no promise, `headers` that are a plain object or whose `get` throws. Each of these failed the attempt
 * with an error nobody handled, or left events unaccounted for; now each is an ordinary failed attempt (retried
 * like a network error) or a missing header.
 */
function wellFormed(raw: FetchResponse): FetchResponse {
  if (typeof raw !== 'object' || raw === null) throw new TypeError('fetch resolved without a response');
  const status = Number(raw.status);
  if (!Number.isInteger(status)) throw new TypeError('fetch resolved with a response without a status');
  const headers = raw.headers;
  return {
    status,
    headers: {
      get(name) {
        try {
          const value: unknown =
            typeof headers?.get === 'function'
              ? headers.get(name)
              : (headers as Record<string, unknown> | undefined)?.[name.toLowerCase()];
          return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
        } catch {
          return null;
        }
      },
    },
    text: async () => String(await raw.text()),
  };
}

/** The exchanger a client uses: the `fetch` option when given, otherwise the platform's own transport. */
export function exchangerFor(
  fetch: FetchLike | undefined,
  platform: { readonly exchange: Exchanger },
): Exchanger {
  return fetch === undefined ? platform.exchange : fetchExchanger(fetch);
}
