import { PostHogError } from './posthog-error.js';

/** A capture-style call got input it cannot send. Returned, reported on `error`, logged once. */
export class ValidationError extends PostHogError {
  /** The message field at fault, e.g. `event` or `distinctId`. */
  readonly field: string;

  /** The message reads `posthog-ts: <field> <reason>`, so `reason` continues it: `'must be a string'`. */
  constructor(field: string, reason: string) {
    super('validation', `posthog-ts: ${field} ${reason}`);
    this.name = 'ValidationError';
    this.field = field;
  }
}

/** One serialised event is larger than PostHog accepts. */
export class EventTooLargeError extends PostHogError {
  /** The event's size in bytes of JSON. */
  readonly size: number;
  /** The largest size accepted, in bytes. */
  readonly limit: number;
  /** The event's name. */
  readonly event: string;

  /** `size` and `limit` in bytes of serialised JSON. */
  constructor(event: string, size: number, limit: number) {
    super(
      'event_too_large',
      `posthog-ts: event "${event}" is ${size} bytes of JSON; the limit is ${limit} bytes`,
    );
    this.name = 'EventTooLargeError';
    this.event = event;
    this.size = size;
    this.limit = limit;
  }
}

/** The queue was at its bound and the overflow policy dropped an event. */
export class QueueFullError extends PostHogError {
  /** Which bound was hit. */
  readonly bound: 'count' | 'bytes';

  /** `limit` is the bound's value (`maxQueueSize` or `maxQueueBytes`), shown in the message only. */
  constructor(bound: 'count' | 'bytes', limit: number) {
    super(
      'queue_full',
      bound === 'count'
        ? `posthog-ts: the queue holds maxQueueSize (${limit}) events; an event was dropped`
        : `posthog-ts: the queue holds maxQueueBytes (${limit}) bytes; an event was dropped`,
    );
    this.name = 'QueueFullError';
    this.bound = bound;
  }
}

/** The client was shut down; nothing more is accepted. */
export class ClosedError extends PostHogError {
  constructor() {
    super('closed', 'posthog-ts: the client was shut down; the event was not captured');
    this.name = 'ClosedError';
  }
}

/** The client is disabled; calls are no-ops. */
export class DisabledError extends PostHogError {
  constructor() {
    super('disabled', 'posthog-ts: the client is disabled; the event was not captured');
    this.name = 'DisabledError';
  }
}

/** A `before_send` hook threw; the event was dropped. */
export class BeforeSendError extends PostHogError {
  /** `cause` is what the hook threw; `what` says what it did wrong in the message, `threw` by default. */
  constructor(event: string, cause: unknown, what = 'threw') {
    super('before_send', `posthog-ts: before_send ${what} for event "${event}"; the event was dropped`, {
      cause,
    });
    this.name = 'BeforeSendError';
  }
}
