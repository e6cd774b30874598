import type { PostHogError } from '../errors/posthog-error.js';

/** What a capture-style call did with the event. Never thrown: returned. */
export type CaptureResult =
  | { readonly ok: true; readonly uuid: string }
  | { readonly ok: false; readonly error: PostHogError };

/**
 * Why an accepted or offered event did not reach PostHog; the keys of `stats().dropped`.
 * `filtered` counts events a `before_send` hook returned `null` for; the others are failures.
 */
export type DropReason =
  | 'filtered'
  | 'before_send'
  | 'queue_full'
  | 'rejected'
  | 'too_large'
  | 'retries_exhausted'
  | 'dropped_by_server'
  | 'shutdown_timeout'
  | 'storage_error'
  | 'internal_error';

/** Counters of the event pipeline since the client was created. */
export interface DeliveryStats {
  /** Events accepted into the queue or sent immediately. */
  captured: number;
  /** Events refused at the call (invalid, too large, closed, disabled). */
  rejected: number;
  /** Events waiting in the queue. */
  queued: number;
  /** Bytes of event JSON waiting in the queue. */
  queuedBytes: number;
  /** Events in requests not yet settled. */
  inFlight: number;
  /** Events PostHog acknowledged. */
  delivered: number;
  /** Events given up on, by reason. */
  dropped: Record<DropReason, number>;
  /** HTTP attempts made. */
  requests: number;
  /** Attempts that were retries of an earlier one. */
  retries: number;
  /** The feature-flag side's requests to PostHog and what its caches saved. */
  flags: FlagStats;
}

/**
 * Requests the feature-flag side made to PostHog, for watching what local evaluation costs: `/flags` and
 * remote-config requests are billed, and a definitions poll answered 304 downloads nothing.
 */
export interface FlagStats {
  /** `GET /flags/definitions` requests (polls and reloads), whatever their answer. */
  definitionsRequests: number;
  /** Of those, answered `304 Not Modified` (the `ETag` matched: nothing downloaded). */
  definitionsNotModified: number;
  /** Definitions fetched and applied (answered 200 with a valid body). */
  definitionsLoaded: number;
  /** `/flags` requests, retries included: flag calls local definitions could not decide, or with local evaluation off. */
  flagsRequests: number;
  /** Remote-config requests (`getRemoteConfigPayload` calls the cache could not answer). */
  remoteConfigRequests: number;
  /** `getRemoteConfigPayload` calls answered from the cache, or by a request already in flight. */
  remoteConfigCacheHits: number;
}

/** One HTTP attempt to send events, as `on('request')` listeners see it. */
export interface RequestInfo {
  /** Endpoint path, e.g. `/batch/`. */
  path: string;
  /** 0 for the first attempt, 1 for the first retry, ... */
  attempt: number;
  /** HTTP status, or `undefined` when the attempt failed without a response. */
  status: number | undefined;
  /** How many events the request carried. */
  eventCount: number;
  /** The events' UUIDs, in batch order. */
  uuids: readonly string[];
  /** How long the attempt took, in ms. */
  durationMs: number;
  /** The network error, when there was no response. */
  error?: Error;
}

/** What a client shows of itself when printed or serialised (see `client.toJSON()`). */
export interface ClientSummary {
  /** The host events and flag calls go to. */
  host: string;
  /** The project API key (`phc_…`). */
  apiKey: string;
  /** The client sends nothing: no API key, or `disabled: true`. */
  disabled: boolean;
  /** `disable()` was called (and `enable()` not since). */
  optedOut: boolean;
  /** `shutdown()` was called. */
  closed: boolean;
  /** A secret key was given, so flags can be evaluated locally (and polled, unless offline). */
  localEvaluation: boolean;
  /** `offline: true`: nothing is sent; events are logged instead. */
  offline: boolean;
}
