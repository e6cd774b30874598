/**
 * Whether application code is running as a callback of the SDK: an `on()` listener, a `before_send` hook, or the
 * logger the SDK writes its own lines to. The logger integrations capture nothing logged from there: an
 * `on('error')` listener that logs a delivery failure through a captured logger would otherwise capture it, fail
 * to deliver that too, log again, and loop for as long as PostHog refuses the events.
 *
 * A counter on `globalThis`, so that two copies of the package (its ESM and CJS builds) see each other's callbacks.
 */
const DEPTH = Symbol.for('posthog-ts.sdk-callback-depth');

type Holder = { [DEPTH]?: number };

/**
 * Runs `fn(arg)` marked as a callback of the SDK. The argument is passed through rather than closed over, so that
 * a `before_send` hook, called for every event, costs no closure per call.
 */
export function asSdkCallback<A, R>(fn: (arg: A) => R, arg?: A): R {
  const holder = globalThis as Holder;
  holder[DEPTH] = (holder[DEPTH] ?? 0) + 1;
  try {
    return fn(arg as A);
  } finally {
    holder[DEPTH] = (holder[DEPTH] ?? 1) - 1;
  }
}

/** True while a callback of the SDK runs. */
export function insideSdkCallback(): boolean {
  return ((globalThis as Holder)[DEPTH] ?? 0) > 0;
}
