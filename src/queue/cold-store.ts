import type { EventQueue } from './event-queue.js';
import type { Segment } from './segment.js';

/** Compresses and restores text; the platform's deflate, behind a seam so edge runtimes bring their own. */
export interface TextPacker {
  pack(text: string): Promise<Uint8Array>;
  unpack(bytes: Uint8Array): Promise<string>;
}

/** Segments at the front that are never packed, and are unpacked ahead of need: the next batches come from them. */
const WARM_SEGMENTS = 2;

/**
 * Compression at rest for a long backlog.
 *
 * While the queue holds more than `thresholdBytes` of plain JSON, full segments are compressed one at a time
 * (off the event loop on Node), newest first: those are sent last. The two oldest segments are never packed,
 * and are unpacked ahead of the pump, so batches keep flowing while older parts of the backlog wait compressed
 * (about a tenth of their size for typical events). Nothing here runs inside `capture()`: work is scheduled.
 *
 * Packing can only fail by running out of memory, in which case the segment simply stays plain. Unpacking our
 * own output cannot fail short of a bug; if it ever did away from the front, the segment is tried again when it
 * reaches the front, and a failure there reports its events to `onLost` (nothing is dropped silently, and the
 * queue keeps moving).
 */
export class ColdStore {
  private packing: Promise<void> | undefined;
  private readonly unpacking = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly queue: EventQueue,
    private readonly packer: TextPacker,
    private readonly thresholdBytes: number,
    private readonly schedule: (job: () => void) => void,
    /** Called when unpacked segments are ready, so the pump can send them. */
    private readonly onReady: () => void,
    private readonly onLost: (count: number, error: unknown) => void,
  ) {}

  /** After an enqueue: starts packing when the plain backlog is over the threshold. O(1). */
  afterPush(): void {
    if (this.packing === undefined && !this.stopped && this.queue.hotBytes > this.thresholdBytes) {
      this.packing = new Promise((resolve) => this.schedule(() => void this.packLoop().then(resolve)));
    }
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
    while (this.packing !== undefined || this.unpacking.size > 0) {
      await Promise.all([this.packing, ...this.unpacking]);
    }
  }

  private async packLoop(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped || this.queue.hotBytes <= this.thresholdBytes) return;
        const seg = this.candidate();
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
    } finally {
      this.packing = undefined;
    }
  }

  /** The newest full, plain segment outside the warm front, if any. */
  private candidate(): Segment | undefined {
    for (let i = this.queue.segmentCount - 1; i >= WARM_SEGMENTS; i--) {
      const seg = this.queue.segmentAt(i) as Segment;
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
