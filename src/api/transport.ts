/**
 * The subset of a fetch `Response` the SDK reads. The global `Response` satisfies it.
 */
export interface FetchResponse {
  /** The HTTP status; it decides between success, retry, splitting the batch (413) and giving up. */
  readonly status: number;
  /** Optional, as in posthog-node's fetch type: without it, `Retry-After` and `ETag` are not read. */
  readonly headers?: { get(name: string): string | null };
  /** The response body, read for every response; the attempt's timeout covers reading it. */
  text(): Promise<string>;
}

/**
 * A binary (gzipped) request body: a `Uint8Array` over a plain `ArrayBuffer`, which TypeScript 5.7+ requires of a
 * `fetch` body. Spelt without the generic `Uint8Array<ArrayBuffer>`, which TypeScript 5.6 and older do not know.
 */
export type BinaryBody = Uint8Array & { readonly buffer: ArrayBuffer };

/** The request the SDK hands to {@link FetchLike}. */
export interface FetchRequest {
  /** `POST` for events and `/flags`, `GET` for flag definitions and remote config. */
  method: 'GET' | 'POST';
  /** Complete headers to send as given, `Content-Encoding: gzip` included when the body is compressed. */
  headers: Record<string, string>;
  /** JSON text, or gzipped JSON as bytes; absent on `GET`. */
  body?: string | BinaryBody;
  /**
   * Aborted when the attempt times out (`requestTimeout`) or `shutdown()` reaches its deadline. A fetch that
   * ignores it is abandoned at that point anyway, its response unread.
   */
  signal: AbortSignal;
}

/**
 * A fetch-shaped function: the one seam between the SDK and the network, replaceable through the `fetch` option.
 * Without it, Node uses the client's own `node:http(s)` pool and web runtimes call `globalThis.fetch` at request
 * time, so polyfills and instrumentation installed later still apply.
 */
export type FetchLike = (url: string, init: FetchRequest) => Promise<FetchResponse>;
