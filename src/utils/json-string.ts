/**
 * `JSON.stringify(s)` for a string, without the call when nothing needs escaping (no control character, quote,
 * backslash or surrogate: ids and names almost never have one).
 */
export function jsonString(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** A character JSON escapes (control, quote, backslash) or a UTF-16 surrogate, matched one code unit at a time. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
export const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * Whether `s` has a character JSON escapes (control, quote, backslash) or a surrogate (escaped when lone).
 * A regular expression rather than a `charCodeAt` loop: V8 compiles it to machine code at its first use, where
 * the loop runs interpreted until the optimising compiler reaches it, a few thousand events into a fresh
 * process. Once both are compiled they cost the same per event (`npm run bench`, section 1).
 */
export function needsEscaping(s: string): boolean {
  return ESCAPED.test(s);
}
