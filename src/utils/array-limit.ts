/**
 * The most items an array in an event can have. Its JSON takes at least two bytes an item (`0,`), so a longer one
 * cannot fit in the largest event PostHog accepts (8 MiB, for AI events) whatever it holds. Writing it first
 * would only find that out after building a string that size: for a sparse array of length 2³² − 1, minutes of
 * blocked event loop and then a fatal out-of-memory crash.
 */
export const MAX_ARRAY_ITEMS = 4 * 1024 * 1024;

/** Thrown through the serialisers for an array longer than {@link MAX_ARRAY_ITEMS}: the event is too large. */
export class ArrayTooLongError extends Error {
  constructor(readonly length: number) {
    super(`an array of ${length} items is larger than any event PostHog accepts`);
    this.name = 'ArrayTooLongError';
  }
}

/** Throws {@link ArrayTooLongError} for a length past the limit. */
export function checkArrayLength(length: number): void {
  if (length > MAX_ARRAY_ITEMS) throw new ArrayTooLongError(length);
}
