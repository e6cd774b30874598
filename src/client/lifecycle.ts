import type { PostHogOptions } from '../api/options.js';
import type { Platform } from '../platform/platform.js';
import { outlasts } from '../platform/sleep.js';
import { ExceptionCapture } from './exception-capture.js';

/** Longest a process that forgot `shutdown()` is kept alive at exit to deliver its queue. */
const EXIT_FLUSH_MS = 5000;

/**
 * @internal The end of a client's life: `shutdown()` / `close()`, and the exit hook that delivers the queue of
 * a script that ends without them.
 */
export abstract class ClientLifecycle extends ExceptionCapture {
  private shutdownPromise: Promise<void> | undefined;
  private removeExitHook: (() => void) | undefined;
  private removeExitWarning: (() => void) | undefined;
  private exitFlushing = false;

  constructor(apiKey: string, options: PostHogOptions | undefined, platform: Platform) {
    super(apiKey, options, platform);
    if (!this.delivery) return; // no API key, or `disabled`: ClientCore returned early too
    // A script that forgets shutdown() would otherwise exit with events still queued.
    this.removeExitHook = platform.onBeforeExit(() => this.flushBeforeExit());
    // `process.exit()`, or a signal handler calling it, skips beforeExit: the queue cannot be sent any more, but
    // losing it must not go unsaid.
    this.removeExitWarning = platform.onExit(() => {
      const left = this.delivery ? this.delivery.queued + this.delivery.inFlight : 0;
      if (left > 0) {
        this.logger.warn(
          `the process exited with ${left} event(s) not delivered; await shutdown() before process.exit()`,
        );
      }
    });
  }

  /**
   * A script ended without `shutdown()`: send what is queued, but keep the process alive for at most
   * {@link EXIT_FLUSH_MS}. With PostHog unreachable, retries would otherwise hold a CLI open for minutes.
   */
  private flushBeforeExit(): void {
    const delivery = this.delivery;
    if (!delivery || delivery.queued === 0 || this.closed || this.exitFlushing) return;
    this.exitFlushing = true;
    const release = this.platform.holdOpen();
    const timer = this.platform.setTimer(() => {
      const left = delivery.queued + delivery.inFlight;
      if (left > 0) {
        this.logger.warn(
          `the process is exiting with ${left} event(s) not delivered; call shutdown() before exit`,
        );
      }
      // Giving up must end the requests still open too: their sockets would hold the process for up to
      // `requestTimeout` more. The rest is counted as shutdown_timeout, as with an explicit shutdown(0).
      void this.shutdown(0);
      release();
    }, EXIT_FLUSH_MS);
    void delivery.flush().finally(() => {
      this.platform.clearTimer(timer);
      release();
      this.exitFlushing = false;
    });
  }

  /**
   * Stops accepting events, delivers what is queued, in flight or pending within `timeoutMs`, then gives up
   * on the rest (counted as `shutdown_timeout`) and stops every timer. Calling it again returns the same
   * promise. Never rejects.
   */
  shutdown(timeoutMs = 30_000): Promise<void> {
    if (!this.shutdownPromise) {
      // Read before anything changes: a deadline that is no number must not leave a half-closed client behind.
      this.shutdownPromise = this.shutdownOnce(
        typeof timeoutMs === 'number' && !Number.isNaN(timeoutMs) ? Math.max(0, timeoutMs) : 30_000,
      );
      // An open waitUntil cycle keeps the runtime up until the drain is over.
      this.waitUntil?.close(this.shutdownPromise);
    } else this.logger.debug('shutdown() was already called; waiting for the first call');
    return this.shutdownPromise;
  }

  /** The Go SDK's `Close()`: `shutdown()` with its default deadline. */
  close(): Promise<void> {
    return this.shutdown();
  }

  private async shutdownOnce(timeoutMs: number): Promise<void> {
    this.closed = true;
    this.removeExitHook?.();
    this.removeAutocapture?.();
    // Flags stop after the drain, not before: a capture({ sendFeatureFlags }) whose flag lookup is still running
    // is part of what is delivered, and stopping flags first made it go out without its flags.
    let flagsStopped: Promise<void> | undefined;
    const stopFlags = (): void => {
      flagsStopped ??= this.flags?.shutdown(Math.min(timeoutMs, 5000)) ?? Promise.resolve();
    };
    const delivery = this.delivery;
    if (!delivery) {
      stopFlags();
      await flagsStopped;
      this.platform.close();
      return;
    }
    const release = this.platform.holdOpen();
    const timeout = Math.max(0, Number.isFinite(timeoutMs) ? timeoutMs : 30_000);
    delivery.setDeadline(this.platform.now() + timeout);
    try {
      if (timeout === 0) {
        // No time at all: send nothing more, so nothing reaches the server after the call.
        stopFlags();
        delivery.abandon();
        await delivery.flush();
        return;
      }
      if (await outlasts(this.platform, delivery.flush(), timeout)) {
        stopFlags(); // ends flag lookups still running, which the drain below would otherwise wait for
        delivery.abandon();
        await delivery.flush(); // settles quickly: requests and waits were just aborted
        this.logger.error(`shutdown(${timeout}) reached its deadline; undelivered events were dropped`);
      }
    } finally {
      stopFlags();
      await flagsStopped;
      delivery.stopTimers();
      this.platform.close();
      // Only now: a process that exits while the drain is still running has lost what it held.
      this.removeExitWarning?.();
      release();
    }
  }
}
