/**
 * The most items an array in an event can have. Its JSON takes at least two bytes an item (`0,`), so a longer one
 * cannot fit in the largest event PostHog accepts (8 MiB, for AI events) whatever it holds. Writing it first
 * would only find that out after building a string that size: for a sparse array of length 2³² − 1, minutes of
 * blocked event loop and then a fatal out-of-memory crash.
 */
export const MAX_ARRAY_ITEMS = 4 * 1024 * 1024;

/** The largest event any PostHog endpoint accepts (AI events, 8 MiB), in bytes of JSON. */
export const MAX_ANY_EVENT_BYTES = 2 * MAX_ARRAY_ITEMS;

/**
 * Thrown through the serialisers as soon as a value is known to make the event larger than any PostHog accepts,
 * before the rest of it is written: `minBytes` is how large it is at least.
 */
export class TooLargeToSendError extends Error {
  constructor(
    readonly minBytes: number,
    message: string,
  ) {
    super(message);
    this.name = 'TooLargeToSendError';
  }
}

/** Thrown through the serialisers for an array longer than {@link MAX_ARRAY_ITEMS}: the event is too large. */
export class ArrayTooLongError extends TooLargeToSendError {
  constructor(readonly length: number) {
    super(2 * length, `an array of ${length} items is larger than any event PostHog accepts`);
    this.name = 'ArrayTooLongError';
  }
}

/**
 * Objects and arrays one value may hold, counting every path to a shared one (JSON writes it each time it is
 * referenced). Each takes at least two bytes of JSON and a separator, so more than this is larger than the 1 MB of
 * an ordinary event. The bound is what stops a value that shares objects level after level (two references to one
 * object, thirty levels deep: 2³⁰ paths) from holding the event loop for minutes.
 */
export const MAX_VALUE_NODES = 1_000_000;

/** Throws {@link ArrayTooLongError} for a length past the limit. */
export function checkArrayLength(length: number): void {
  if (length > MAX_ARRAY_ITEMS) throw new ArrayTooLongError(length);
}
