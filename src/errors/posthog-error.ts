/**
 * What went wrong, as a stable machine-readable string.
 *
 * - `config`: the constructor was given an unusable option.
 * - `validation`: a capture-style call got input it cannot send.
 * - `event_too_large`: one serialised event exceeds what PostHog accepts.
 * - `queue_full`: the queue was at its count or byte bound.
 * - `closed`: the client was shut down.
 * - `disabled`: the client is disabled (no API key, or `disabled: true`).
 * - `before_send`: a `before_send` hook threw.
 * - `filtered`: a `before_send` hook returned `null`; the event was intentionally not sent.
 * - `delivery`: a batch could not be delivered after its retries, or was refused by the server.
 * - `feature_flags`: a flag-related request or provider failed (flag calls still return a value and reason).
 */
export type PostHogErrorCode =
  | 'config'
  | 'validation'
  | 'event_too_large'
  | 'queue_full'
  | 'closed'
  | 'disabled'
  | 'before_send'
  | 'filtered'
  | 'delivery'
  | 'feature_flags';

/** Base class of every error the SDK returns, reports or throws. */
export class PostHogError extends Error {
  /** What went wrong; see {@link PostHogErrorCode}. */
  readonly code: PostHogErrorCode;

  /** `message` is used as given; `options.cause` becomes the standard `Error.cause`. */
  constructor(code: PostHogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PostHogError';
    this.code = code;
  }
}

/**
 * True for any error created by this SDK. Compares the `code` and `name` too, so it still works when two
 * copies of the package are loaded.
 */
export function isPostHogError(value: unknown): value is PostHogError {
  if (value instanceof PostHogError) return true;
  return (
    value instanceof Error &&
    ERROR_NAMES.has(value.name) &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

const ERROR_NAMES = new Set([
  'PostHogError',
  'ConfigError',
  'ValidationError',
  'EventTooLargeError',
  'QueueFullError',
  'ClosedError',
  'DisabledError',
  'BeforeSendError',
  'DeliveryError',
  'FeatureFlagError',
]);
