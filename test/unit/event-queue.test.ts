import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/queue/event-queue.js';

describe('EventQueue', () => {
  it('cuts batches by count and by bytes, always taking at least one event', () => {
    const queue = new EventQueue();
    for (let i = 0; i < 10; i++) queue.push(`e${i}`, 10);
    expect(queue.take(3, 1000)).toEqual(['e0', 'e1', 'e2']);
    expect(queue.take(100, 25)).toEqual(['e3', 'e4']);
    expect(queue.take(100, 5)).toEqual(['e5']);
    expect(queue.length).toBe(4);
    expect(queue.bytes).toBe(40);
  });

  it('numbers events so flush can tell old from new', () => {
    const queue = new EventQueue();
    queue.push('a', 1);
    queue.push('b', 1);
    expect([queue.headSeq, queue.tailSeq]).toEqual([0, 2]);
    queue.take(1, 10);
    queue.dropOldest();
    queue.push('c', 1);
    expect([queue.headSeq, queue.tailSeq]).toEqual([2, 3]);
    expect(queue.clear()).toBe(1);
    expect([queue.length, queue.bytes, queue.headSeq]).toEqual([0, 0, 3]);
  });

  it('stays O(1) per event for long queues (compaction keeps order)', () => {
    const queue = new EventQueue();
    for (let i = 0; i < 50_000; i++) queue.push(String(i), 1);
    const seen: string[] = [];
    while (queue.length > 0) seen.push(...queue.take(7, 1000));
    expect(seen.length).toBe(50_000);
    expect(seen[12_345]).toBe('12345');
  });

  it('keeps order across segments after emptying itself in place, by draining or by clear()', () => {
    const queue = new EventQueue();
    const fill = (from: number, n: number) => {
      for (let i = from; i < from + n; i++) queue.push(`e${i}`, 1);
    };
    const drain = () => {
      const out: string[] = [];
      while (queue.length > 0) out.push(...queue.take(100, 1_000_000));
      return out;
    };
    fill(0, 2500); // three segments
    expect(drain()).toEqual(Array.from({ length: 2500 }, (_, i) => `e${i}`));
    expect([queue.segmentCount, queue.headSeq]).toEqual([0, 2500]);
    fill(2500, 1500);
    expect(queue.segmentCount).toBe(2);
    expect(queue.take(1, 10)).toEqual(['e2500']);
    expect(queue.clear()).toBe(1499);
    expect(queue.segmentCount).toBe(0);
    fill(4000, 1100);
    expect([queue.segmentCount, queue.headSeq, queue.tailSeq]).toEqual([2, 4000, 5100]);
    expect(drain()).toEqual(Array.from({ length: 1100 }, (_, i) => `e${4000 + i}`));
  });
});
