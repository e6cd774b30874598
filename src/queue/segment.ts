/** Most events in one segment. */
export const SEGMENT_EVENTS = 1024;
/** Most bytes of JSON in one segment (a segment is the unit that is compressed at rest). */
export const SEGMENT_BYTES = 512 * 1024;
/** Consecutive events flattened into one string (see {@link Segment.add}). */
export const CHUNK_EVENTS = 64;

/**
 * An empty array that already holds strings as far as V8 is concerned. `[]` starts out as an array of small integers
 * and changes kind at its first push; optimised code compiled against the first segment's array then met the second
 * segment's fresh one and was thrown away (`--trace-deopt`: "not a Smi" in add, push and enqueue, once per process).
 */
function emptyStringArray(): string[] {
  const items = [''];
  items.pop();
  return items;
}

/**
 * A run of consecutive queued events: the unit the queue grows by, and the unit compressed at rest.
 *
 * While hot, `items` holds the events' JSON. While packed, `items` is null and `packed` holds the compressed
 * text of `items` joined by newlines (JSON text never contains a raw newline). `sizes` is kept either way, so
 * byte accounting and `drop-oldest` work without unpacking. Events before `start` were already taken.
 */
export class Segment {
  items: string[] | null = emptyStringArray();
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
  /** Index in `items` of the first event not yet flattened into a chunk. */
  private loose = 0;

  /** Events still queued in this segment. */
  get count(): number {
    return this.sizes.length - this.start;
  }

  /** No more events go into this segment. */
  get full(): boolean {
    return this.sizes.length >= SEGMENT_EVENTS || this.bytes >= SEGMENT_BYTES || this.items === null;
  }

  /**
   * Queues one event. Its JSON usually arrives as a concatenation (a tree of the pieces it was built from), which
   * is cheap to make but costly to keep: every piece would survive as its own object. Every {@link CHUNK_EVENTS}
   * events, and when the segment fills, the loose events are flattened into one string and each is replaced by a
   * slice of it, so the pieces die young and the queue holds one flat string per chunk.
   */
  add(json: string, size: number): void {
    const items = this.items as string[];
    items.push(json);
    this.sizes.push(size);
    this.bytes += size;
    if (items.length - this.loose >= CHUNK_EVENTS || this.full) this.flatten();
  }

  /** Flattens the loose events still queued into one chunk (see {@link add}). */
  flatten(): void {
    const items = this.items;
    if (items === null) return;
    const from = Math.max(this.loose, this.start);
    this.loose = items.length;
    if (items.length - from < 2) return;
    const chunk = items.slice(from).join('');
    let offset = 0;
    for (let i = from; i < items.length; i++) {
      const end = offset + (items[i] as string).length;
      items[i] = chunk.slice(offset, end);
      offset = end;
    }
  }

  /** The text to compress: the queued events joined by newlines. Drops the already-taken prefix first. */
  packText(): string {
    if (this.start > 0) {
      this.items = (this.items as string[]).slice(this.start);
      this.sizes = this.sizes.slice(this.start);
      this.loose = Math.max(0, this.loose - this.start);
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
    this.loose = this.items.length;
    this.packed = null;
  }
}
