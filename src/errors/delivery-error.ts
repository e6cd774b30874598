import { PostHogError } from './posthog-error.js';

/**
 * Why events were given up on:
 * - `rejected`: the server refused them with a status that retrying cannot fix (400, 401, 403, ...).
 * - `too_large`: the server answered 413 for a single event.
 * - `retries_exhausted`: every attempt failed with a retryable status or a network error.
 * - `dropped_by_server`: capture v1 answered `drop`/`limited` (or a result it does not know) for them.
 * - `shutdown_timeout`: `shutdown()` reached its deadline with them still queued or in flight.
 * - `storage_error`: events held compressed in the queue could not be read back (never expected; reported so
 *   that no loss is silent).
 */
export type DeliveryFailureReason =
  | 'rejected'
  | 'too_large'
  | 'retries_exhausted'
  | 'dropped_by_server'
  | 'shutdown_timeout'
  | 'storage_error'
  | 'internal_error';

/** Events could not be delivered. Reported on `error` and through the logger; never thrown. */
export class DeliveryError extends PostHogError {
  /** Why they were given up on. */
  readonly reason: DeliveryFailureReason;
  /** The last HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** How many events this error covers. */
  readonly eventCount: number;
  /** The endpoint path, e.g. `/batch/`. */
  readonly path: string;

  /** `detail` is appended to the message and `cause` kept as `Error.cause`; the rest become the fields. */
  constructor(init: {
    reason: DeliveryFailureReason;
    path: string;
    eventCount: number;
    status?: number | undefined;
    detail?: string | undefined;
    cause?: unknown;
  }) {
    const status = init.status === undefined ? '' : ` (last status ${init.status})`;
    const detail = init.detail ? `: ${init.detail}` : '';
    // PostHog answers 401 for a project API key it does not know, which is also what a key of the other region
    // (US or EU cloud) gets: the two usual causes, named where the user reads the error.
    const hint =
      init.reason === 'rejected' && (init.status === 401 || init.status === 403)
        ? '; check the project API key (phc_…) and that host is its region (us.i.posthog.com or eu.i.posthog.com)'
        : '';
    super(
      'delivery',
      `posthog-ts: ${init.eventCount} event(s) to ${init.path} not delivered, ${init.reason}${status}${detail}${hint}`,
      { cause: init.cause },
    );
    this.name = 'DeliveryError';
    this.reason = init.reason;
    this.status = init.status;
    this.eventCount = init.eventCount;
    this.path = init.path;
  }
}
