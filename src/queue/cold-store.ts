import type { Platform, TimerHandle } from '../platform/platform.js';
import type { EventQueue } from './event-queue.js';
import type { Segment } from './segment.js';

/** Compresses and restores text; the platform's deflate, behind a seam so edge runtimes bring their own. */
export interface TextPacker {
  pack(text: string): Promise<Uint8Array>;
  unpack(bytes: Uint8Array): Promise<string>;
}

/** Segments at the front that are never packed, and are unpacked ahead of need: the next batches come from them. */
const WARM_SEGMENTS = 2;

/** The clock and timers the store waits with: the platform's (unref'd); tests pass their own. */
export type ColdStoreClock = Pick<Platform, 'now' | 'setTimer' | 'clearTimer'>;

/** When packing starts, and what it leaves alone. */
export interface ColdStorePolicy {
  /**
   * How long the backlog must stay over the threshold before packing starts. A burst that the pipeline drains
   * within this time is never compressed: packing it would cost a deflate and an inflate per segment for nothing.
   */
  settleMs: number;
  /** A segment that the pipeline, at the rate it sent over the settle time, will reach within this long stays plain. */
  horizonMs: number;
}

/**
 * The defaults: a backlog that lasts is compressed within about a second of crossing the threshold, while what
 * delivery will reach within three seconds stays plain. Packing runs on the thread pool, which shares the machine's
 * cores with the event loop delivery needs: with the server in the measuring process, a 200k burst (which drains in
 * about three seconds) went from 1.09x to 1.30x the no-SDK floor when the horizon grew from one second to three (8
 * alternating runs), the same as with compression off; a 1M burst still compresses its tail and reached the same peak
 * memory.
 */
export const COLD_STORE_POLICY: ColdStorePolicy = { settleMs: 1000, horizonMs: 3000 };

/**
 * Compression at rest for a long backlog.
 *
 * Once the queue has held more than `thresholdBytes` of plain JSON for `policy.settleMs`, full segments are
 * compressed one at a time (off the event loop on Node), newest first: those are sent last. Segments that the
 * pipeline will reach within `policy.horizonMs`, at the rate it took events over the settle time, are left plain.
 * The two oldest segments are never packed, and are unpacked ahead of the pump, so batches keep flowing while
 * older parts of the backlog wait compressed (about a tenth of their size for typical events). Nothing here runs
 * inside `capture()`: work is scheduled.
 *
 * Packing can only fail by running out of memory, in which case the segment simply stays plain. Unpacking our own
 * output cannot fail short of a bug; if it ever did away from the front, the segment is tried again when it
 * reaches the front, and a failure there reports its events to `onLost` (nothing is dropped silently, and the
 * queue keeps moving).
 */
export class ColdStore {
  private packing: Promise<void> | undefined;
  /** The settle timer, while the backlog waits to be found lasting. */
  private settling: TimerHandle | undefined;
  private readonly unpacking = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly queue: EventQueue,
    private readonly packer: TextPacker,
    private readonly thresholdBytes: number,
    private readonly clock: ColdStoreClock,
    /** Called when unpacked segments are ready, so the pump can send them. */
    private readonly onReady: () => void,
    private readonly onLost: (count: number, error: unknown) => void,
    private readonly policy: ColdStorePolicy = COLD_STORE_POLICY,
  ) {}

  /** After an enqueue: starts the settle timer when the plain backlog is over the threshold. O(1). */
  afterPush(): void {
    if (
      this.packing !== undefined ||
      this.settling !== undefined ||
      this.stopped ||
      this.queue.hotBytes <= this.thresholdBytes
    )
      return;
    const since = this.clock.now();
    const taken = this.queue.headSeq;
    this.settling = this.clock.setTimer(() => {
      this.settling = undefined;
      if (this.stopped) return;
      const elapsed = this.clock.now() - since;
      // Events the pipeline took per ms meanwhile; 0 (nothing sent) means every segment waits indefinitely.
      const rate = elapsed > 0 ? (this.queue.headSeq - taken) / elapsed : 0;
      const run: Promise<void> = this.packLoop(rate).finally(() => {
        if (this.packing === run) this.packing = undefined;
      });
      this.packing = run;
    }, this.policy.settleMs);
  }

  /** Before the pump takes batches: unpacks the front segments that are packed. */
  warm(): void {
    for (let i = 0; i < WARM_SEGMENTS; i++) {
      const seg = this.queue.segmentAt(i);
      if (seg === undefined) return;
      // A segment that failed to unpack is retried only once it is at the front, where it can be dropped.
      if (seg.items === null && !seg.busy && (!seg.failed || i === 0)) {
        const job = this.unpack(seg);
        this.unpacking.add(job);
        void job.finally(() => this.unpacking.delete(job));
      }
    }
  }

  /**
   * Stops packing (shutdown) and resolves once no job runs, so shutdown leaves no compression handle behind.
   * Unpacking is still started when the pump needs it: the backlog must drain.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.settling !== undefined) {
      this.clock.clearTimer(this.settling);
      this.settling = undefined;
    }
    while (this.packing !== undefined || this.unpacking.size > 0) {
      await Promise.all([this.packing, ...this.unpacking]);
    }
  }

  private async packLoop(rate: number): Promise<void> {
    for (;;) {
      if (this.stopped || this.queue.hotBytes <= this.thresholdBytes) return;
      const seg = this.candidate(rate);
      if (seg === undefined) return;
      seg.busy = true;
      const text = seg.packText();
      let bytes: Uint8Array | undefined;
      try {
        bytes = await this.packer.pack(text);
      } catch {
        bytes = undefined; // stays plain; try no further this round
      }
      seg.busy = false;
      if (bytes === undefined) return;
      // Taken from meanwhile, or now next in line: keep it plain.
      if (seg.gone || seg.start > 0 || this.isWarm(seg)) continue;
      seg.pack(bytes);
      this.queue.noteRepacked(seg, true);
    }
  }

  /** The newest full, plain segment outside the warm front that will wait past the horizon, if any. */
  private candidate(rate: number): Segment | undefined {
    // Events from segment i to the newest; the pipeline reaches segment i after the others, queue.length - behind.
    let behind = 0;
    for (let i = this.queue.segmentCount - 1; i >= WARM_SEGMENTS; i--) {
      const seg = this.queue.segmentAt(i) as Segment;
      behind += seg.count;
      // Older segments are reached sooner still: none of them qualifies either.
      if (rate > 0 && (this.queue.length - behind) / rate < this.policy.horizonMs) return undefined;
      if (seg.items !== null && !seg.busy && seg.full) return seg;
    }
    return undefined;
  }

  private isWarm(seg: Segment): boolean {
    for (let i = 0; i < WARM_SEGMENTS; i++) if (this.queue.segmentAt(i) === seg) return true;
    return false;
  }

  private async unpack(seg: Segment): Promise<void> {
    seg.busy = true;
    try {
      const text = await this.packer.unpack(seg.packed as Uint8Array);
      if (!seg.gone) {
        seg.unpack(text);
        this.queue.noteRepacked(seg, false);
      }
    } catch (error) {
      seg.failed = true;
      if (!seg.gone && this.queue.segmentAt(0) === seg) this.onLost(this.queue.dropHeadSegment(), error);
    } finally {
      seg.busy = false;
      this.onReady();
    }
  }
}
