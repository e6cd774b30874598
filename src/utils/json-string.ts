/** Event names seen recently, with their JSON text: a service sends the same few names over and over. */
const names = new Map<string, string>();
const MAX_NAMES = 1024;

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

/** {@link jsonString} of an event name, remembered for the next event of the same name. */
export function jsonEventName(name: string): string {
  let json = names.get(name);
  if (json === undefined) {
    json = JSON.stringify(name);
    // A service with unbounded event names (a bug, usually) must not grow this map without limit.
    if (names.size >= MAX_NAMES) names.clear();
    names.set(name, json);
  }
  return json;
}
