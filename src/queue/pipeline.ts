import type { QueueOverflowPolicy } from '../api/options.js';
import type { Platform, TimerHandle } from '../platform/platform.js';
import type { BatchSender } from '../transport/sender.js';
import { ColdStore } from './cold-store.js';
import { EventQueue } from './event-queue.js';

/** Queue and batching settings of one pipeline. */
export interface PipelineSettings {
  flushAt: number;
  flushInterval: number;
  maxBatchSize: number;
  maxBatchBytes: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  queueOverflow: QueueOverflowPolicy;
  maxConcurrentRequests: number;
  /** Plain JSON bytes above which the backlog is compressed at rest, or false. */
  compressQueueAboveBytes: number | false;
}

/** Result of offering an event to the queue. */
export type EnqueueOutcome = 'queued' | 'full-count' | 'full-bytes';

/**
 * One queue feeding one endpoint. It decides when to cut batches (`flushAt` events waiting, the
 * `flushInterval` timer, or an explicit flush), keeps at most `maxConcurrentRequests` batches in flight, and
 * resolves `flush()` waiters once every event queued before the call has settled.
 *
 * The timer exists only while events wait, and is unref'd.
 */
export class Pipeline {
  readonly queue = new EventQueue();
  private inFlight = 0;
  /** Events in requests not yet settled. */
  inFlightEvents = 0;
  /** First sequence number of each in-flight batch; batches are cut in order, so each covers a contiguous range. */
  private readonly inFlightStarts = new Map<number, number>();
  private nextBatchId = 0;
  /** Events before this sequence number are sent regardless of `flushAt`. */
  private drainTarget = 0;
  private timer: TimerHandle | undefined;
  private pumpScheduled = false;
  private waiters: Array<{ target: number; resolve: () => void }> = [];
  /** Compression at rest of a long backlog; absent when turned off. */
  private readonly cold: ColdStore | undefined;

  constructor(
    private readonly settings: PipelineSettings,
    private readonly sender: BatchSender,
    private readonly platform: Platform,
    /** Told of each event `drop-oldest` discards, with the bound the new event would have broken. */
    private readonly onDroppedOldest: (bound: 'count' | 'bytes') => void,
    private readonly onSendError: (error: unknown, count: number) => void,
    onLost: (count: number, error: unknown) => void = () => {},
  ) {
    const threshold = settings.compressQueueAboveBytes;
    if (threshold !== false) {
      this.cold = new ColdStore(
        this.queue,
        { pack: (text) => platform.deflate(text), unpack: (bytes) => platform.inflate(bytes) },
        threshold,
        platform,
        () => this.pump(),
        (count, error) => {
          onLost(count, error);
          this.checkWaiters();
        },
      );
    }
  }

  /** Offers one serialised event. O(1): no I/O happens here, only bookkeeping and, at most, a scheduled pump. */
  enqueue(json: string, size: number): EnqueueOutcome {
    const { queue, settings } = this;
    // An event larger than the whole byte bound can never fit: refuse it without emptying the queue first.
    if (size > settings.maxQueueBytes) return 'full-bytes';
    let length = queue.length;
    while (length >= settings.maxQueueSize || queue.bytes + size > settings.maxQueueBytes) {
      if (settings.queueOverflow === 'drop-newest' || length === 0) {
        return length >= settings.maxQueueSize ? 'full-count' : 'full-bytes';
      }
      const bound = length >= settings.maxQueueSize ? 'count' : 'bytes';
      queue.dropOldest();
      this.onDroppedOldest(bound);
      length = queue.length;
    }
    queue.push(json, size);
    this.cold?.afterPush();
    if (length + 1 >= settings.flushAt) this.schedulePump();
    else if (this.timer === undefined) this.armTimer();
    return 'queued';
  }

  /**
   * True when the next event would be refused by count whatever its size (`drop-newest` and a full queue), so
   * an overloaded client can refuse it before paying for serialisation.
   */
  get refusesByCount(): boolean {
    return this.settings.queueOverflow === 'drop-newest' && this.queue.length >= this.settings.maxQueueSize;
  }

  /** Resolves when every event queued before the call is delivered or given up on. */
  flush(): Promise<void> {
    const target = this.queue.tailSeq;
    if (this.settledThrough(target)) return Promise.resolve();
    this.drainTarget = Math.max(this.drainTarget, target);
    return new Promise((resolve) => {
      this.waiters.push({ target, resolve });
      this.pump();
    });
  }

  /** True when nothing is queued or in flight. */
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
  }

  /** Stops compressing the backlog and waits for a compression already running (shutdown). */
  async stopCompression(): Promise<void> {
    await this.cold?.stop();
  }

  /** Empties the queue (shutdown past its deadline), returning how many events were discarded. */
  discard(): number {
    const count = this.queue.clear();
    this.stopTimer();
    this.checkWaiters();
    return count;
  }

  stopTimer(): void {
    if (this.timer !== undefined) {
      this.platform.clearTimer(this.timer);
      this.timer = undefined;
    }
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // A microtask, not a direct call: capture() returns before any batch is cut, serialised or sent.
    queueMicrotask(() => this.pump());
  }

  private armTimer(): void {
    this.timer = this.platform.setTimer(() => {
      this.timer = undefined;
      this.drainTarget = Math.max(this.drainTarget, this.queue.tailSeq);
      this.pump();
    }, this.settings.flushInterval);
  }

  private pump(): void {
    this.pumpScheduled = false;
    const { queue, settings } = this;
    while (
      this.inFlight < settings.maxConcurrentRequests &&
      queue.length > 0 &&
      (queue.length >= settings.flushAt || queue.headSeq < this.drainTarget)
    ) {
      // A compressed segment at the front: warm() is inflating it and pumps again when it is ready.
      if (queue.headPacked) break;
      const startSeq = queue.headSeq;
      this.launch(queue.take(settings.maxBatchSize, settings.maxBatchBytes), startSeq);
    }
    this.cold?.warm();
    if (queue.length === 0) this.stopTimer();
    else if (this.timer === undefined) this.armTimer();
    this.checkWaiters();
  }

  private launch(batch: string[], startSeq: number): void {
    const id = this.nextBatchId++;
    this.inFlight++;
    this.inFlightEvents += batch.length;
    this.inFlightStarts.set(id, startSeq);
    const done = (): void => {
      this.inFlight--;
      this.inFlightEvents -= batch.length;
      this.inFlightStarts.delete(id);
      this.pump();
    };
    this.sender.send(batch).then(done, (error: unknown) => {
      this.onSendError(error, batch.length);
      done();
    });
  }

  private settledThrough(target: number): boolean {
    if (this.queue.headSeq < target) return false;
    for (const start of this.inFlightStarts.values()) if (start < target) return false;
    return true;
  }

  private checkWaiters(): void {
    if (this.waiters.length === 0) return;
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (this.settledThrough(waiter.target)) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }
}
