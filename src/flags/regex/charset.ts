/**
 * 128-bit character sets over ASCII. Matching only ever runs on ASCII input (anything else is left to the
 * server), so a set is four 32-bit words and membership is one shift.
 */

/** A mutable ASCII set: four 32-bit words, bit `c` set when code unit `c` (< 128) is a member. */
export type CharSet = Int32Array;

/** A new empty set. */
export function emptySet(): CharSet {
  return new Int32Array(4);
}

/** Adds the code units `lo..hi` (inclusive), ignoring the part above ASCII, which input can never contain. */
export function addRange(set: CharSet, lo: number, hi: number): void {
  const top = Math.min(hi, 127);
  for (let c = lo; c <= top; c++) set[c >> 5] = (set[c >> 5] as number) | (1 << (c & 31));
}

/** Adds every member of `other` to `set`. */
export function addSet(set: CharSet, other: CharSet): void {
  for (let i = 0; i < 4; i++) set[i] = (set[i] as number) | (other[i] as number);
}

/** Flips membership of every ASCII code unit. */
export function negateSet(set: CharSet): void {
  for (let i = 0; i < 4; i++) set[i] = ~(set[i] as number);
}

/** Whether code unit `c` is in `set`. */
export function hasChar(set: CharSet, c: number): boolean {
  return c < 128 && (((set[c >> 5] as number) >>> (c & 31)) & 1) === 1;
}

/** The set for a class escape letter (`d D s S w W`), using the ASCII part of JS and Rust semantics (they agree there). */
export function classEscapeSet(letter: string): CharSet {
  const set = emptySet();
  switch (letter.toLowerCase()) {
    case 'd':
      addRange(set, 0x30, 0x39);
      break;
    case 'w':
      addRange(set, 0x30, 0x39);
      addRange(set, 0x41, 0x5a);
      addRange(set, 0x61, 0x7a);
      addRange(set, 0x5f, 0x5f);
      break;
    default:
      // \s: tab, line feed, vertical tab, form feed, carriage return and space.
      addRange(set, 0x09, 0x0d);
      addRange(set, 0x20, 0x20);
  }
  if (letter !== letter.toLowerCase()) negateSet(set);
  return set;
}

/** `.` without the `s` flag: everything but line terminators (only `\n` and `\r` exist in ASCII). */
export function dotSet(): CharSet {
  const set = emptySet();
  addRange(set, 0, 127);
  set[0] = (set[0] as number) & ~((1 << 10) | (1 << 13));
  return set;
}
