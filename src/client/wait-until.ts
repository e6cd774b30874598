import type { Platform, TimerHandle } from '../platform/platform.js';

/** What a {@link WaitUntilFlusher} needs from the client. */
export interface WaitUntilSettings {
  /** The runtime's `waitUntil`: keeps the invocation alive until the promise settles. */
  waitUntil: (promise: Promise<unknown>) => void;
  debounceMs: number;
  maxWaitMs: number;
  /** The client's `flush()`: never rejects. */
  flush: () => Promise<void>;
  onError: (error: unknown) => void;
}

/** One open cycle: the promise handed to `waitUntil`, how to settle it, and the debounce timer. */
interface Cycle {
  resolve: () => void;
  startedAt: number;
  timer: TimerHandle | undefined;
}

/**
 * Delivery for serverless runtimes that end an invocation with its response unless work is handed to their
 * `waitUntil`. The first event captured opens a cycle: one promise is handed to `waitUntil` at once, so the
 * runtime stays up, and a flush starts once captures pause for `debounceMs` (or `maxWaitMs` after the first, so a
 * steady stream cannot postpone it forever); the promise settles when that flush has. A `flush()` called outside
 * a cycle is handed to `waitUntil` too, so a handler may call it without awaiting it.
 */
export class WaitUntilFlusher {
  private cycle: Cycle | undefined;

  constructor(
    private readonly settings: WaitUntilSettings,
    private readonly platform: Platform,
  ) {}

  /** An event was queued: open a cycle if none is open, and push its flush back by the debounce interval. */
  eventQueued(): void {
    let cycle = this.cycle;
    const now = this.platform.now();
    if (cycle === undefined) {
      let resolve!: () => void;
      const kept = new Promise<void>((r) => {
        resolve = r;
      });
      if (!this.handOver(kept)) return;
      cycle = { resolve, startedAt: now, timer: undefined };
      this.cycle = cycle;
    }
    if (cycle.timer !== undefined) this.platform.clearTimer(cycle.timer);
    cycle.timer = undefined;
    if (now - cycle.startedAt >= this.settings.maxWaitMs) {
      void this.flushCycle();
      return;
    }
    cycle.timer = this.platform.setTimer(() => void this.flushCycle(), this.settings.debounceMs);
  }

  /** A flush started by the caller: kept alive by `waitUntil` unless a cycle already keeps the runtime up. */
  flushStarted(flush: Promise<void>): void {
    if (this.cycle === undefined) this.handOver(flush);
  }

  /** Shutdown: the cycle's promise settles with `done` (the drain), and its timer stops now. */
  close(done: Promise<void>): void {
    const resolve = this.take();
    if (resolve) void done.finally(resolve);
  }

  private async flushCycle(): Promise<void> {
    const resolve = this.take();
    try {
      await this.settings.flush();
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
      this.settings.waitUntil(promise);
      return true;
    } catch (error) {
      this.settings.onError(error);
      return false;
    }
  }
}
