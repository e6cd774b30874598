import { isError } from '../describe-value.js';
import type { UnhandledRejectionsMode } from './rejection-mode.js';
import { reasonFromWarning } from './rejection-warning.js';

/** What happened, as the shared listeners report it to each installed client. */
export interface AutocaptureSink {
  /** Capture one exception; `origin` says which mechanism to record. */
  capture(error: unknown, origin: 'uncaughtException' | 'unhandledRejection'): void;
  /** Deliver what was captured, before a fatal exit. Must settle; the caller bounds it in time. */
  flush(): Promise<unknown>;
  /** Longest wait before a fatal exit, in milliseconds. */
  flushTimeoutMs: number;
}

type Listener = (...args: unknown[]) => void;

interface SharedState {
  sinks: Set<AutocaptureSink>;
  listeners: Array<[string, Listener]>;
  /** Set while a fatal exception waits for the flush; later errors are Node's process already being dead. */
  fatal: boolean;
  /** The error being re-thrown after the flush, which the monitor must not capture twice. */
  rethrowing: { error: unknown } | undefined;
  /** The `--unhandled-rejections` mode the listeners were installed for. */
  mode: UnhandledRejectionsMode;
}

// On globalThis so that the ESM and CJS builds, or two copies of the package, share one set of listeners.
const STATE_KEY = Symbol.for('posthog-ts.exception-autocapture');

function state(): SharedState {
  const holder = globalThis as { [STATE_KEY]?: SharedState };
  holder[STATE_KEY] ??= {
    sinks: new Set(),
    listeners: [],
    fatal: false,
    rethrowing: undefined,
    mode: 'throw',
  };
  return holder[STATE_KEY];
}

/**
 * Adds a sink to the process-wide listeners, installing them for the first one. Returns its removal, which
 * takes the listeners away with the last sink.
 */
export function addSink(sink: AutocaptureSink, mode: UnhandledRejectionsMode): () => void {
  const shared = state();
  if (shared.sinks.size === 0) install(shared, mode);
  shared.sinks.add(sink);
  return () => {
    if (!shared.sinks.delete(sink) || shared.sinks.size > 0) return;
    for (const [event, listener] of shared.listeners) process.off(event, listener);
    shared.listeners = [];
  };
}

function each(shared: SharedState, fn: (sink: AutocaptureSink) => void): void {
  for (const sink of shared.sinks) {
    try {
      fn(sink);
    } catch {
      // One client failing to capture must not stop the others, nor add an error inside Node's error path.
    }
  }
}

function install(shared: SharedState, mode: UnhandledRejectionsMode): void {
  shared.mode = mode;
  const on = (event: string, listener: Listener, prepend = false) => {
    const emitter: NodeJS.EventEmitter = process;
    if (prepend) emitter.prependListener(event, listener);
    else emitter.on(event, listener);
    shared.listeners.push([event, listener]);
  };

  // The monitor sees every uncaught exception, including rejections Node turned into one (`throw`, `strict`),
  // before any listener and without changing what Node does next.
  on('uncaughtExceptionMonitor', (error, origin) => {
    if (shared.fatal || (shared.rethrowing && shared.rethrowing.error === error)) return;
    const kind = origin === 'unhandledRejection' ? 'unhandledRejection' : 'uncaughtException';
    each(shared, (sink) => sink.capture(error, kind));
  });

  // Node dies on an uncaught exception only when nobody listens, and a monitor cannot delay that; so this
  // listener is there to keep the process up for the flush, then hands the error back to Node (see fatalExit).
  const guard: Listener = (error, origin) => {
    if (shared.fatal) return;
    if (process.listenerCount('uncaughtException') > 1) return; // the application handles it: not fatal
    if (mode === 'strict' && origin === 'unhandledRejection') {
      // Once an uncaughtException listener (this one) has taken a strict-mode rejection, Node emits
      // `unhandledRejection` and, with nobody listening, prints a warning it never prints on its own. The
      // rejection is handed back as fatal after the flush; this once-listener keeps stderr as Node's.
      process.once('unhandledRejection', () => undefined);
    }
    fatalExit(shared, guard, error);
  };
  on('uncaughtException', guard);

  if (mode === 'warn' || mode === 'none') {
    // Node ignores whether anyone listens in these modes, so listening changes nothing.
    on(
      'unhandledRejection',
      (reason) => each(shared, (sink) => sink.capture(reason, 'unhandledRejection')),
      true,
    );
  } else if (mode === 'throw' || mode === 'warn-with-error-code') {
    installRejectionFollower(shared, on, mode);
  }
  // `strict`: every rejection becomes an uncaught exception first, which the monitor already sees.
}

/**
 * In `throw` and `warn-with-error-code`, whether anybody listens to `unhandledRejection` decides between crash
 * (or warning and exit code 1) and silence. So the SDK listens only while the application does: then Node
 * behaves as the application's listener says, and this one records the rejection. Without application
 * listeners a `throw`-mode rejection reaches the monitor as an uncaught exception, and a
 * `warn-with-error-code` one is read back from Node's warning.
 */
function installRejectionFollower(
  shared: SharedState,
  on: (event: string, listener: Listener, prepend?: boolean) => void,
  mode: 'throw' | 'warn-with-error-code',
): void {
  const follower: Listener = (reason) => {
    if (process.listenerCount('unhandledRejection') > 1) {
      each(shared, (sink) => sink.capture(reason, 'unhandledRejection'));
    }
  };
  let attached = false;
  const sync = () => {
    // A check queued by `newListener` may run after the last client removed the listeners (a shutdown in the
    // same tick as the application adds its own): re-attaching then would leave a listener nobody removes, and
    // it would keep swallowing rejections Node should crash on.
    if (!shared.listeners.some(([, listener]) => listener === follower)) return;
    const others = process.listeners('unhandledRejection').filter((listener) => listener !== follower).length;
    if (others > 0 && !attached) {
      attached = true;
      process.prependListener('unhandledRejection', follower);
    } else if (others === 0 && attached) {
      attached = false;
      process.off('unhandledRejection', follower);
    }
  };
  // `newListener` fires before the listener is added, so the check waits for the end of the call.
  on('newListener', (event) => {
    if (event === 'unhandledRejection') queueMicrotask(sync);
  });
  on('removeListener', (event) => {
    if (event === 'unhandledRejection') sync();
  });
  shared.listeners.push(['unhandledRejection', follower]);
  sync();
  if (mode === 'warn-with-error-code') {
    // Adding a `warning` listener does not stop Node printing warnings, so this changes nothing either.
    on('warning', (warning) => {
      if (attached) return; // an application listener handled the rejection; Node did not warn about it
      const reason = reasonFromWarning(warning);
      if (reason !== undefined) each(shared, (sink) => sink.capture(reason, 'unhandledRejection'));
    });
  }
}

/**
 * A fatal exception: flush every client, bounded by the longest `flushTimeoutMs`, then remove the guard and hand
 * the same error back to Node, which, with no listener left, prints it to stderr and exits with code 1 itself
 * (running `exit` listeners as usual). How it is handed back decides the source excerpt Node prints above the
 * stack (see {@link handBack}).
 */
function fatalExit(shared: SharedState, guard: Listener, error: unknown): void {
  shared.fatal = true;
  const timeoutMs = Math.max(0, ...[...shared.sinks].map((sink) => sink.flushTimeoutMs));
  const flushes = [...shared.sinks].map((sink) => sink.flush().catch(() => undefined));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  void Promise.race([Promise.all(flushes), deadline]).then(() => {
    clearTimeout(timer);
    process.off('uncaughtException', guard);
    shared.rethrowing = { error };
    handBack(shared.mode, error);
  });
}

/**
 * Node quotes the source line of the exception's V8 message: for a `throw`, the throw statement; for a rejected
 * promise, the Error's creation site. So an Error is handed back as a rejection whenever that is fatal too
 * (`throw` / `strict` with no `unhandledRejection` listener): Node then quotes the application's line, as it
 * would have. Otherwise it is thrown again, and Node quotes this re-throw instead; stack, exit code and the rest
 * of the report are Node's either way.
 */
function handBack(mode: UnhandledRejectionsMode, error: unknown): void {
  const rejectionIsFatal =
    (mode === 'throw' || mode === 'strict') && process.listenerCount('unhandledRejection') === 0;
  if (rejectionIsFatal && isError(error) && typeof error.stack === 'string') {
    void Promise.reject(error);
    return;
  }
  process.nextTick(() => {
    throw error; // posthog-ts re-throws the uncaught exception after sending it; Node reports it from here
  });
}
