import { sha1Parts } from './sha1.js';

/**
 * A bucketing hash: maps an input string to a fraction in [0, 1] taken from the first 60 bits of a digest.
 * The default is the pure-JS SHA-1 below; a platform may plug in node:crypto, as long as it returns exactly
 * `parseInt(sha1hex(input).slice(0, 15), 16) / 0xfffffffffffffff`.
 */
export type HashFn = (input: string) => number;

const TWO_POW_28 = 0x10000000;
/**
 * 0xfffffffffffffff rounds to exactly 2^60 as a double; every PostHog SDK divides by that rounded value, so it
 * must be written the same way to reproduce their buckets.
 */
// biome-ignore lint/correctness/noPrecisionLoss: the rounding is the point, see above.
const LONG_SCALE = 0xfffffffffffffff;

/**
 * The first 15 hex digits (60 bits) of SHA-1(`input`) as a fraction of 0xfffffffffffffff.
 *
 * The 60-bit integer is `word0 * 2^28 + (word1 >>> 4)`. The first product is exact (32 significant bits) and the
 * single addition rounds once to nearest-even, which is exactly how `parseInt(hex, 16)` rounds, so the double
 * matches the reference SDKs bit for bit.
 */
export const sha1Fraction: HashFn = (input) => sha1PartsFraction(input, '', '', '');

/** {@link sha1Fraction} of `a + b + c + d`, without building the string on the common one-block ASCII path. */
export function sha1PartsFraction(a: string, b: string, c: string, d: string): number {
  const words = sha1Parts(a, b, c, d);
  return (((words[0] as number) >>> 0) * TWO_POW_28 + ((words[1] as number) >>> 4)) / LONG_SCALE;
}

/**
 * The flag bucketing hash `h(key, id, salt)`: SHA-1 of `key + "." + id + salt`, as a fraction in [0, 1].
 * Rollout uses salt `""`, variant selection uses salt `"variant"`.
 */
export function bucketHash(key: string, id: string, salt = '', hash: HashFn = sha1Fraction): number {
  return hash === sha1Fraction ? sha1PartsFraction(key, '.', id, salt) : hash(key + '.' + id + salt);
}

/**
 * The holdout hash: SHA-1 of `"holdout-" + id` (a dash and no dot, unlike {@link bucketHash}; the server hashes
 * it this way, and using the dot would still look uniform while holding out a different set of people).
 */
export function holdoutHash(id: string, hash: HashFn = sha1Fraction): number {
  return hash === sha1Fraction ? sha1PartsFraction('holdout-', id, '', '') : hash('holdout-' + id);
}
