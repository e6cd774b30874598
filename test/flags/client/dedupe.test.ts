import { describe, expect, it } from 'vitest';
import { dedupeKey, FlagCalledDedupe, MAX_KEYS_PER_ID } from '../../../src/flags/client/dedupe.js';

describe('FlagCalledDedupe', () => {
  it('reports a (distinct id, key) pair once, and again after forget()', () => {
    const d = new FlagCalledDedupe(10);
    expect(d.firstTime('u1', 'f_true')).toBe(true);
    expect(d.firstTime('u1', 'f_true')).toBe(false);
    expect(d.firstTime('u1', 'f_false')).toBe(true);
    expect(d.firstTime('u2', 'f_true')).toBe(true);
    d.forget('u1', 'f_true');
    expect(d.firstTime('u1', 'f_true')).toBe(true);
  });

  it('never holds more than maxIds ids, and keeps the ids used within the last maxIds / 2', () => {
    for (const max of [1, 2, 3, 10, 101]) {
      const d = new FlagCalledDedupe(max);
      const recent: string[] = [];
      for (let i = 0; i < 1000; i++) {
        // A hot id read every third call, among a stream of new ids.
        const id = i % 3 === 0 ? 'hot' : `id-${i}`;
        d.firstTime(id, 'k');
        recent.push(id);
        expect(d.size).toBeLessThanOrEqual(max);
      }
      const window = [...new Set(recent.reverse())].slice(0, Math.floor(max / 2));
      for (const id of window) expect(d.firstTime(id, 'k'), `${id} with max ${max}`).toBe(false);
    }
  });

  it('bounds the keys of one busy id, which never ages out', () => {
    const d = new FlagCalledDedupe(10);
    const keysHeld = (d as unknown as { young: Map<string, Set<string>> }).young;
    for (let i = 0; i < 10 * MAX_KEYS_PER_ID; i++) {
      expect(d.firstTime('billing-worker', `on_true_company=${i}`)).toBe(true);
      expect(keysHeld.get('billing-worker')?.size).toBeLessThanOrEqual(MAX_KEYS_PER_ID);
    }
    // A recent key is still remembered after the set started over.
    expect(d.firstTime('billing-worker', `on_true_company=${10 * MAX_KEYS_PER_ID - 1}`)).toBe(false);
  });

  it('a frequently read id survives churn when the bound allows it', () => {
    const d = new FlagCalledDedupe(100);
    d.firstTime('hot', 'k');
    for (let i = 0; i < 10_000; i++) {
      d.firstTime(`cold-${i}`, 'k');
      if (i % 10 === 0) expect(d.firstTime('hot', 'k')).toBe(false);
    }
  });
});

describe('dedupeKey', () => {
  it('is flag and value, plus sorted groups', () => {
    expect(dedupeKey('f', 'test', undefined)).toBe('f_test');
    expect(dedupeKey('f', true, { b: 2, a: 'x' })).toBe('f_true_a=x_b=2');
  });
});
