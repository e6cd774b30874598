import type { FeatureFlagOptions } from '../flags/client/flag-options.js';
import type { Logger } from './logger.js';
import type { BeforeSendFn } from './messages.js';
import type { PostHogNodeInertOptions } from './posthog-node-names.js';
import type { FetchLike } from './transport.js';

/**
 * What happens when the queue is at `maxQueueSize` events or `maxQueueBytes` bytes:
 * - `drop-newest` (default): the new event is refused; `capture` returns a `QueueFullError`. Events already
 *   accepted are never discarded to make room.
 * - `drop-oldest`: the oldest queued event is discarded to make room (posthog-node's behaviour).
 *
 * Either way the drop is counted in `stats().dropped.queue_full` and reported on `error`.
 */
export type QueueOverflowPolicy = 'drop-newest' | 'drop-oldest';

/**
 * Which ingestion protocol ordinary events use:
 * - `v0` (default): `POST /batch/` with `{api_key, batch, sent_at}`.
 * - `v1`: `POST /i/v1/analytics/events` with Bearer auth, per-request ids and per-event results.
 */
export type CaptureMode = 'v0' | 'v1';

/** Options of {@link PostHog}. Every option is optional; defaults are listed on each. */
export interface PostHogOptions extends FeatureFlagOptions, PostHogNodeInertOptions {
  /** PostHog host. Default `https://us.i.posthog.com`. Must be an http(s) URL; trailing slashes are removed. */
  host?: string | undefined;
  /** Flush when this many events are queued. Default `20`. Integer >= 1. */
  flushAt?: number | undefined;
  /** Flush this many ms after the first queued event. Default `5000`. `0` flushes on the next tick. */
  flushInterval?: number | undefined;
  /** Most events in one request. Default `100`; raised to `flushAt` if lower. */
  maxBatchSize?: number | undefined;
  /** Most bytes of JSON in one request, before compression. Default `5_000_000`. */
  maxBatchBytes?: number | undefined;
  /** Most events held in the queue. Default `10000`. */
  maxQueueSize?: number | undefined;
  /** Most bytes of event JSON held in the queue. Default `100_000_000`. */
  maxQueueBytes?: number | undefined;
  /**
   * Compress the queue's backlog at rest once it has held more than this many bytes of event JSON for a second:
   * older segments of about 1,000 events are deflated off the event loop (to about a tenth for typical events) and
   * inflated again shortly before they are sent. Segments the delivery pipeline will reach within about three
   * seconds, at the rate it sent over that second, stay plain, so a burst that drains on its own is not compressed for
   * nothing. `false` keeps every event as plain JSON. Default `8_000_000`.
   */
  compressQueueAboveBytes?: number | false | undefined;
  /** What a full queue does. Default `'drop-newest'`. */
  queueOverflow?: QueueOverflowPolicy | undefined;
  /** Most requests in flight at once. Default `4`. */
  maxConcurrentRequests?: number | undefined;
  /** Timeout of one HTTP attempt, covering the response body, in ms. Default `10000`. */
  requestTimeout?: number | undefined;
  /** Retries after the first attempt of a batch. Default `10`. */
  fetchRetryCount?: number | undefined;
  /** Base of the jittered exponential backoff between retries, in ms. Default `500`. */
  fetchRetryDelay?: number | undefined;
  /** Cap on one backoff delay, including a server's `Retry-After`, in ms. Default `10000`. */
  fetchRetryMaxDelay?: number | undefined;
  /** Cap on the time one batch may spend retrying, in ms. Default `120000`. */
  maxRetryDuration?: number | undefined;
  /** Send events uncompressed. Default `false` (gzip). */
  disableCompression?: boolean | undefined;
  /**
   * Gzip level of request bodies, 1 (fastest) to 9 (smallest). Default `1`: at zlib's default level 6,
   * compressing costs about as much per event as `capture()` itself, on the application's CPUs, for about an
   * eighth fewer bytes than level 1 on the benchmark's batches (README, "Where the defaults differ"). Applies on
   * Node; edge runtimes' `CompressionStream` has no level, so there the client logs one warning when it is set.
   */
  compressionLevel?: number | undefined;
  /** Add `$geoip_disable: true` to events so PostHog does not geolocate the server's IP. Default `true`. */
  disableGeoip?: boolean | undefined;
  /** Add `$is_server: true` to events. Default `true`. */
  isServer?: boolean | undefined;
  /** Mark batches as a historical migration. Default `false`. */
  historicalMigration?: boolean | undefined;
  /** Ingestion protocol for ordinary events. Default `'v0'`. */
  captureMode?: CaptureMode | undefined;
  /** Turn every call into a no-op. Default `false`. */
  disabled?: boolean | undefined;
  /**
   * Make no network request, for local development, CI and tests that must not reach PostHog. Events go through
   * validation, `before_send` and batching as usual, then each is written to the logger at info level (shown after
   * `debug()`) instead of being sent, and counted as delivered. Flags are evaluated only from `flagDefinitions`, a
   * `flagDefinitionCacheProvider` and overrides: never polled, never asked of `/flags` (`secretKey` is not used),
   * and `getRemoteConfigPayload` gives `undefined`. Logs one warning at start. Default `false`.
   */
  offline?: boolean | undefined;
  /**
   * Replace base64 images and audio in `captureAi` events' prompts and completions (`$ai_input`,
   * `$ai_output_choices`, `$ai_input_state`, `$ai_output_state`) with `[base64 image redacted]`, the placeholder
   * @posthog/ai uses:
   * one inline image often exceeds the 1 MB PostHog accepts for an event. Default `true`.
   */
  redactAiBase64?: boolean | undefined;
  /** Hooks that see, change or drop every outgoing event. */
  before_send?: BeforeSendFn | readonly BeforeSendFn[] | undefined;
  /**
   * Replacement for the HTTP transport, a fetch-shaped function (`globalThis.fetch`, undici's, a test double). Default:
   * on Node the client's own `node:http(s)` keep-alive pool, closed by `shutdown()`; on web runtimes `globalThis.fetch`,
   * looked up at request time.
   */
  fetch?: FetchLike | undefined;
  /** Where the SDK logs. Default: `console`, warnings and errors only until `debug()`. */
  logger?: Logger | undefined;
  /** Project secret key (`phs_…`) or personal API key (`phx_…`) for local flag evaluation. */
  secretKey?: string | undefined;
  /** Deprecated alias of `secretKey`. */
  personalApiKey?: string | undefined;
  /** How often flag definitions are polled, in ms. Default `30000`. */
  featureFlagsPollingInterval?: number | null | undefined;
  /** Timeout of a `/flags` request, in ms. Default `3000`. */
  featureFlagsRequestTimeoutMs?: number | undefined;
  /** Default for sending `$feature_flag_called` from flag calls. Default `true`. */
  sendFeatureFlagEvent?: boolean | undefined;
  /**
   * Capture uncaught exceptions and unhandled rejections as `$exception` events, without changing what Node does
   * with them (its output, exit code and `--unhandled-rejections` mode). Node only. Default `false`.
   */
  enableExceptionAutocapture?: boolean | undefined;
  /** Autocaptured exceptions of one type allowed in a burst. Default `10`. */
  exceptionRateLimiterBucketSize?: number | undefined;
  /** Autocaptured exceptions of one type allowed again every 10 seconds, after a burst. Default `1`. */
  exceptionRateLimiterRefillRate?: number | undefined;
  /** `false` starts the client opted out: it sends nothing until `enable()`. Default `true`. */
  defaultOptIn?: boolean | undefined;
  /**
   * For serverless runtimes: the function that keeps an invocation alive for work that outlives the response
   * (`waitUntil` from `@vercel/functions`, a Cloudflare Worker's `ctx.waitUntil`). With it, captured events are
   * flushed {@link waitUntilDebounceMs} after the last one (and at most {@link waitUntilMaxWaitMs} after the first),
   * and the flush is handed to `waitUntil`, so the events are delivered without awaiting `flush()` in the handler.
   * No default.
   */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /** Quiet time after the last captured event before the `waitUntil` flush starts, in ms. Default `50`. */
  waitUntilDebounceMs?: number | undefined;
  /** Longest a `waitUntil` flush waits for captures to pause, counted from the first event, in ms. Default `500`. */
  waitUntilMaxWaitMs?: number | undefined;
  /**
   * Lets the framework middleware (Express, Fastify, Hono, NestJS) take the distinct id and session id from the posthog-js
   * cookie when a request carries neither `X-POSTHOG-*` header: the distinct id of an identified visitor only, the
   * session id only while the session is live (idle less than `sessionIdleTimeoutSeconds`, default 1800, at most
   * 24 hours old), and nothing when posthog-js's consent cookie says no (or, with `optOutCapturingByDefault`, when it
   * does not say yes). Default `false`.
   */
  readPostHogCookie?:
    | boolean
    | null
    | {
        sessionIdleTimeoutSeconds?: number | null | undefined;
        optOutCapturingByDefault?: boolean | undefined;
      }
    | undefined;
}
