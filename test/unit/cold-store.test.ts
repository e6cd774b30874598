import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  COLD_STORE_POLICY,
  ColdStore,
  type ColdStoreClock,
  type ColdStorePolicy,
  type TextPacker,
} from '../../src/queue/cold-store.js';
import { EventQueue } from '../../src/queue/event-queue.js';
import { SEGMENT_EVENTS } from '../../src/queue/segment.js';

/** A packer whose jobs complete when the test says so. */
function manualPacker() {
  const jobs: Array<() => void> = [];
  let failUnpack = false;
  const packer: TextPacker = {
    pack: (text) => new Promise((resolve) => jobs.push(() => resolve(new Uint8Array(deflateRawSync(text))))),
    unpack: (bytes) =>
      new Promise((resolve, reject) =>
        jobs.push(() =>
          failUnpack ? reject(new Error('corrupt')) : resolve(inflateRawSync(bytes).toString('utf8')),
        ),
      ),
  };
  /** Runs jobs until none has appeared for a few event-loop turns. */
  const settle = async () => {
    for (let idle = 0, i = 0; idle < 3 && i < 10_000; i++) {
      await new Promise((r) => setImmediate(r));
      const job = jobs.shift();
      if (job === undefined) idle++;
      else {
        idle = 0;
        job();
      }
    }
  };
  return { packer, jobs, settle, failNextUnpacks: () => (failUnpack = true) };
}

/** A settle of 0 starts packing at the next turn of the event loop; longer ones wait for the test to advance time. */
function testClock() {
  let ms = 0;
  const due = new Map<object, { at: number; job: () => void }>();
  const clock: ColdStoreClock = {
    now: () => ms,
    setTimer: (job, delay) => {
      if (delay === 0) return setImmediate(job);
      const handle = {};
      due.set(handle, { at: ms + delay, job });
      return handle as ReturnType<ColdStoreClock['setTimer']>;
    },
    clearTimer: (handle) => {
      if (!due.delete(handle as object)) clearImmediate(handle as NodeJS.Immediate);
    },
  };
  const advance = (by: number) => {
    ms += by;
    for (const [handle, { at, job }] of due)
      if (at <= ms) {
        due.delete(handle);
        job();
      }
  };
  return { clock, advance, pending: () => due.size };
}

function setup(threshold: number, policy: ColdStorePolicy = { settleMs: 0, horizonMs: 0 }) {
  const queue = new EventQueue();
  const time = testClock();
  const m = manualPacker();
  const lost: number[] = [];
  let ready = 0;
  const cold = new ColdStore(
    queue,
    m.packer,
    threshold,
    time.clock,
    () => ready++,
    (count) => lost.push(count),
    policy,
  );
  const push = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const json = JSON.stringify({ i, name: 'order completed', pad: 'x'.repeat(50) });
      queue.push(json, json.length);
      cold.afterPush();
    }
  };
  /** Takes everything, unpacking as the pump would. */
  const drain = async () => {
    const out: number[] = [];
    for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
      const batch = queue.take(100, 1e9);
      for (const json of batch) out.push((JSON.parse(json) as { i: number }).i);
      cold.warm();
      if (batch.length === 0) await m.settle();
    }
    return out;
  };
  return {
    queue,
    cold,
    m,
    push,
    drain,
    lost,
    ready: () => ready,
    advance: time.advance,
    pending: time.pending,
  };
}

describe('compression at rest', () => {
  it('keeps a small queue plain', async () => {
    const { queue, push, m } = setup(1_000_000);
    push(0, 3 * SEGMENT_EVENTS);
    await m.settle();
    expect(queue.hotBytes).toBe(queue.bytes);
  });

  it('packs full segments beyond the warm front, newest first, and gives every event back once, in order', async () => {
    const { queue, push, m, drain } = setup(0);
    const n = 6 * SEGMENT_EVENTS + 17;
    push(0, n);
    await m.settle();
    expect(queue.hotBytes).toBeLessThan(queue.bytes / 2);
    expect(queue.segmentAt(0)?.items).not.toBeNull();
    expect(queue.segmentAt(1)?.items).not.toBeNull();
    expect(queue.segmentAt(4)?.items).toBeNull();
    const bytes = queue.bytes;
    expect(bytes).toBeGreaterThan(0);
    const out = await drain();
    expect(out).toEqual(Array.from({ length: n }, (_, i) => i));
    expect([queue.length, queue.bytes, queue.hotBytes]).toEqual([0, 0, 0]);
  });

  it('drop-oldest removes events from a packed front segment without unpacking it', async () => {
    const { queue, push, m, drain } = setup(0);
    push(0, 4 * SEGMENT_EVENTS);
    await m.settle();
    // Take the two plain segments, so a packed one is at the front.
    queue.take(2 * SEGMENT_EVENTS, 1e12);
    queue.take(2 * SEGMENT_EVENTS, 1e12);
    expect(queue.headPacked).toBe(true);
    expect(queue.dropOldest()).toBe(true);
    expect(queue.headSeq).toBe(2 * SEGMENT_EVENTS + 1);
    const out = await drain();
    expect(out[0]).toBe(2 * SEGMENT_EVENTS + 1);
    expect(out).toHaveLength(2 * SEGMENT_EVENTS - 1);
  });

  it('a segment taken from while it was being packed stays plain', async () => {
    const { queue, push, m } = setup(0);
    push(0, 3 * SEGMENT_EVENTS);
    await new Promise((r) => setImmediate(r)); // the pack job has started: segment 2 is busy
    expect(queue.segmentAt(2)?.busy).toBe(true);
    queue.take(2 * SEGMENT_EVENTS + 5, 1e12);
    await m.settle();
    expect(queue.segmentAt(0)?.items).not.toBeNull();
    expect(queue.take(1, 1e9)).toHaveLength(1);
  });

  it('an unreadable packed segment is retried at the front, then reported as lost; the queue keeps moving', async () => {
    const { queue, push, m, drain, lost } = setup(0);
    push(0, 5 * SEGMENT_EVENTS);
    await m.settle();
    m.failNextUnpacks();
    const out = await drain();
    expect(lost.reduce((a, b) => a + b, 0) + out.length).toBe(5 * SEGMENT_EVENTS);
    expect(lost.length).toBeGreaterThan(0);
    expect(queue.length).toBe(0);
  });

  it('stop() waits for the running pack and starts no other', async () => {
    const { queue, push, m, cold } = setup(0);
    push(0, 5 * SEGMENT_EVENTS);
    await new Promise((r) => setImmediate(r));
    let stopped = false;
    const stopping = cold.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    await m.settle();
    await stopping;
    expect(m.jobs).toHaveLength(0);
    // At most the one pack that was running took effect.
    expect(queue.bytes - queue.hotBytes).toBeLessThanOrEqual((queue.segmentAt(4)?.bytes ?? 0) + 1);
  });

  it('waits for the backlog to last: nothing is packed before the settle time, whatever the size', async () => {
    const { queue, push, m, cold, advance, pending } = setup(0, { settleMs: 1000, horizonMs: 1000 });
    push(0, 5 * SEGMENT_EVENTS);
    advance(999);
    await m.settle();
    expect(queue.hotBytes).toBe(queue.bytes);
    expect(pending()).toBe(1);
    await cold.stop(); // cancels the settle timer: nothing left pending
    expect(pending()).toBe(0);
    advance(1);
    await m.settle();
    expect(queue.hotBytes).toBe(queue.bytes);
  });

  it('packs only the segments the pipeline will not reach within the horizon at its recent rate', async () => {
    const { queue, push, m, advance } = setup(0, { settleMs: 1000, horizonMs: 1000 });
    push(0, 12 * SEGMENT_EVENTS);
    // Over the settle time the pipeline took 4 segments' worth of events: 4 per 1000 ms. The 8 left are reached
    // over the next 2 s, so the 4 newest (reached after 1 s or more) are packed, the 4 oldest stay plain.
    queue.take(4 * SEGMENT_EVENTS, 1e12);
    advance(1000);
    await m.settle();
    const packed = Array.from({ length: queue.segmentCount }, (_, i) => queue.segmentAt(i)?.items === null);
    expect(packed).toEqual([false, false, false, false, true, true, true, true]);
  });

  it('packs every segment outside the warm front when nothing was sent during the settle time', async () => {
    const { queue, push, m, advance } = setup(0, { settleMs: 1000, horizonMs: 1000 });
    push(0, 6 * SEGMENT_EVENTS);
    advance(1000);
    await m.settle();
    const packed = Array.from({ length: queue.segmentCount }, (_, i) => queue.segmentAt(i)?.items === null);
    expect(packed).toEqual([false, false, true, true, true, true]);
  });
  it('by default, leaves plain what delivery reaches within three seconds and packs what waits longer', async () => {
    // 4 segments per second over the settle time: of the 16 left, the first 12 are reached within 3 s.
    const { queue, push, m, advance } = setup(0, COLD_STORE_POLICY);
    push(0, 20 * SEGMENT_EVENTS);
    queue.take(4 * SEGMENT_EVENTS, 1e12);
    advance(1000);
    await m.settle();
    const packed = Array.from({ length: queue.segmentCount }, (_, i) => queue.segmentAt(i)?.items === null);
    expect(packed).toEqual([...Array<boolean>(12).fill(false), true, true, true, true]);

    // The same rate with a backlog it clears in three seconds: nothing is compressed and inflated for nothing.
    const burst = setup(0, COLD_STORE_POLICY);
    burst.push(0, 16 * SEGMENT_EVENTS);
    burst.queue.take(4 * SEGMENT_EVENTS, 1e12);
    burst.advance(1000);
    await burst.m.settle();
    expect(burst.queue.hotBytes).toBe(burst.queue.bytes);
  });
});
