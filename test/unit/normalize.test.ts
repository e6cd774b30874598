import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/utils/normalize.js';

describe('normalize', () => {
  it('applies the documented rules', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const input = {
      big: 12345678901234567890n,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      date: new Date(Date.UTC(2025, 0, 1)),
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, 'b'],
      ]),
      set: new Set([1, 2]),
      error: new TypeError('boom'),
      fn: () => 1,
      undef: undefined,
      list: [undefined, () => 1, 1n],
      circular,
      withToJson: { toJSON: () => ({ converted: true }) },
      boxed: [new String('ab'), new Number(5), new Number(Number.NaN), new Boolean(false), Object(7n)],
    };
    expect(normalize(input)).toEqual({
      big: '12345678901234567890',
      nan: null,
      inf: null,
      date: '2025-01-01T00:00:00.000Z',
      map: { a: 1, '2': 'b' },
      set: [1, 2],
      error: { name: 'TypeError', message: 'boom' },
      list: [null, null, '1'],
      circular: { name: 'loop', self: '[Circular]' },
      withToJson: { converted: true },
      boxed: ['ab', 5, null, false, '7'],
    });
  });

  it('drops __proto__ keys so nothing reaches a prototype', () => {
    const out = normalize(JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')) as Record<
      string,
      unknown
    >;
    expect(out).toEqual({ ok: 1 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('truncates very deep nesting and survives throwing getters', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 200; i++) deep = { child: deep };
    expect(JSON.stringify(normalize(deep))).toContain('[Truncated]');
    const hostile = Object.defineProperty({}, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(normalize({ hostile })).toEqual({ hostile: '[Unserializable]' });
  });

  it('keeps repeated (non-circular) references', () => {
    const shared = { x: 1 };
    expect(normalize({ a: shared, b: shared, c: 1n })).toEqual({ a: { x: 1 }, b: { x: 1 }, c: '1' });
  });
});
