import type { OutgoingEvent } from '../api/messages.js';
import type { RequestInfo } from '../api/results.js';
import type { PostHogError } from '../errors/posthog-error.js';
import { asSdkCallback } from './sdk-callbacks.js';

/** What each client event carries. */
export interface PostHogEventMap {
  /** An ordinary event was queued. */
  capture: OutgoingEvent;
  /** An `$identify` event was queued. */
  identify: OutgoingEvent;
  /** A `$create_alias` event was queued. */
  alias: OutgoingEvent;
  /** A `$groupidentify` event was queued. */
  groupIdentify: OutgoingEvent;
  /** A request delivered these events (parsed back from the wire form). */
  flush: Record<string, unknown>[];
  /** One HTTP attempt finished. */
  request: RequestInfo;
  /** Something failed: a rejected call, a dropped event, a delivery failure, a flag request. */
  error: PostHogError;
  /** Local flag definitions were loaded; the payload is how many flags they hold. */
  localEvaluationFlagsLoaded: number;
}

/** A client event name, or `*` for all of them. */
export type PostHogEventName = keyof PostHogEventMap;

/**
 * A listener of every event (`on('*', …)`): the event's name, then its payload. The two parameters are typed as one
 * union of pairs, so that checking the name narrows the payload.
 */
export type WildcardListener = (
  ...args: { [K in PostHogEventName]: [event: K, payload: PostHogEventMap[K]] }[PostHogEventName]
) => void;

type Listener = (payload: never) => void;
type AnyListener = (name: PostHogEventName, payload: unknown) => void;

/**
 * A tiny synchronous emitter. Listeners that throw are isolated from the SDK and from each other, and the
 * emitting side asks {@link has} first so payloads are only built when somebody listens.
 */
export class Emitter {
  private readonly listeners = new Map<PostHogEventName, Set<Listener>>();
  private readonly wildcard = new Set<AnyListener>();

  on<K extends PostHogEventName>(name: K, listener: (payload: PostHogEventMap[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  onAny(listener: WildcardListener): () => void {
    const any = listener as AnyListener;
    this.wildcard.add(any);
    return () => this.wildcard.delete(any);
  }

  has(name: PostHogEventName): boolean {
    return this.wildcard.size > 0 || (this.listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends PostHogEventName>(name: K, payload: PostHogEventMap[K]): void {
    const set = this.listeners.get(name);
    if (set) for (const listener of set) safeCall(listener as (p: PostHogEventMap[K]) => void, payload);
    for (const listener of this.wildcard) safeCall(() => listener(name, payload));
  }

  clear(): void {
    this.listeners.clear();
    this.wildcard.clear();
  }
}

function safeCall<A>(fn: (arg: A) => void, arg?: A): void {
  try {
    asSdkCallback(fn, arg);
  } catch {
    // A listener's bug is the application's; it must not stop delivery or other listeners.
  }
}
