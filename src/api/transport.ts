/**
 * The subset of a fetch `Response` the SDK reads. The global `Response` satisfies it.
 */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The request the SDK hands to {@link FetchLike}. */
export interface FetchRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
}

/**
 * A fetch-shaped function: the one seam between the SDK and the network. The default calls
 * `globalThis.fetch` at request time, so polyfills, proxies and instrumentation installed later still apply.
 */
export type FetchLike = (url: string, init: FetchRequest) => Promise<FetchResponse>;
