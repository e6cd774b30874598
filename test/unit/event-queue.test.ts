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
});
