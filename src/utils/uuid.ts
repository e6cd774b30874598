const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in the 8-4-4-4-12 hex form (any version). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID_PATTERN.test(value);
}

/**
 * Generates UUIDv7s (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids from one
 * generator strictly increasing within a millisecond, then 62 random bits.
 *
 * Random bytes come from a pooled buffer refilled 4 KiB at a time, because one `getRandomValues` call per
 * event costs more than the rest of the id.
 */
export class UuidV7Generator {
  private readonly pool = new Uint8Array(4096);
  private poolPos = this.pool.length;
  private lastMs = -1;
  private counter = 0;
  /** The timestamp part (`xxxxxxxx-xxxx-`) of `prefixMs`: many events share a millisecond under load. */
  private prefix = '';
  private prefixMs = -1;

  constructor(
    private readonly randomFill: (bytes: Uint8Array) => void,
    private readonly now: () => number,
  ) {}

  /** A new id; `nowMs` saves reading the clock when the caller just did. */
  next(nowMs?: number): string {
    let ms = nowMs ?? this.now();
    if (ms <= this.lastMs) {
      // Same millisecond (or the clock stepped back): count up, borrowing the next millisecond on overflow.
      ms = this.lastMs;
      this.counter++;
      if (this.counter > 0xfff) {
        ms++;
        this.counter = 0;
      }
    } else {
      // A random start in the lower half leaves room to count up without overflowing.
      this.counter = this.randomByte() & 0x7ff;
    }
    this.lastMs = ms;
    if (ms !== this.prefixMs) {
      const high = Math.floor(ms / 0x10000);
      const low = ms & 0xffff;
      this.prefix =
        HEX[(high >>> 24) & 0xff]! +
        HEX[(high >>> 16) & 0xff]! +
        HEX[(high >>> 8) & 0xff]! +
        HEX[high & 0xff]! +
        '-' +
        HEX[(low >>> 8) & 0xff]! +
        HEX[low & 0xff]! +
        '-';
      this.prefixMs = ms;
    }
    let out = this.prefix + HEX[0x70 | (this.counter >>> 8)]! + HEX[this.counter & 0xff]!;
    out += '-' + HEX[0x80 | (this.randomByte() & 0x3f)]! + HEX[this.randomByte()]!;
    out += '-';
    for (let i = 0; i < 6; i++) out += HEX[this.randomByte()]!;
    return out;
  }

  private randomByte(): number {
    if (this.poolPos >= this.pool.length) {
      this.randomFill(this.pool);
      this.poolPos = 0;
    }
    return this.pool[this.poolPos++]!;
  }
}
