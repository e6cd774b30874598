/**
 * `String(value)` that cannot throw. Thrown values and rejection reasons come from application code and custom
 * transports: an object without a prototype, or one whose `toString` throws, would otherwise turn the SDK's own
 * error handling into a second, unhandled error.
 */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[unprintable value]';
    }
  }
}

/** An Error for any thrown value: itself when it is one, else one whose message describes it. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(safeString(value));
}

/** The message of any thrown value. */
export function messageOf(value: unknown): string {
  return value instanceof Error ? safeString(value.message) : safeString(value);
}
