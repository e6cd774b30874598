import type { Platform, TimerHandle } from '../platform/platform.js';

/** What a {@link WaitUntilFlusher} needs from the client. */
export interface WaitUntilSettings {
  /** The runtime's `waitUntil`: keeps the invocation alive until the promise settles. */
  waitUntil: (promise: Promise<unknown>) => void;
  debounceMs: number;
  maxWaitMs: number;
  /** The client's `flush()` without the hand-over: waits for pending work too, and never rejects. */
  flush: () => Promise<void>;
  onError: (error: unknown) => void;
}

/** One open cycle: how to settle the promise handed to `waitUntil`, and when it started and last saw an event. */
interface Cycle {
  resolve: () => void;
  startedAt: number;
  lastEventAt: number;
  timer: TimerHandle | undefined;
}

/**
 * Delivery for serverless runtimes that end an invocation with its response unless work is handed to their
 * `waitUntil`. The first event captured, or the first capture that queues its event later (a `/flags` lookup for
 * `sendFeatureFlags`, an exception's source lines), opens a cycle: one promise is handed to `waitUntil` at once,
 * so the runtime stays up, and a flush starts once captures pause for `debounceMs` (or `maxWaitMs` after the
 * first, so a steady stream cannot postpone it forever). The flush waits for the pending captures too, and the
 * promise settles when it has. A `flush()` called outside a cycle is handed over too, so a handler may leave it
 * unawaited; `shutdown()` hands over its drain.
 */
export class WaitUntilFlusher {
  private cycle: Cycle | undefined;
  private closed = false;

  constructor(
    private readonly settings: WaitUntilSettings,
    private readonly platform: Platform,
  ) {}

  /** An event was queued, or a capture will queue one: keep the runtime up until it is flushed. */
  eventQueued(): void {
    if (this.closed) return; // the shutdown drain, already handed over, delivers it
    const now = this.platform.now();
    const cycle = this.cycle;
    if (cycle !== undefined) {
      // The timer reads this when it fires: no timer is re-armed per event.
      cycle.lastEventAt = now;
      return;
    }
    let resolve!: () => void;
    const kept = new Promise<void>((r) => {
      resolve = r;
    });
    if (!this.handOver(kept)) return;
    this.cycle = { resolve, startedAt: now, lastEventAt: now, timer: undefined };
    this.arm(Math.min(this.settings.debounceMs, this.settings.maxWaitMs));
  }

  /** A flush started by the caller: kept alive by `waitUntil` unless a cycle already keeps the runtime up. */
  flushStarted(flush: Promise<void>): void {
    if (this.cycle === undefined && !this.closed) this.handOver(flush);
  }

  /** Shutdown: the open cycle, or else a new hand-over, settles with `done` (the drain); no cycle opens after. */
  close(done: Promise<void>): void {
    this.closed = true;
    const resolve = this.take();
    if (resolve) void done.finally(resolve);
    else this.handOver(done);
  }

  private arm(delayMs: number): void {
    const cycle = this.cycle as Cycle;
    cycle.timer = this.platform.setTimer(() => {
      cycle.timer = undefined;
      if (this.cycle !== cycle) return;
      const now = this.platform.now();
      const quietFor = now - cycle.lastEventAt;
      const openFor = now - cycle.startedAt;
      const { debounceMs, maxWaitMs } = this.settings;
      if (quietFor >= debounceMs || openFor >= maxWaitMs) void this.flushCycle();
      else this.arm(Math.min(debounceMs - quietFor, maxWaitMs - openFor));
    }, delayMs);
  }

  private async flushCycle(): Promise<void> {
    const resolve = this.take();
    try {
      await this.settings.flush();
    } catch (error) {
      this.settings.onError(error); // never an unhandled rejection from a timer
    } finally {
      resolve?.();
    }
  }

  /** Ends the open cycle, returning how to settle its promise. */
  private take(): (() => void) | undefined {
    const cycle = this.cycle;
    if (cycle === undefined) return undefined;
    if (cycle.timer !== undefined) this.platform.clearTimer(cycle.timer);
    this.cycle = undefined;
    return cycle.resolve;
  }

  /** Calls the caller's `waitUntil`; false (and reported) when it throws, so capture goes on without it. */
  private handOver(promise: Promise<unknown>): boolean {
    try {
      this.settings.waitUntil(promise.catch(() => undefined));
      return true;
    } catch (error) {
      this.settings.onError(error);
      return false;
    }
  }
}
