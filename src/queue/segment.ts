/** Most events in one segment. */
export const SEGMENT_EVENTS = 1024;
/** Most bytes of JSON in one segment (a segment is the unit that is compressed at rest). */
export const SEGMENT_BYTES = 512 * 1024;

/**
 * A run of consecutive queued events: the unit the queue grows by, and the unit compressed at rest.
 *
 * While hot, `items` holds the events' JSON. While packed, `items` is null and `packed` holds the compressed
 * text of `items` joined by newlines (JSON text never contains a raw newline). `sizes` is kept either way, so
 * byte accounting and `drop-oldest` work without unpacking. Events before `start` were already taken.
 */
export class Segment {
  items: string[] | null = [];
  sizes: number[] = [];
  /** Index of the first event still queued. */
  start = 0;
  /** Bytes of the events still queued. */
  bytes = 0;
  /** The compressed events, while packed. */
  packed: Uint8Array | null = null;
  /** A pack or unpack of this segment is running. */
  busy = false;
  /** The segment left the queue (taken, dropped or cleared): a running pack or unpack must discard its result. */
  gone = false;
  /** Unpacking failed once (see ColdStore). */
  failed = false;

  /** Events still queued in this segment. */
  get count(): number {
    return this.sizes.length - this.start;
  }

  /** No more events go into this segment. */
  get full(): boolean {
    return this.sizes.length >= SEGMENT_EVENTS || this.bytes >= SEGMENT_BYTES || this.items === null;
  }

  add(json: string, size: number): void {
    (this.items as string[]).push(json);
    this.sizes.push(size);
    this.bytes += size;
  }

  /** The text to compress: the queued events joined by newlines. Drops the already-taken prefix first. */
  packText(): string {
    if (this.start > 0) {
      this.items = (this.items as string[]).slice(this.start);
      this.sizes = this.sizes.slice(this.start);
      this.start = 0;
    }
    return (this.items as string[]).join('\n');
  }

  /** Replaces the events by their compressed form. */
  pack(bytes: Uint8Array): void {
    this.packed = bytes;
    this.items = null;
  }

  /** Restores the events from the decompressed text (events dropped while packed stay dropped). */
  unpack(text: string): void {
    this.items = text.split('\n');
    this.packed = null;
  }
}
