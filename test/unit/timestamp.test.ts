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
    // RFC 3339 allows lower-case separators.
    ['2024-06-01t08:00:00z', '2024-06-01T08:00:00.000Z'],
    // What toISOString writes beyond 9999, and years below 100 (not 1900-1999).
    ['+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'],
    ['+010000-01-01T00:00:00Z', '+010000-01-01T00:00:00.000Z'],
    ['0050-03-01T00:00:00Z', '0050-03-01T00:00:00.000Z'],
    // RFC 2822 / HTTP dates, which always carry a zone.
    ['Sat, 01 Jun 2024 08:00:00 GMT', '2024-06-01T08:00:00.000Z'],
    ['1 Jun 2024 10:00 +0200', '2024-06-01T08:00:00.000Z'],
  ])('converts the string %s to %s', (input, expected) => {
    expect(toUtcIso(input)).toBe(expected);
  });

  it.each([
    ['not a date'],
    ['2025-02-30T00:00:00Z'],
    ['2025-13-01'],
    [''],
    ['2025-01-02T25:00:00Z'],
    ['+275760-09-13T00:00:00.001Z'], // past the last instant a Date holds
    ['Sat, 01 Jun 2024 08:00:00'], // no zone: the instant would depend on the server
    ['June 1, 2024'],
  ])('refuses %j', (input) => {
    expect(toUtcIso(input)).toBeUndefined();
  });

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
