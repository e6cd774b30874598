/**
 * The subset of a fetch `Response` the SDK reads. The global `Response` satisfies it.
 */
export interface FetchResponse {
  readonly status: number;
  /** Optional, as in posthog-node's fetch type: without it, `Retry-After` and `ETag` are not read. */
  readonly headers?: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The request the SDK hands to {@link FetchLike}. */
export interface FetchRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** A plain `ArrayBuffer`-backed view when binary (gzip), so it is a valid `fetch` body as typed by TypeScript 5.7+. */
  body?: string | Uint8Array<ArrayBuffer>;
  signal: AbortSignal;
}

/**
 * A fetch-shaped function: the one seam between the SDK and the network. The default calls
 * `globalThis.fetch` at request time, so polyfills, proxies and instrumentation installed later still apply.
 */
export type FetchLike = (url: string, init: FetchRequest) => Promise<FetchResponse>;
