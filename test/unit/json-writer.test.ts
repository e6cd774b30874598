import { describe, expect, it } from 'vitest';
import { writeProperties } from '../../src/utils/json-writer.js';

/** A small seeded generator (mulberry32), so every run checks the same values. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '',
  'pro',
  'a"b',
  'back\\slash',
  'line\nbreak',
  'nul\u0000',
  'é ✓',
  '😀',
  'lone \ud800',
  '\u2028',
];
const NUMBERS = [
  0,
  -0,
  1,
  -17,
  129.99,
  1e21,
  1e-7,
  2 ** 53,
  Number.MAX_VALUE,
  Number.NaN,
  Infinity,
  -Infinity,
];
const KEYS = ['plan', 'seats', '$set', 'a"b', '', '0', '17', 'é', 'line\nkey', 'toString'];

/** A random value JSON.stringify already writes as the normalisation rules say. */
function plainValue(next: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const kind = Math.floor(next() * (depth > 4 ? 6 : 9));
  switch (kind) {
    case 0:
      return pick(STRINGS);
    case 1:
      return pick(NUMBERS);
    case 2:
      return next() < 0.5;
    case 3:
      return null;
    case 4:
      return pick([undefined, () => 1, Symbol('s')]);
    case 5:
      return new Date(next() < 0.1 ? Number.NaN : Math.floor(next() * 2e12));
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => plainValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = next() < 0.1 ? Object.create(null) : {};
      for (let i = Math.floor(next() * 5); i > 0; i--) object[pick(KEYS)] = plainValue(next, depth + 1);
      return object;
    }
  }
}

describe('writeProperties', () => {
  it('writes exactly what JSON.stringify writes, for 20,000 random plain values', () => {
    const next = random(20261128);
    for (let i = 0; i < 20_000; i++) {
      const properties: Record<string, unknown> = {};
      for (let k = Math.floor(next() * 6); k > 0; k--) properties[`p${k}`] = plainValue(next, 1);
      expect(writeProperties(properties)).toBe(JSON.stringify(properties));
    }
  });

  it('closes the object with the tail given, which may add members', () => {
    expect(writeProperties({}, ',"$lib":"x"}')).toBe('{"$lib":"x"}');
    expect(writeProperties({ a: 1, b: undefined }, ',"$lib":"x"}')).toBe('{"a":1,"$lib":"x"}');
    expect(writeProperties({ b: undefined })).toBe('{}');
    expect(writeProperties({ a: { b: {} } }, ',"c":2}')).toBe('{"a":{"b":{}},"c":2}');
  });

  it('leaves the value to the normalising path when JSON alone would not follow the rules', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) deep = { deep };
    const cases: unknown[] = [
      { big: 1n },
      { map: new Map([['a', 1]]) },
      { set: new Set([1]) },
      { error: new Error('x') },
      { list: [new Map()] },
      {
        instance: new (class Point {
          x = 1;
        })(),
      },
      { custom: { toJSON: () => 'x' } },
      { toJSON: () => ({ a: 1 }) },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      {
        get hostile(): never {
          throw new Error('no');
        },
      },
      circular,
      deep,
      [1, 2],
      'text',
      null,
      new Map(),
    ];
    for (const value of cases) expect(writeProperties(value)).toBeUndefined();
  });

  it('does not write enumerable members inherited from a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = true;
    try {
      expect(writeProperties({ a: 1 })).toBeUndefined();
    } finally {
      delete proto.polluted;
    }
    expect(writeProperties({ a: 1 })).toBe('{"a":1}');
  });

  it('never throws, whatever the object does when it is read', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const cases: unknown[] = [
      Object.defineProperty({}, 'toJSON', { get: throwing, enumerable: false }),
      new Proxy({ a: 1 }, { get: throwing }),
      new Proxy({ a: 1 }, { getPrototypeOf: throwing }),
      new Proxy({ a: 1 }, { ownKeys: throwing }),
      { nested: new Proxy({}, { get: throwing }) },
    ];
    for (const value of cases) expect(() => writeProperties(value)).not.toThrow();
    for (const value of cases) expect(writeProperties(value)).toBeUndefined();
  });

  it('reads an array length once, as JSON.stringify does, when a getter changes the array', () => {
    const shrinking: unknown[] = [];
    shrinking.push(
      {
        get x() {
          shrinking.length = 0;
          return 1;
        },
      },
      5,
    );
    const expected = JSON.stringify({ arr: shrinking }); // runs the getter: rebuild the array afterwards
    shrinking.length = 0;
    shrinking.push(
      {
        get x() {
          shrinking.length = 0;
          return 1;
        },
      },
      5,
    );
    expect(writeProperties({ arr: shrinking })).toBe(expected);

    const growing: unknown[] = [];
    const grower = () => ({
      get x() {
        growing.push(grower());
        return 1;
      },
    });
    growing.push(grower());
    expect(writeProperties({ arr: growing })).toBe('{"arr":[{"x":1}]}');
  });

  it('leaves the value to the normalising path when a getter pollutes Object.prototype while it is written', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      const value = {
        get a() {
          proto.evil = 1;
          return 1;
        },
        b: { c: 1 },
      };
      expect(writeProperties(value)).toBeUndefined();
    } finally {
      delete proto.evil;
    }
  });

  it('leaves a Date whose toJSON is not Date.prototype.toJSON to the normalising path', () => {
    class KeyedDate extends Date {
      override toJSON(key?: string): string {
        return `at ${key}`;
      }
    }
    expect(writeProperties({ when: new KeyedDate(0) })).toBeUndefined();
    class PlainDate extends Date {}
    expect(writeProperties({ when: new PlainDate(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
  });

  it('keeps writing correct names after its name cache is cleared', () => {
    for (let round = 0; round < 3; round++) {
      const value: Record<string, number> = {};
      for (let i = 0; i < 5000; i++) value[`k${round}_${i}`] = i;
      expect(writeProperties(value)).toBe(JSON.stringify(value));
    }
    expect(writeProperties({ plan: 'pro', seats: 3 })).toBe('{"plan":"pro","seats":3}');
  });
});
