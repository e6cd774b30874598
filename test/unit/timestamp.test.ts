import { describe, expect, it } from 'vitest';
import { isoFromMs, toUtcIso } from '../../src/utils/timestamp.js';

describe('toUtcIso', () => {
  it.each([
    ['2025-01-02T08:34:05+05:30', '2025-01-02T03:04:05.000Z'],
    ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05.000Z'],
    ['2025-01-02T03:04:05.123456-02:00', '2025-01-02T05:04:05.123456Z'],
    ['2025-01-02T03:04:05.1+0100', '2025-01-02T02:04:05.100Z'],
    ['2025-01-02 03:04:05', '2025-01-02T03:04:05.000Z'],
    ['2025-01-02', '2025-01-02T00:00:00.000Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000Z'],
  ])('converts the string %s to %s', (input, expected) => {
    expect(toUtcIso(input)).toBe(expected);
  });

  it.each([['not a date'], ['2025-02-30T00:00:00Z'], ['2025-13-01'], [''], ['2025-01-02T25:00:00Z']])(
    'refuses %j',
    (input) => {
      expect(toUtcIso(input)).toBeUndefined();
    },
  );

  it('converts Dates and epoch milliseconds, refusing invalid ones', () => {
    expect(toUtcIso(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('2025-01-02T03:04:05.000Z');
    expect(toUtcIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toUtcIso(new Date(Number.NaN))).toBeUndefined();
    expect(toUtcIso(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('formats the clock once per millisecond', () => {
    expect(isoFromMs(1_700_000_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(isoFromMs(1_700_000_000_000)).toBe(isoFromMs(1_700_000_000_000));
  });
});
