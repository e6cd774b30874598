import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyStatus, parseRetryAfter } from '../../src/transport/retry-policy.js';

describe('classifyStatus', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [413, 'split'],
    [400, 'reject'],
    [401, 'reject'],
    [402, 'reject'],
    [403, 'reject'],
    [404, 'reject'],
    [415, 'reject'],
  ])('%i -> %s', (status, expected) => {
    expect(classifyStatus(status)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 0, 0, 0);
  it.each([
    ['3', 3000],
    ['0', 0],
    [' 1.5 ', 1500],
    ['Wed, 01 Jan 2025 00:00:10 GMT', 10_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%j -> %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with equal jitter, so waits never shrink from one retry to the next', () => {
    for (const random of [0, 0.5, 0.999]) {
      const waits = [1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, 500, 10_000, undefined, () => random));
      expect(waits[0]).toBeGreaterThanOrEqual(250);
      for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThanOrEqual(waits[i - 1]!);
    }
    expect(backoffDelay(1, 500, 10_000, undefined, () => 0)).toBe(250);
    expect(backoffDelay(3, 500, 10_000, undefined, () => 1)).toBe(2000);
  });

  it('honours Retry-After as a lower bound and caps everything', () => {
    expect(backoffDelay(1, 500, 10_000, 3000, () => 0)).toBe(3000);
    expect(backoffDelay(1, 500, 10_000, 60_000, () => 0)).toBe(10_000);
    expect(backoffDelay(30, 500, 10_000, undefined, () => 1)).toBe(10_000);
  });
});
