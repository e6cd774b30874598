import { describe, expect, it } from 'vitest';
import { coerceThrowable } from '../../src/exceptions/coerce.js';
import { summariseKeys } from '../../src/exceptions/describe-value.js';

class NotFound extends Error {}
class Named extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamedError';
  }
}

describe('coerceThrowable', () => {
  it.each<[string, unknown, string, string, boolean]>([
    ['Error', new Error('m'), 'Error', 'm', false],
    ['TypeError', new TypeError('t'), 'TypeError', 't', false],
    ['subclass without a name', new NotFound('nf'), 'NotFound', 'nf', false],
    ['subclass with a name', new Named('n'), 'NamedError', 'n', false],
    ['empty message', new Error(), 'Error', '', false],
    ['DOMException', new DOMException('aborted', 'AbortError'), 'AbortError', 'aborted', false],
    ['string', 'hello', 'Error', 'hello', true],
    ['typed string', 'TypeError: bad thing', 'TypeError', 'bad thing', true],
    ['Uncaught string', 'Uncaught RangeError: r', 'RangeError', 'r', true],
    ['Uncaught exception string', 'Uncaught exception: SyntaxError: s', 'SyntaxError', 's', true],
    ['Uncaught plain string', 'Uncaught oops', 'Error', 'oops', true],
    ['not an error name', 'Note: hi', 'Error', 'Note: hi', true],
    ['multi-line string', 'Error: line1\nline2', 'Error', 'line1\nline2', true],
    ['empty string', '', 'Error', '', true],
    [
      'object with name and message',
      { name: 'Foo', message: 'bar' },
      'Foo',
      "'Foo' captured as exception with message: 'bar'",
      true,
    ],
    ['object with message', { message: 'bar', code: 3 }, 'Error', 'bar', true],
    ['object with name', { name: 'Foo', x: 1 }, 'Foo', "'Foo' captured as exception", true],
    [
      'object with keys',
      { zeta: 1, alpha: 2 },
      'Error',
      'Object captured as exception with keys: alpha, zeta',
      true,
    ],
    ['empty object', {}, 'Error', 'Object captured as exception with keys: [object has no keys]', true],
    [
      'null-prototype object',
      Object.assign(Object.create(null) as object, { b: 1 }),
      'Error',
      'Object captured as exception with keys: b',
      true,
    ],
    [
      'class instance',
      new (class Thing {
        x = 1;
      })(),
      'Error',
      "'Thing' captured as exception with keys: x",
      true,
    ],
    ['array', [1, 2], 'Error', "'Array' captured as exception with keys: 0, 1", true],
    [
      'Event',
      new Event('boom'),
      'Event',
      'Event captured as exception with keys: [object has no keys]',
      true,
    ],
    ['null', null, 'Error', 'Primitive value captured as exception: null', true],
    ['undefined', undefined, 'Error', 'Primitive value captured as exception: undefined', true],
    ['number', 42, 'Error', 'Primitive value captured as exception: 42', true],
    ['NaN', Number.NaN, 'Error', 'Primitive value captured as exception: NaN', true],
    ['boolean', false, 'Error', 'Primitive value captured as exception: false', true],
    ['bigint', 10n, 'Error', 'Primitive value captured as exception: 10', true],
    ['symbol', Symbol('s'), 'Error', 'Primitive value captured as exception: Symbol(s)', true],
    ['named function', function handler() {}, 'Error', 'Function captured as exception: handler', true],
  ])('%s', (_label, thrown, type, value, synthetic) => {
    const coerced = coerceThrowable(thrown);
    expect({ type: coerced.type, value: coerced.value, synthetic: coerced.synthetic }).toEqual({
      type,
      value,
      synthetic,
    });
  });

  it('reads a nested `message.error.message`', () => {
    const error = Object.assign(new Error('x'), { message: { error: { message: 'inner' } } });
    expect(coerceThrowable(error).value).toBe('inner');
  });

  it('reports an Error held by an object property as that Error', () => {
    const inner = new TypeError('wrapped');
    const coerced = coerceThrowable({ requestId: 7, err: inner });
    expect(coerced).toMatchObject({ type: 'TypeError', value: 'wrapped', synthetic: false, identity: inner });
    expect(coerced.stack).toBe(inner.stack);
  });

  it('treats a cross-realm Error (toString tag) as an Error', () => {
    const foreign = {
      name: 'RangeError',
      message: 'far',
      stack: 'RangeError: far',
      [Symbol.toStringTag]: 'Error',
    };
    expect(coerceThrowable(foreign)).toMatchObject({ type: 'RangeError', value: 'far', synthetic: false });
  });

  it('keeps the stack of an error serialised to a plain object', () => {
    const coerced = coerceThrowable({ name: 'X', message: 'y', stack: 'X: y\n    at f (/a.js:1:1)' });
    expect(coerced.stack).toContain('at f');
    expect(coerced.synthetic).toBe(true);
  });

  it('exposes cause and AggregateError members', () => {
    const cause = new Error('c');
    expect(coerceThrowable(new Error('x', { cause })).cause).toEqual({ value: cause });
    expect(coerceThrowable(new Error('x')).cause).toBeUndefined();
    expect(coerceThrowable(new AggregateError([1, 2], 'agg')).members).toEqual([1, 2]);
  });

  it('reads a falsy cause as none, and keeps type and message when the stack getter throws', () => {
    for (const cause of [null, false, 0, ''])
      expect(coerceThrowable(new Error('x', { cause })).cause).toBeUndefined();
    const error = new TypeError('kept');
    Object.defineProperty(error, 'stack', {
      get() {
        throw new Error('no stack for you');
      },
    });
    expect(coerceThrowable(error)).toMatchObject({ type: 'TypeError', value: 'kept', synthetic: false });
    expect(coerceThrowable(error).stack).toBeUndefined();
  });

  it('falls back to "Unknown error" when reading the value throws', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no');
        },
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(coerceThrowable(hostile)).toEqual({ type: 'Error', value: 'Unknown error', synthetic: true });
  });
});

describe('summariseKeys', () => {
  it('fits as many sorted keys as the budget allows', () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, i]));
    expect(summariseKeys(many)).toBe('key0, key1, key10, key11, key12, key13');
    expect(summariseKeys({ alpha: 1, beta: 1, delta: 1, epsilon: 1, gamma: 1, zeta: 1 })).toBe(
      'alpha, beta, delta, epsilon, gamma, zeta',
    );
  });

  it('cuts a first key longer than the budget instead of returning nothing', () => {
    expect(summariseKeys({ [`${'a'.repeat(50)}`]: 1, b: 2 })).toBe(`${'a'.repeat(40)}...`);
  });
});
