/**
 * `JSON.stringify(s)` for a string, without the call when nothing needs escaping (no control character, quote,
 * backslash or surrogate: ids and names almost never have one).
 */
export function jsonString(s: string): string {
  return needsEscaping(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** Whether `s` has a character JSON escapes (control, quote, backslash) or a surrogate (escaped when lone). */
export function needsEscaping(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
