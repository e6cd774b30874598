import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/queue/event-queue.js';
import { CHUNK_EVENTS, SEGMENT_EVENTS, Segment } from '../../src/queue/segment.js';

/** A deterministic event of varying length, built by concatenation as the serialisers build theirs. */
function event(i: number): string {
  const pad = 'x'.repeat((i * 7919) % 50);
  return '{"uuid":"' + i + '","name":"é' + pad + '","n":' + i + '}';
}

describe('Segment chunks', () => {
  it('hands back every event unchanged once flattened into chunks', () => {
    const seg = new Segment();
    const expected: string[] = [];
    for (let i = 0; i < CHUNK_EVENTS * 3 + 5; i++) {
      const json = event(i);
      expected.push(json);
      seg.add(json, json.length);
    }
    expect(seg.items).toEqual(expected);
    expect(seg.bytes).toBe(expected.reduce((sum, json) => sum + json.length, 0));
  });

  it('flattens only what is still queued after a partial take', () => {
    const seg = new Segment();
    for (let i = 0; i < 10; i++) seg.add(event(i), 1);
    seg.start = 7; // three events still queued
    seg.flatten();
    for (let i = 10; i < 10 + CHUNK_EVENTS; i++) seg.add(event(i), 1);
    expect(seg.items?.slice(7)).toEqual(Array.from({ length: 3 + CHUNK_EVENTS }, (_, k) => event(k + 7)));
  });

  it('round-trips through pack text and unpack with the taken prefix dropped', () => {
    const seg = new Segment();
    for (let i = 0; i < CHUNK_EVENTS + 3; i++) seg.add(event(i), 1);
    seg.start = 2;
    const text = seg.packText();
    seg.pack(new Uint8Array([1]));
    seg.unpack(text);
    seg.add(event(999), 1);
    const expected = Array.from({ length: CHUNK_EVENTS + 1 }, (_, k) => event(k + 2));
    expect(seg.items).toEqual([...expected, event(999)]);
  });

  it('keeps order and content through a queue of many segments, batches cut across chunk bounds', () => {
    const queue = new EventQueue();
    const total = SEGMENT_EVENTS * 2 + 77;
    for (let i = 0; i < total; i++) queue.push(event(i), event(i).length);
    const seen: string[] = [];
    queue.dropOldest();
    while (queue.length > 0) seen.push(...queue.take(37, 10_000));
    expect(seen).toEqual(Array.from({ length: total - 1 }, (_, k) => event(k + 1)));
  });
});
