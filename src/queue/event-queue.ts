import { Segment } from './segment.js';

/**
 * FIFO of serialised events (JSON strings) with their sizes in bytes, held in segments (see segment.ts) so that
 * a long backlog can be compressed at rest, segment by segment (see cold-store.ts).
 *
 * Every event ever pushed gets a sequence number (`headSeq` is the number of the oldest one still queued,
 * `tailSeq` the number the next push will get). `flush()` uses them to wait for exactly the events captured
 * before it was called. Every operation is amortised O(1) per event, whatever the queue's length.
 */
export class EventQueue {
  /** Segments in order; the slots before `first` are empty (their segments left the queue). */
  private segments: Array<Segment | undefined> = [];
  private first = 0;
  private count = 0;
  /** Bytes of JSON currently queued (uncompressed: the bound `maxQueueBytes` is about events, not memory). */
  bytes = 0;
  /** Bytes of the queued events held as plain strings, packed ones excluded. */
  hotBytes = 0;
  /** Sequence number of the oldest queued event. */
  headSeq = 0;

  /** Events currently queued. */
  get length(): number {
    return this.count;
  }

  /** Sequence number the next pushed event will get. */
  get tailSeq(): number {
    return this.headSeq + this.count;
  }

  /** The oldest segment is packed: it must be unpacked before {@link take} can return its events. */
  get headPacked(): boolean {
    return this.count > 0 && (this.segments[this.first] as Segment).items === null;
  }

  push(json: string, size: number): void {
    let tail = this.segments[this.segments.length - 1];
    if (tail === undefined || tail.full) {
      tail = new Segment();
      this.segments.push(tail);
    }
    tail.add(json, size);
    this.count++;
    this.bytes += size;
    this.hotBytes += size;
  }

  /** Removes the oldest event (the `drop-oldest` overflow policy); works on packed segments too. */
  dropOldest(): boolean {
    if (this.count === 0) return false;
    const head = this.segments[this.first] as Segment;
    const size = head.sizes[head.start] as number;
    head.start++;
    head.bytes -= size;
    if (head.items !== null) this.hotBytes -= size;
    this.removed(1, size);
    if (head.count === 0) this.retireHead();
    return true;
  }

  /**
   * Removes and returns up to `maxCount` events from the front, stopping before the total would exceed
   * `maxBytes` (at least one event is always taken, so an event never blocks the queue) or at a packed segment.
   */
  take(maxCount: number, maxBytes: number): string[] {
    let batch: string[] | undefined;
    let count = 0;
    let total = 0;
    while (count < maxCount && this.count > 0) {
      const seg = this.segments[this.first] as Segment;
      const items = seg.items;
      if (items === null) break;
      const from = seg.start;
      const end = seg.sizes.length;
      let i = from;
      let bytes = 0;
      while (i < end && count < maxCount) {
        const size = seg.sizes[i] as number;
        if (count > 0 && total + size > maxBytes) break;
        total += size;
        bytes += size;
        count++;
        i++;
      }
      const taken = i - from;
      if (taken === 0) break;
      const part = items.slice(from, i);
      if (batch === undefined) batch = part;
      else for (const json of part) batch.push(json);
      seg.start = i;
      seg.bytes -= bytes;
      this.hotBytes -= bytes;
      this.removed(taken, bytes);
      if (seg.count === 0) this.retireHead();
      else break; // stopped inside this segment: the byte or count limit was reached
    }
    return batch ?? [];
  }

  /** Removes the whole oldest segment (an unreadable packed one), returning how many events it held. */
  dropHeadSegment(): number {
    if (this.count === 0) return 0;
    const seg = this.segments[this.first] as Segment;
    const count = seg.count;
    if (seg.items !== null) this.hotBytes -= seg.bytes;
    this.removed(count, seg.bytes);
    this.retireHead();
    return count;
  }

  /** Removes everything, returning how many events were queued. */
  clear(): number {
    const count = this.count;
    for (let i = this.first; i < this.segments.length; i++) (this.segments[i] as Segment).gone = true;
    this.segments.length = 0;
    this.first = 0;
    this.headSeq += count;
    this.count = 0;
    this.bytes = 0;
    this.hotBytes = 0;
    return count;
  }

  /** Segment `i` positions from the front (0 is the oldest), or undefined. */
  segmentAt(i: number): Segment | undefined {
    return this.first + i < this.segments.length ? this.segments[this.first + i] : undefined;
  }

  /** Segments currently queued. */
  get segmentCount(): number {
    return this.segments.length - this.first;
  }

  /** Bookkeeping for a segment that was packed (`packed` true) or unpacked while queued. */
  noteRepacked(seg: Segment, packed: boolean): void {
    this.hotBytes += packed ? -seg.bytes : seg.bytes;
  }

  private removed(count: number, bytes: number): void {
    this.count -= count;
    this.headSeq += count;
    this.bytes -= bytes;
  }

  private retireHead(): void {
    (this.segments[this.first] as Segment).gone = true;
    // Let go of the segment and its strings now; the slot itself is reclaimed at the next compaction. Dropping the
    // reference rather than emptying the segment's fields keeps their types stable: overwriting them made V8 discard
    // optimised code that had read them (the `full` getter's, with --trace-deopt).
    this.segments[this.first] = undefined;
    this.first++;
    if (this.first === this.segments.length) {
      // Emptied in place: a new `[]` (an array of a different kind) made V8 discard optimised code that had read the
      // field (`--trace-deopt`: take, enqueue, push and capture, the first time the queue emptied).
      this.segments.length = 0;
      this.first = 0;
    } else if (this.first > 64 && this.first * 2 > this.segments.length) {
      this.segments = this.segments.slice(this.first);
      this.first = 0;
    }
  }
}
