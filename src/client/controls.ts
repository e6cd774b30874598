import type { PropertiesInput } from '../api/messages.js';
import type { DeliveryStats } from '../api/results.js';
import { mergeContexts, type PostHogContext, type WithContextOptions } from '../context/context-store.js';
import { ValidationError } from '../errors/capture-errors.js';
import { FlagCounters } from '../flags/client/flag-counters.js';
import { messageOf } from '../utils/safe-string.js';
import { unreadable } from './accept-path.js';
import { Properties } from './builders.js';
import type { PostHogEventMap, PostHogEventName, WildcardListener } from './emitter.js';
import { ClientLifecycle } from './lifecycle.js';

/** The flag counters of a client without a flag side (disabled, or no API key): all zero. */
const NO_FLAG_REQUESTS = new FlagCounters();

/**
 * @internal The client's controls: super properties and request context (what events inherit), listeners,
 * debug logging, opting out and in, and the pipeline's counters.
 */
export abstract class ClientControls extends ClientLifecycle {
  /** Super properties: added to every ordinary event (the event's own properties win). */
  register(properties: PropertiesInput): void {
    try {
      const values = properties instanceof Properties ? properties.values : properties;
      if (typeof values !== 'object' || values === null) return;
      this.base.superProperties = { ...this.base.superProperties, ...values };
    } catch (error) {
      this.refuse(unreadable(error)); // an object that throws when read: reported, never rethrown
    }
  }

  /** Removes a super property. */
  unregister(key: string): void {
    if (!this.base.superProperties) return;
    try {
      const { [key]: _removed, ...rest } = this.base.superProperties;
      this.base.superProperties = Object.keys(rest).length ? rest : undefined;
    } catch (error) {
      this.refuse(new ValidationError('key', `could not be read (${messageOf(error)})`));
    }
  }

  /**
   * Runs `fn` with a request context: events and exceptions captured inside, across awaits, inherit its
   * distinct id, `$session_id` and properties; explicit arguments win. Nested contexts merge unless `fresh`.
   * On runtimes without AsyncLocalStorage it just runs `fn`.
   */
  withContext<T>(context: PostHogContext, fn: () => T, options: WithContextOptions = {}): T {
    if (typeof fn !== 'function') {
      this.refuse(new ValidationError('fn', 'must be a function'));
      return undefined as T;
    }
    const next = this.nextContext(context, options);
    // A context that cannot be read was reported; `fn` still runs, as it would without the SDK.
    return next === undefined ? fn() : this.platform.contextStore.run(next, fn);
  }

  /** Sets the request context for the rest of the current async execution (e.g. in middleware). */
  enterContext(context: PostHogContext, options: WithContextOptions = {}): void {
    const next = this.nextContext(context, options);
    if (next !== undefined) this.platform.contextStore.enter(next);
  }

  /** The context a call enters: `context` over the current one, or alone when `fresh`; reported when unreadable. */
  private nextContext(
    context: PostHogContext,
    options: WithContextOptions | undefined,
  ): PostHogContext | undefined {
    try {
      return options?.fresh ? { ...context } : mergeContexts(this.platform.contextStore.get(), context);
    } catch (error) {
      this.refuse(new ValidationError('context', `could not be read (${messageOf(error)})`));
      return undefined;
    }
  }

  /** The current request context, if any. */
  getContext(): PostHogContext | undefined {
    return this.platform.contextStore.get();
  }

  /** Subscribes to a client event; returns the unsubscribe function. */
  on<K extends PostHogEventName>(event: K, listener: (payload: PostHogEventMap[K]) => void): () => void;
  /** Subscribes to every client event: the listener gets the event's name and its payload. */
  on(event: '*', listener: WildcardListener): () => void;
  on(event: PostHogEventName | '*', listener: WildcardListener | ((payload: never) => void)): () => void {
    return event === '*'
      ? this.emitter.onAny(listener as WildcardListener)
      : this.emitter.on(event, listener as (payload: PostHogEventMap[PostHogEventName]) => void);
  }

  /** Logs what the client does (debug and info lines). */
  debug(enabled = true): void {
    this.logger.debugEnabled = enabled;
  }

  /**
   * Opts back in after `disable()`. Takes effect at once; the promise (posthog-node's signature, whose opt-in
   * state is persisted asynchronously) is already resolved.
   */
  enable(): Promise<void> {
    this.optOut = false;
    return Promise.resolve();
  }

  /** Opts out: capture calls become no-ops until `enable()`. Takes effect at once, like {@link enable}. */
  disable(): Promise<void> {
    this.optOut = true;
    return Promise.resolve();
  }

  /** Counters of the event pipeline. */
  stats(): DeliveryStats {
    const d = this.delivery;
    return this.counters.snapshot(
      d?.queued ?? 0,
      d?.queuedBytes ?? 0,
      d?.inFlight ?? 0,
      this.flags?.stats() ?? NO_FLAG_REQUESTS.snapshot(),
    );
  }
}
