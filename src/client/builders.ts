/**
 * Chainable property map, the Go SDK's `NewProperties().Set(...)`:
 * `new Properties().set('plan', 'pro').set('seats', 3)`. Plain objects are accepted everywhere too.
 */
export class Properties {
  /** The properties set so far. Keys such as `set` or `__proto__` are stored as plain data. */
  readonly values: Record<string, unknown> = Object.create(null);

  /** Sets `key` to `value` and returns the builder. */
  set(key: string, value: unknown): this {
    Object.defineProperty(this.values, key, { value, enumerable: true, writable: true, configurable: true });
    return this;
  }

  /** Copies every property of `other` (later wins) and returns the builder. */
  merge(other: Properties | Readonly<Record<string, unknown>> | undefined): this {
    if (other) for (const [key, value] of Object.entries(toRecord(other))) this.set(key, value);
    return this;
  }
}

/** Chainable group map, the Go SDK's `NewGroups().Set(type, key)`. */
export class Groups {
  /** The groups set so far, `{ groupType: groupKey }`. */
  readonly values: Record<string, string | number> = Object.create(null);

  /** Puts the event in group `key` of type `type` and returns the builder. */
  set(type: string, key: string | number): this {
    Object.defineProperty(this.values, type, {
      value: key,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return this;
  }
}

/** The plain record behind a builder or plain object. */
export function toRecord<T>(
  input: { values: Record<string, T> } | Readonly<Record<string, T>>,
): Record<string, T> {
  return input instanceof Properties || input instanceof Groups
    ? (input.values as Record<string, T>)
    : (input as Record<string, T>);
}
