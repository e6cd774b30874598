/**
 * Synchronous SHA-1 for flag bucketing.
 *
 * Bucketing needs one digest per rollout or variant check, on inputs of a few dozen bytes. WebCrypto is async
 * and node:crypto is not available on every runtime, so this is a small pure implementation tuned for short
 * inputs: the UTF-8 bytes are written straight into a reused block buffer, the compression is unrolled (see
 * sha1-compress.ts), and the bucketing inputs `key.id` are packed from their parts without concatenating them,
 * so a digest allocates nothing. SHA-1 is used here for its distribution, not for security.
 */

import { compress } from './sha1-compress.js';

/** Reused message buffer; grows (rarely) for long inputs and is never shrunk. */
let bytes = new Uint8Array(256);
/** The 16 words of the block being compressed. */
const schedule = new Int32Array(16);
/** The five digest words of the most recent call. Read them before the next call. */
const digestWords = new Int32Array(5);

function ensureCapacity(needed: number): void {
  if (needed <= bytes.length) return;
  let size = bytes.length;
  while (size < needed) size *= 2;
  bytes = new Uint8Array(size);
}

/** Writes `input` as UTF-8 into `bytes` and returns the byte length. Lone surrogates become U+FFFD, as TextEncoder does. */
function encodeUtf8(input: string): number {
  // Worst case is 3 bytes per UTF-16 unit, plus 72 bytes of padding and length.
  ensureCapacity(input.length * 3 + 72);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    let c = input.charCodeAt(i);
    if (c < 0x80) {
      bytes[n++] = c;
    } else if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
      bytes[n++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < input.length ? input.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          bytes[n++] = 0xf0 | (c >> 18);
          bytes[n++] = 0x80 | ((c >> 12) & 63);
          bytes[n++] = 0x80 | ((c >> 6) & 63);
          bytes[n++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      bytes[n++] = 0xe0 | (c >> 12);
      bytes[n++] = 0x80 | ((c >> 6) & 63);
      bytes[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}

/**
 * Computes SHA-1 of the UTF-8 encoding of `input` and returns the shared array holding the five big-endian
 * digest words (as signed 32-bit integers). The array is overwritten by the next call, so copy what you keep.
 */
export function sha1Words(input: string): Int32Array {
  return sha1Parts(input, '', '', '');
}

/**
 * {@link sha1Words} of `a + b + c + d`, without building that string when the parts fit one block as ASCII
 * (every bucketing input `key + "." + id + salt` of ordinary keys and ids).
 */
export function sha1Parts(a: string, b: string, c: string, d: string): Int32Array {
  const h = digestWords;
  h[0] = 0x67452301;
  h[1] = 0xefcdab89 | 0;
  h[2] = 0x98badcfe | 0;
  h[3] = 0x10325476;
  h[4] = 0xc3d2e1f0 | 0;
  const n = a.length + b.length + c.length + d.length;
  if (n <= 55) {
    const w = schedule;
    w.fill(0);
    const ab = a.length + b.length;
    if (packAscii(a, 0) && packAscii(b, a.length) && packAscii(c, ab) && packAscii(d, ab + c.length)) {
      w[n >> 2] = (w[n >> 2] as number) | (0x80 << ((3 - (n & 3)) << 3));
      w[15] = n * 8;
      compress(w, h);
      return h;
    }
  }
  return digestBytes(a + b + c + d);
}

function digestBytes(input: string): Int32Array {
  const w = schedule;
  const h = digestWords;
  const len = encodeUtf8(input);
  // Padding: 0x80, zeros, then the 64-bit bit length; total a multiple of 64 bytes.
  const total = (((len + 8) >> 6) + 1) << 6;
  bytes[len] = 0x80;
  bytes.fill(0, len + 1, total - 4);
  const bitLen = len * 8;
  bytes[total - 4] = bitLen >>> 24;
  bytes[total - 3] = (bitLen >>> 16) & 255;
  bytes[total - 2] = (bitLen >>> 8) & 255;
  bytes[total - 1] = bitLen & 255;
  // Inputs beyond 512 MiB would need the high length word; flag keys and ids never get near that.
  const b = bytes;
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) {
      const j = off + i * 4;
      w[i] =
        ((b[j] as number) << 24) |
        ((b[j + 1] as number) << 16) |
        ((b[j + 2] as number) << 8) |
        (b[j + 3] as number);
    }
    compress(w, h);
  }
  return h;
}

/**
 * ORs the characters of `s` into the block's words from byte `at`; false at the first non-ASCII character
 * (the caller then falls back to UTF-8 encoding).
 */
function packAscii(s: string, at: number): boolean {
  const w = schedule;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 0x80) return false;
    const p = at + i;
    w[p >> 2] = (w[p >> 2] as number) | (ch << ((3 - (p & 3)) << 3));
  }
  return true;
}

/** SHA-1 of the UTF-8 encoding of `input` as 40 lowercase hex digits. For tests and diagnostics, not the hot path. */
export function sha1Hex(input: string): string {
  const words = sha1Words(input);
  let out = '';
  for (let i = 0; i < 5; i++) out += ((words[i] as number) >>> 0).toString(16).padStart(8, '0');
  return out;
}
