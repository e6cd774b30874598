/** Options for {@link startLocalPostHog}. */
export interface LocalPostHogOptions {
  /** Port to listen on. `0` (the default) picks a free ephemeral port. */
  port?: number;
  /** Interface to bind. Defaults to `'127.0.0.1'` so the server is never reachable from outside the machine. */
  hostname?: string;
  /**
   * Personal API key the definitions and remote-config routes require as `Authorization: Bearer <secretKey>`.
   * When unset, any non-empty Bearer token is accepted; a missing one is still answered with 401.
   */
  secretKey?: string;
  /**
   * Keep decoded events and capture request bodies (the default). Set to `false` for long benchmarks: the server
   * then keeps counters, the set of accepted uuids and one small record per request (method, path, headers,
   * status; no body, no events).
   */
  recordEvents?: boolean;
  /** Initial local-evaluation definitions body (`{flags, group_type_mapping, cohorts}`). */
  definitions?: unknown;
}

/** A family of endpoints that share one queue of scripted responses. */
export type RouteGroup = 'capture' | 'flags' | 'definitions' | 'remote_config';

/** Which endpoint a request was classified as. `'unknown'` requests are answered with 404. */
export type ReceivedRoute =
  | 'batch'
  | 'capture_v1'
  | 'ai'
  | 'flags'
  | 'definitions'
  | 'remote_config'
  | 'unknown';

/** How a request body was encoded on the wire. */
export type BodyEncoding = 'gzip' | 'deflate' | 'br' | 'identity';

/**
 * The per-event outcome of a capture v1 request. The strings are shorthands for `{result: <string>}`;
 * `ok` and `warning` count as delivered.
 */
export type V1Result = 'ok' | 'retry' | 'drop' | 'limited' | 'warning' | { result: string; details?: string };

/** One scripted answer, consumed by the next request of its {@link RouteGroup}. */
export interface ScriptedResponse {
  /** HTTP status. Defaults to 200. */
  status?: number;
  /** Extra response headers; they override the server's defaults (for example `Retry-After`). */
  headers?: Record<string, string>;
  /** Response body. Objects are sent as JSON. When omitted, a body fitting the route and status is generated. */
  body?: string | object;
  /** Milliseconds to wait before answering (or before resetting the connection). */
  delayMs?: number;
  /** Destroy the connection instead of answering, as a crashed proxy or server would. */
  reset?: boolean;
  /** Never answer; the request stays open until the client gives up or the server stops. */
  hang?: boolean;
  /**
   * Capture v1 only: per-event results by position in the batch (events past the end get `ok`). The server answers
   * `{"results": {<uuid>: {result, details?}}}` and adds `Retry-After: 1` when any result is `retry`, unless
   * {@link ScriptedResponse.headers} already carries one.
   */
  v1Results?: V1Result[];
}

/** Random, seeded faults for the `capture` group, applied when no scripted response is queued. */
export interface FaultOptions {
  /** Seed of the deterministic generator: the same seed gives the same faults for the same request sequence. */
  seed: number;
  /** Share (0..1) of requests answered with one of {@link FaultOptions.statuses}. */
  errorRate: number;
  /** Statuses to pick from. Defaults to `[500, 503, 429, 413]`. */
  statuses?: number[];
  /** Share (0..1) of requests whose connection is destroyed without an answer. */
  resetRate?: number;
  /** When set, sent as `Retry-After` on injected 429 and 503 answers. */
  retryAfterSeconds?: number;
}

/** An event carried by a capture request, as the client sent it. */
export type ReceivedEvent = Record<string, unknown> & {
  event: string;
  uuid?: string;
  distinct_id?: string;
  properties?: Record<string, unknown>;
  timestamp?: string;
};

/** Everything the server recorded about one request. */
export interface ReceivedRequest {
  /** Position in arrival order, starting at 0 (keeps counting across {@link LocalPostHog.clear}). */
  index: number;
  /** HTTP method, upper-case. */
  method: string;
  /** Path without the query string, e.g. `'/batch/'`. */
  path: string;
  /** Query parameters; a parameter without a value (`&send_cohorts`) maps to `''`. */
  query: Record<string, string>;
  /** Request headers with lower-case names; repeated headers are joined with `', '`. */
  headers: Record<string, string>;
  /** The endpoint the request was classified as. */
  route: ReceivedRoute;
  /** Body encoding, from `Content-Encoding` or the `compression=gzip` query parameter. */
  encoding: BodyEncoding;
  /** Size of the body as received (compressed size when compressed). */
  rawBytes: number;
  /**
   * Decoded JSON body; `undefined` when it did not decode or parse, or for capture routes when
   * `recordEvents` is `false`.
   */
  body: unknown;
  /** Events the request carried, whatever the answer (empty when `recordEvents` is `false`). */
  events: ReceivedEvent[];
  /** Status the server chose to answer with; `undefined` for reset and hung requests. */
  status: number | undefined;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
}

/** Counters over accepted events. They are kept even when `recordEvents` is `false`. */
export interface LocalPostHogCounts {
  /** Accepted events. */
  events: number;
  /** Accepted events per event name. */
  byName: Record<string, number>;
  /** Accepted events whose uuid had already been accepted before (what a retry after a lost answer produces). */
  duplicates: number;
  /** Requests received, on every route. */
  requests: number;
}

/**
 * The parsed body of a `/flags` request, as handed to a {@link LocalPostHog.setFlagsResponse} function.
 * Only the commonly read fields are typed; `{}` when the body did not parse.
 */
export interface FlagsRequestBody {
  /** The project API key; this SDK sends it here. */
  token?: string;
  /** The project API key, where older clients send it. */
  api_key?: string;
  /** Whom the flags are evaluated for. */
  distinct_id?: string;
  /** The groups given to the flag call, `{ groupType: groupKey }`. */
  groups?: Record<string, string>;
  /** The person properties given to the flag call. */
  person_properties?: Record<string, unknown>;
  /** Properties per group type; this SDK adds `$group_key` for each group in `groups`. */
  group_properties?: Record<string, Record<string, unknown>>;
  /** Only these flags are asked for; absent means every flag. */
  flag_keys_to_evaluate?: string[];
  [key: string]: unknown;
}

/** What a {@link LocalPostHog.setFlagsResponse} function receives. */
export interface FlagsRequest {
  /** The parsed JSON body. */
  body: FlagsRequestBody;
  /** The URL's query parameters, e.g. `v` for the API version. */
  query: Record<string, string>;
  /** The request headers, names lower-cased, repeated ones joined with `, `. */
  headers: Record<string, string>;
}
