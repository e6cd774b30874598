/**
 * Exception autocapture for Node: uncaught exceptions and unhandled rejections become `$exception` events
 * (mechanism `onuncaughtexception` / `onunhandledrejection`, unhandled) without changing what Node does with
 * them. How, per case:
 *
 * - Uncaught exceptions are captured in an `uncaughtExceptionMonitor` listener, which sees every one first and
 *   changes nothing. When the application has its own `uncaughtException` listener the process lives on, as
 *   in Node. When it has none the exception is fatal: an SDK listener keeps the process up while every client
 *   flushes (at most `flushTimeoutMs`), then throws the error again with no listener left, so Node prints it
 *   and exits with code 1 itself.
 * - Unhandled rejections follow the `--unhandled-rejections` mode read from `execArgv` / `NODE_OPTIONS`: in
 *   `strict`, and in `throw` without application listeners, Node turns them into uncaught exceptions, handled
 *   as above. In `warn` and `none` an SDK listener captures them (listening changes nothing there). In `throw`
 *   and `warn-with-error-code` the SDK listens only while the application does, since any listener would
 *   otherwise silence Node's crash or warning.
 * - One set of process listeners serves every client in the process; each client keeps its own per-type rate
 *   limit. Aborts and framework control-flow rejections are skipped.
 *
 * @packageDocumentation
 */
import type { PostHogClient } from '../../client/client.js';
import { coerceThrowable } from '../coerce.js';
import { isIgnoredRejection } from './ignore.js';
import { type AutocaptureSink, addSink } from './process-hooks.js';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions, TypeRateLimiter } from './rate-limit.js';
import { type UnhandledRejectionsMode, unhandledRejectionsMode } from './rejection-mode.js';

export { isIgnoredRejection } from './ignore.js';
export { DEFAULT_RATE_LIMIT, type RateLimitOptions, TypeRateLimiter } from './rate-limit.js';
export { type UnhandledRejectionsMode, unhandledRejectionsMode } from './rejection-mode.js';

/** What autocapture needs from a client. */
export type AutocaptureClient = Pick<PostHogClient, 'captureThrown' | 'flush'>;

/** Options of {@link installExceptionAutocapture}. */
export interface ExceptionAutocaptureOptions {
  /** Per-exception-type token bucket. Default 10 at once, then one every 10 seconds. */
  rateLimit?: RateLimitOptions | undefined;
  /** Longest wait for delivery before a fatal exit. Default 2000 ms. */
  flushTimeoutMs?: number | undefined;
  /** The `--unhandled-rejections` mode. Default: read from `process.execArgv` and `NODE_OPTIONS`. */
  mode?: UnhandledRejectionsMode | undefined;
}

/** Default of {@link ExceptionAutocaptureOptions.flushTimeoutMs}. */
export const DEFAULT_FATAL_FLUSH_TIMEOUT_MS = 2000;

/**
 * Starts capturing uncaught exceptions and unhandled rejections for `client`; returns the function that stops
 * it (call it when the client shuts down; the process listeners go away with the last client).
 *
 * ```ts
 * const stop = installExceptionAutocapture(posthog);
 * // ...
 * stop();
 * ```
 */
export function installExceptionAutocapture(
  client: AutocaptureClient,
  options: ExceptionAutocaptureOptions = {},
): () => void {
  if (typeof process === 'undefined' || typeof process.on !== 'function') return () => {};
  const limiter = new TypeRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  let remove: (() => void) | undefined;
  const sink: AutocaptureSink = {
    flushTimeoutMs: options.flushTimeoutMs ?? DEFAULT_FATAL_FLUSH_TIMEOUT_MS,
    flush: () => client.flush(),
    capture(error, origin) {
      if (origin === 'unhandledRejection' && isIgnoredRejection(error)) return;
      if (!limiter.take(coerceThrowable(error).type)) return;
      const result = client.captureThrown(error, {
        mechanism: {
          type: origin === 'unhandledRejection' ? 'onunhandledrejection' : 'onuncaughtexception',
          handled: false,
        },
        // A thrown string or object has no stack of its own; the call site here is Node's and the SDK's
        // listener, not the application's, so it gets none rather than a synthetic one.
        syntheticStack: '',
      });
      // A client that was shut down without uninstalling stops listening here.
      if (!result.ok && result.error.code === 'closed') remove?.();
    },
  };
  remove = addSink(sink, options.mode ?? unhandledRejectionsMode());
  return () => remove?.();
}
