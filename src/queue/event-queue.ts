/**
 * FIFO of serialised events (JSON strings) with their sizes in bytes.
 *
 * Every event ever pushed gets a sequence number (`headSeq` is the number of the oldest one still queued,
 * `tailSeq` the number the next push will get). `flush()` uses them to wait for exactly the events captured
 * before it was called. Removal is O(1) by advancing `head`; the arrays are compacted once the dead prefix is
 * large, so the queue costs amortised O(1) per event whatever its length.
 */
export class EventQueue {
  private items: string[] = [];
  private sizes: number[] = [];
  private head = 0;
  /** Bytes of JSON currently queued. */
  bytes = 0;
  /** Sequence number of the oldest queued event. */
  headSeq = 0;

  /** Events currently queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Sequence number the next pushed event will get. */
  get tailSeq(): number {
    return this.headSeq + this.length;
  }

  push(json: string, size: number): void {
    this.items.push(json);
    this.sizes.push(size);
    this.bytes += size;
  }

  /** Removes the oldest event (the `drop-oldest` overflow policy). */
  dropOldest(): boolean {
    if (this.length === 0) return false;
    this.bytes -= this.sizes[this.head]!;
    this.advance(1);
    return true;
  }

  /**
   * Removes and returns up to `maxCount` events from the front, stopping before the total would exceed
   * `maxBytes` (at least one event is always taken, so an event never blocks the queue).
   */
  take(maxCount: number, maxBytes: number): string[] {
    const available = Math.min(maxCount, this.length);
    let count = 0;
    let total = 0;
    while (count < available) {
      const size = this.sizes[this.head + count]!;
      if (count > 0 && total + size > maxBytes) break;
      total += size;
      count++;
    }
    const batch = this.items.slice(this.head, this.head + count);
    this.bytes -= total;
    this.advance(count);
    return batch;
  }

  /** Removes everything, returning how many events were queued. */
  clear(): number {
    const count = this.length;
    this.advance(count);
    this.bytes = 0;
    return count;
  }

  private advance(count: number): void {
    this.head += count;
    this.headSeq += count;
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }
}
