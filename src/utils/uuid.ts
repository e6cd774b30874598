/**
 * Character codes of the two hex digits of a byte: `HIGH[b]`, then `LOW[b]`. Plain arrays: see
 * {@link UuidV7Generator} for why the hot path reads no `Uint8Array`.
 */
const HIGH: number[] = [];
const LOW: number[] = [];
for (let b = 0; b < 256; b++) {
  HIGH.push('0123456789abcdef'.charCodeAt(b >>> 4));
  LOW.push('0123456789abcdef'.charCodeAt(b & 15));
}
const DASH = 0x2d;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in the 8-4-4-4-12 hex form (any version). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID_PATTERN.test(value);
}

/**
 * Random 16-bit words one id draws from the pool: three for the node part, one for the variant group's random
 * bits, one for a counter start.
 */
const WORDS_PER_ID = 5;

/**
 * Generates UUIDv7s (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids from one
 * generator strictly increasing within a millisecond, then 62 random bits.
 *
 * Random words come from a pooled buffer refilled about 4 KiB at a time, because one `getRandomValues` call per
 * event costs more than the rest of the id. Each id reads its own window of the pool in straight-line code: a
 * fresh process spends under half the compile time on it that a byte-at-a-time reader took (`--trace-opt`), and
 * it runs as fast once compiled.
 *
 * The pool is read as a `Uint16Array` and the hex tables are plain arrays because the first HTTP exchange of a
 * Node process changes `Uint8Array`'s prototype map, which discards every optimised function that reads a
 * `Uint8Array` (`--trace-deopt`: "code dependencies"). When a process captures before its first request, as a
 * CLI, a serverless handler or a benchmark does, this function was compiled twice (17 ms and 9 ms of
 * optimising-compiler time on the build machine) and ran unoptimised for thousands of ids in between. Other typed
 * arrays are unaffected, and 16-bit words stay small integers even in unoptimised code.
 */
export class UuidV7Generator {
  /** A multiple of {@link WORDS_PER_ID}, so a window never runs past the end. */
  private readonly pool = new Uint16Array(409 * WORDS_PER_ID);
  /** Start of the next unused window. */
  private poolPos = this.pool.length;
  private lastMs = -1;
  private counter = 0;

  constructor(private readonly randomFill: (bytes: Uint8Array) => void) {}

  /**
   * A new id for the clock reading `nowMs`. The caller reads the clock: every caller already has, or needs, the
   * time, and a branch that reads it here would go unexercised until it deoptimised the compiled function.
   */
  next(nowMs: number): string {
    const pool = this.pool;
    let at = this.poolPos;
    if (at === pool.length) {
      // A byte view made here, not kept in a field: a field holding a Uint8Array ties the compiled code to it too.
      this.randomFill(new Uint8Array(pool.buffer, pool.byteOffset, pool.byteLength));
      at = 0;
    }
    this.poolPos = at + WORDS_PER_ID;
    let ms = nowMs;
    if (ms <= this.lastMs) {
      // Same millisecond (or the clock stepped back): count up, borrowing the next millisecond on overflow.
      ms = this.lastMs;
      this.counter++;
      if (this.counter > 0xfff) {
        ms++;
        this.counter = 0;
      }
    } else {
      // A random start in the lowest quarter leaves room to count up without overflowing.
      this.counter = (pool[at + 4] as number) & 0x3ff;
    }
    this.lastMs = ms;
    const high = Math.floor(ms / 0x10000);
    const a = (high >>> 24) & 0xff;
    const b = (high >>> 16) & 0xff;
    const c = (high >>> 8) & 0xff;
    const d = high & 0xff;
    const e = (ms >>> 8) & 0xff;
    const f = ms & 0xff;
    const v = 0x70 | (this.counter >>> 8);
    const w = this.counter & 0xff;
    const variant = pool[at + 3] as number;
    const x = 0x80 | ((variant >>> 8) & 0x3f);
    const p1 = variant & 0xff;
    const n0 = pool[at] as number;
    const n1 = pool[at + 1] as number;
    const n2 = pool[at + 2] as number;
    const p2 = n0 >>> 8;
    const p3 = n0 & 0xff;
    const p4 = n1 >>> 8;
    const p5 = n1 & 0xff;
    const p6 = n2 >>> 8;
    const p7 = n2 & 0xff;
    // One flat string from character codes: concatenating two-digit pieces made a tree of about a dozen
    // string objects per id, all garbage once the event's JSON was flattened.
    return String.fromCharCode(
      HIGH[a]!,
      LOW[a]!,
      HIGH[b]!,
      LOW[b]!,
      HIGH[c]!,
      LOW[c]!,
      HIGH[d]!,
      LOW[d]!,
      DASH,
      HIGH[e]!,
      LOW[e]!,
      HIGH[f]!,
      LOW[f]!,
      DASH,
      HIGH[v]!,
      LOW[v]!,
      HIGH[w]!,
      LOW[w]!,
      DASH,
      HIGH[x]!,
      LOW[x]!,
      HIGH[p1]!,
      LOW[p1]!,
      DASH,
      HIGH[p2]!,
      LOW[p2]!,
      HIGH[p3]!,
      LOW[p3]!,
      HIGH[p4]!,
      LOW[p4]!,
      HIGH[p5]!,
      LOW[p5]!,
      HIGH[p6]!,
      LOW[p6]!,
      HIGH[p7]!,
      LOW[p7]!,
    );
  }
}

/** The generator behind {@link uuidv7}, made at its first call. */
let shared: UuidV7Generator | undefined;

/**
 * A new UUIDv7 string, from the runtime's WebCrypto randomness: the helper posthog-node exports under the same
 * name, for callers that set an event's `uuid` themselves.
 */
export function uuidv7(): string {
  shared ??= new UuidV7Generator((bytes) => globalThis.crypto.getRandomValues(bytes));
  return shared.next(Date.now());
}
