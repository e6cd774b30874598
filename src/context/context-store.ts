/** Request context: what events captured inside `withContext()` inherit. */
export interface PostHogContext {
  /** Used when an event or exception gives no distinct id. */
  distinctId?: string | undefined;
  /** Sent as `$session_id` unless the event sets it. */
  sessionId?: string | undefined;
  /** Added under the event's own properties (the event wins). */
  properties?: Record<string, unknown> | undefined;
}

/** Options of `withContext()` / `enterContext()`. */
export interface WithContextOptions {
  /** Replace the surrounding context instead of merging into it. Default `false`. */
  fresh?: boolean;
}

/** Where the current context lives: AsyncLocalStorage on Node, nowhere on runtimes without it. */
export interface ContextStore {
  get(): PostHogContext | undefined;
  run<T>(context: PostHogContext, fn: () => T): T;
  /** Sets the context for the rest of the current async execution (AsyncLocalStorage `enterWith`). */
  enter(context: PostHogContext): void;
}

/** For runtimes without AsyncLocalStorage: `withContext` just runs the callback. */
export const passThroughStore: ContextStore = {
  get: () => undefined,
  run: (_context, fn) => fn(),
  enter: () => {},
};

/** `inner` merged over `outer`: inner ids win, properties are shallow-merged with inner keys winning. */
export function mergeContexts(outer: PostHogContext | undefined, inner: PostHogContext): PostHogContext {
  if (!outer) return { ...inner };
  return {
    distinctId: inner.distinctId ?? outer.distinctId,
    sessionId: inner.sessionId ?? outer.sessionId,
    properties:
      outer.properties || inner.properties ? { ...outer.properties, ...inner.properties } : undefined,
  };
}
