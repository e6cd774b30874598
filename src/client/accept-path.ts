import type { OutgoingEventType } from '../api/messages.js';
import type { CaptureResult } from '../api/results.js';
import { ClosedError, DisabledError, QueueFullError, ValidationError } from '../errors/capture-errors.js';
import { PostHogError } from '../errors/posthog-error.js';
import { aiRoute } from '../transport/routes.js';
import { messageOf } from '../utils/safe-string.js';
import { ClientCore, type Draft } from './client-core.js';
import type * as drafts from './event-factory.js';
import { FILTERED, type PreparedEvent, prepare } from './prepare.js';

/**
 * @internal What happens to a draft on its way to the queue, shared by `EventClient.accept()` (which stays on
 * `EventClient`, next to the capture methods: it is the hot path) and {@link acceptNow}: the gate, `prepare`,
 * refusals and their errors, and the announcement of a queued event to listeners.
 */
export abstract class AcceptPath extends ClientCore {
  /** @internal Returns why nothing can be captured right now, if anything. */
  protected gate(): PostHogError | undefined {
    if (this.closed) return new ClosedError();
    if (this.isDisabled) return DISABLED;
    return undefined;
  }

  /**
   * @internal Builds a draft from the caller's message, behind the gate. A message or properties object that
   * throws when read (a hostile proxy, a throwing getter) is refused with a ValidationError, never rethrown.
   */
  protected draft<M>(build: (message: M) => Draft | PostHogError, message: M): Draft | PostHogError {
    const gate = this.gate();
    if (gate) return gate;
    try {
      return build(message);
    } catch (error) {
      return unreadable(error);
    }
  }

  /** @internal The immediate path: the event bypasses the queue and is sent in a request of its own. */
  protected async acceptNow(draft: Draft | PostHogError, ai: boolean): Promise<CaptureResult> {
    if (draft instanceof PostHogError) return this.refuse(draft);
    const prepared = this.prepareDraft(draft, ai);
    if (!('json' in prepared)) return prepared;
    this.counters.captured++;
    // The outcome of this event's own request: other sends finishing meanwhile must not count as its success.
    if (await this.delivery!.sendNow(prepared.json, ai)) return { ok: true, uuid: prepared.uuid };
    return {
      ok: false,
      error: new PostHogError('delivery', `posthog-ts: event ${prepared.uuid} was not delivered`),
    };
  }

  /** @internal */
  protected prepareDraft(
    draft: drafts.EventDraft,
    ai: boolean,
  ): PreparedEvent | { ok: false; error: PostHogError } {
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(draft, ai ? aiRoute : this.delivery!.mainRoute, this.prepareContext);
    } catch (error) {
      return this.refuse(unreadable(error));
    }
    if (prepared === FILTERED) {
      this.counters.dropped.filtered++;
      this.logger.debug(`before_send dropped event "${draft.event}"`);
      return {
        ok: false,
        error: new PostHogError('filtered', `posthog-ts: before_send dropped "${draft.event}"`),
      };
    }
    if (prepared instanceof PostHogError) {
      if (prepared.code === 'before_send') this.counters.dropped.before_send++;
      return this.refuse(prepared);
    }
    return prepared;
  }

  /**
   * @internal One error object per bound, reused: a full queue refuses events in bursts, and building an Error
   * (with its stack trace) per refused event would make an overloaded client slower exactly when it can least
   * afford it.
   */
  protected queueFullError(bound: 'count' | 'bytes'): QueueFullError {
    let error = this.queueFullErrors[bound];
    if (!error) {
      error = new QueueFullError(
        bound,
        bound === 'count' ? this.config.maxQueueSize : this.config.maxQueueBytes,
      );
      this.queueFullErrors[bound] = error;
    }
    return error;
  }

  /** @internal */
  protected refuse(error: PostHogError): { ok: false; error: PostHogError } {
    if (error === DISABLED) return { ok: false, error };
    this.counters.rejected++;
    const key = error instanceof ValidationError ? `${error.code}:${error.field}` : error.code;
    this.logger.once(error.code === 'closed' ? 'warn' : 'error', key, error.message);
    this.emitter.emit('error', error);
    return { ok: false, error };
  }

  /** @internal */
  protected announce(type: OutgoingEventType, prepared: PreparedEvent): void {
    const name = type === 'ai' || type === 'exception' ? 'capture' : type;
    if (this.emitter.has(name)) {
      // Listeners see the event exactly as it will be sent, read back from its JSON.
      const wire = JSON.parse(prepared.json) as { properties: Record<string, unknown>; timestamp: string };
      this.emitter.emit(name, {
        type,
        event: prepared.event,
        distinctId: prepared.distinctId,
        properties: wire.properties,
        timestamp: wire.timestamp,
        uuid: prepared.uuid,
      });
    }
    if (this.logger.debugEnabled) this.logger.debug(`queued ${prepared.event} ${prepared.uuid}`);
  }
}

const DISABLED = new DisabledError();

/** @internal The refusal of a message that threw while it was read. */
export function unreadable(error: unknown): ValidationError {
  const reason = messageOf(error);
  return new ValidationError('message', `could not be read (${reason})`);
}
