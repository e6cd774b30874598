import type { ExceptionItem, FlagSnapshot, PropertiesInput } from '../api/messages.js';
import type { PostHogOptions } from '../api/options.js';
import type { CaptureResult } from '../api/results.js';
import { PostHogError } from '../errors/posthog-error.js';
import { enrichExceptionList } from '../exceptions/enrich.js';
import { buildExceptionList } from '../exceptions/exception-list.js';
import { captureCallSiteStack } from '../exceptions/synthetic-stack.js';
import type { RootMechanism } from '../exceptions/types.js';
import type { Platform } from '../platform/platform.js';
import { isUuid } from '../utils/uuid.js';
import { AcceptPath } from './accept-path.js';
import type { Draft } from './client-core.js';
import type * as drafts from './event-factory.js';
import { exceptionDraft } from './exception-draft.js';
import { snapshotProperties, toPlain } from './flag-properties.js';

/** Options of `captureThrown`, the exception capture integrations (loggers, middleware) build on. */
export interface ThrownCaptureOptions {
  /** Whose exception it is; the request context's distinct id when left out, else a personless event. */
  distinctId?: string | number | undefined;
  /** Properties added to the `$exception` event. */
  additionalProperties?: PropertiesInput | undefined;
  /** The event's uuid, for callers that need to know it before the event is queued. */
  uuid?: string | undefined;
  /** The root entry's mechanism. Default `{ type: 'generic', handled: true }`. */
  mechanism?: RootMechanism | undefined;
  /** The call site's stack, used when the thrown value carries none. */
  syntheticStack?: string | undefined;
}

/**
 * @internal Error tracking: `$exception` events from anything thrown, with source context read off the event
 * loop, one event per error object per turn, and exception autocapture installed at construction.
 */
export abstract class ExceptionCapture extends AcceptPath {
  /** @internal Stops exception autocapture; called by `shutdown()`. */
  protected removeAutocapture: (() => void) | undefined;
  /** Error objects captured in the current event-loop turn, and their events' uuids. */
  private readonly capturedThisTurn = new Map<object, string>();
  // Exceptions wait for their source lines before they are queued; each also waits for the one captured before
  // it, so they reach the queue in capture order whichever files are slower to read.
  private exceptionsQueued: Promise<void> = Promise.resolve();

  constructor(apiKey: string, options: PostHogOptions | undefined, platform: Platform) {
    super(apiKey, options, platform);
    if (!this.delivery) return; // no API key, or `disabled`: ClientCore returned early too
    if (this.config.enableExceptionAutocapture) {
      if (platform.installAutocapture) {
        this.removeAutocapture = platform.installAutocapture(this, {
          rateLimit: {
            bucketSize: this.config.exceptionRateLimiterBucketSize,
            refillPerSecond: this.config.exceptionRateLimiterRefillRate / 10,
          },
        });
      } else {
        this.logger.warn('enableExceptionAutocapture is not supported on this runtime');
      }
    }
  }

  /**
   * Captures an exception as a `$exception` event for PostHog error tracking (posthog-node's signature).
   * `error` may be anything thrown: Errors with their `cause` chains and `AggregateError` members, strings,
   * plain objects, `null`. Stack frames get source context lines on Node, read without blocking; `flush()` and
   * `shutdown()` wait for that step, so an exception captured just before them is still delivered. `flags`, a
   * snapshot from `evaluateFlags()`, adds its `$feature/*` and `$active_feature_flags` properties (yours win).
   */
  captureException(
    error: unknown,
    distinctId?: string | number,
    additionalProperties?: PropertiesInput,
    uuid?: string,
    flags?: FlagSnapshot,
  ): CaptureResult {
    const stack = captureCallSiteStack(this.captureException);
    return this.captureThrown(error, {
      distinctId,
      additionalProperties: withSnapshot(additionalProperties, flags),
      uuid,
      syntheticStack: stack,
    });
  }

  /**
   * `captureException()` sent now, bypassing the queue; resolves once delivered or given up on. `flags`, as in
   * `captureException`, adds a flag snapshot's `$feature/*` properties.
   */
  async captureExceptionImmediate(
    error: unknown,
    distinctId?: string | number,
    additionalProperties?: PropertiesInput,
    flags?: FlagSnapshot,
  ): Promise<CaptureResult> {
    const stack = captureCallSiteStack(this.captureExceptionImmediate);
    if (previouslyCaptured(error)) return ALREADY_CAPTURED;
    const draft = this.exceptionDraftFor(error, {
      distinctId,
      additionalProperties: withSnapshot(additionalProperties, flags),
      syntheticStack: stack,
    });
    if (draft instanceof PostHogError) return this.refuse(draft);
    await this.enrichException(draft);
    return this.acceptNow(draft, false);
  }

  /**
   * Exception capture with an explicit mechanism (`{ type: 'middleware', handled: false }`, say), for
   * autocapture, logger handlers, framework middleware and integrations of your own. Returns the uuid the event
   * will carry; the event is queued once source context is read. The same error object captured twice in one
   * event-loop turn gives one event.
   */
  captureThrown(error: unknown, options: ThrownCaptureOptions): CaptureResult {
    // The same error object reported twice in one turn (a handler's captureException, then autocapture or a
    // logger handler seeing it rethrown) is one exception: keep the first event.
    const earlier =
      typeof error === 'object' && error !== null ? this.capturedThisTurn.get(error) : undefined;
    if (earlier !== undefined) return { ok: true, uuid: earlier };
    if (previouslyCaptured(error)) return ALREADY_CAPTURED;
    const draft = this.exceptionDraftFor(error, options);
    if (draft instanceof PostHogError) return this.refuse(draft);
    const uuid = draft.uuid as string;
    if (typeof error === 'object' && error !== null) this.rememberThisTurn(error, uuid);
    if (!this.platform.stackSource) return this.accept(draft, false);
    const enriched = this.enrichException(draft);
    const queued = this.exceptionsQueued
      .then(() => enriched)
      .then(() => {
        this.accept(draft, false);
      });
    this.exceptionsQueued = queued.catch(() => undefined);
    void this.trackPending(queued);
    return { ok: true, uuid };
  }

  /** @internal Queues a draft (implemented by `EventClient`, next to the capture methods). */
  protected abstract accept(draft: Draft | PostHogError, ai: boolean): CaptureResult;

  private rememberThisTurn(error: object, uuid: string): void {
    if (this.capturedThisTurn.size === 0) this.platform.setTimer(() => this.capturedThisTurn.clear(), 0);
    this.capturedThisTurn.set(error, uuid);
  }

  /** Behind the gate, and refused rather than thrown when the caller's properties throw when read. */
  private exceptionDraftFor(error: unknown, options: ThrownCaptureOptions): Draft | PostHogError {
    return this.draft((o: ThrownCaptureOptions) => this.buildExceptionDraft(error, o), options);
  }

  private buildExceptionDraft(
    error: unknown,
    options: ThrownCaptureOptions,
  ): drafts.EventDraft | PostHogError {
    const moduleBaseDir = this.platform.stackSource?.moduleBaseDir();
    const exceptionList = buildExceptionList(error, {
      mechanism: options.mechanism ?? { type: 'generic', handled: true },
      ...(moduleBaseDir === undefined ? {} : { moduleBaseDir }),
      ...(options.syntheticStack === undefined ? {} : { syntheticStack: options.syntheticStack }),
    });
    // Fixed now, at the call: source context is read later, but the event is about this moment.
    const now = this.platform.now();
    const built = exceptionDraft(
      {
        distinctId: options.distinctId,
        exceptionList,
        properties: options.additionalProperties,
        timestamp: now,
        uuid: isUuid(options.uuid) ? options.uuid : this.uuids.next(now),
      },
      this.base,
      this.context(),
    );
    return built;
  }

  private async enrichException(draft: drafts.EventDraft): Promise<void> {
    const source = this.platform.stackSource;
    const list = draft.properties.$exception_list as ExceptionItem[];
    try {
      if (source) draft.properties.$exception_list = await enrichExceptionList(list, source);
    } catch {
      // Context lines are extra: the exception goes out as it was built (a caller's own list may not parse).
    }
  }
}

/** Not an error to report (nothing is logged or emitted, as for a before_send drop): the exception went out before. */
const ALREADY_CAPTURED: CaptureResult = {
  ok: false,
  error: new PostHogError('filtered', 'posthog-ts: the error is flagged __posthog_previously_captured_error'),
};

/** Errors another PostHog SDK (posthog-js, posthog-node) flagged as already reported are not sent again. */
function previouslyCaptured(error: unknown): boolean {
  try {
    return (
      typeof error === 'object' &&
      error !== null &&
      Boolean(
        (error as { __posthog_previously_captured_error?: unknown }).__posthog_previously_captured_error,
      )
    );
  } catch {
    return false;
  }
}

/** The exception's own properties over a flag snapshot's, when one is given. */
function withSnapshot(
  properties: PropertiesInput | undefined,
  flags: FlagSnapshot | null | undefined,
): PropertiesInput | undefined {
  const snapshot = snapshotProperties(flags);
  if (snapshot === undefined) return properties;
  try {
    return { ...snapshot, ...toPlain(properties) };
  } catch {
    // The properties cannot be read: hand them on as they are, for the capture path to refuse with a reason.
    return properties;
  }
}
