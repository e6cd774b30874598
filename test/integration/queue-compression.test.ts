import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostHog, type PostHogOptions } from '../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';
import { memoryLogger } from '../helpers/manual-fetch.js';

let server: LocalPostHog;
let client: PostHog | undefined;

beforeEach(async () => {
  server = await startLocalPostHog();
});

afterEach(async () => {
  await client?.shutdown(0);
  client = undefined;
  await server.stop();
});

function make(options: PostHogOptions = {}): PostHog {
  client = new PostHog('phc_test', {
    host: server.url,
    flushAt: 100,
    maxQueueSize: 100_000,
    compressQueueAboveBytes: 0,
    fetchRetryDelay: 5,
    fetchRetryMaxDelay: 50,
    logger: memoryLogger().logger,
    ...options,
  });
  return client;
}

const pause = () => new Promise((resolve) => setImmediate(resolve));

describe('a backlog compressed at rest (real zlib, real loopback HTTP)', () => {
  it('delivers every event once, with the uuid and properties it was captured with', async () => {
    await server.down();
    // Retries outlast the wait below (compression starts once the backlog has lasted a second), so no batch is given up on.
    const ph = make({ fetchRetryDelay: 50, fetchRetryMaxDelay: 200, fetchRetryCount: 30 });
    const total = 12_000;
    const uuids: string[] = [];
    for (let i = 0; i < total; i++) {
      const r = ph.capture({ distinctId: `u${i % 50}`, event: 'load', properties: { i, note: 'é ✓ 😀' } });
      if (r.ok) uuids.push(r.uuid);
    }
    const queue = (ph as unknown as { delivery: { main: { queue: { bytes: number; hotBytes: number } } } })
      .delivery.main.queue;
    for (let i = 0; i < 600 && queue.hotBytes > queue.bytes / 4; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(queue.hotBytes).toBeLessThan(queue.bytes / 4); // most of the backlog is compressed
    await server.up();
    await ph.flush();
    expect(server.counts.duplicates).toBe(0);
    // Batches are in flight concurrently, so the server's arrival order is not the capture order.
    const byIndex = [...server.events].sort(
      (a, b) => ((a.properties?.i as number) ?? 0) - ((b.properties?.i as number) ?? 0),
    );
    expect(byIndex.map((e) => e.properties?.i)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(byIndex.map((e) => e.uuid)).toEqual(uuids);
    expect(byIndex.every((e) => e.properties?.note === 'é ✓ 😀')).toBe(true);
    expect(ph.stats()).toMatchObject({ delivered: total, queued: 0, queuedBytes: 0 });
  });

  it('loses and duplicates nothing under random faults', async () => {
    server.setFaults({ seed: 11, errorRate: 0.2, statuses: [500, 503, 429, 413], resetRate: 0.02 });
    const ph = make({ flushAt: 50, maxBatchSize: 50 });
    const total = 6000;
    for (let i = 0; i < total; i++) {
      ph.capture({ distinctId: `u${i % 50}`, event: 'load', properties: { i } });
      if (i % 2000 === 0) await pause();
    }
    await ph.flush();
    expect(server.counts.duplicates).toBe(0);
    expect(server.counts.events).toBe(total);
  });

  it('drop-oldest keeps the newest events when a compressed backlog overflows', async () => {
    await server.down();
    const ph = make({ maxQueueSize: 5000, queueOverflow: 'drop-oldest', fetchRetryCount: 1000 });
    for (let i = 0; i < 8000; i++) ph.capture({ distinctId: 'u', event: 'load', properties: { i } });
    await pause();
    await server.up();
    await ph.flush();
    const seen = server.events.map((e) => e.properties?.i as number);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(7999);
    expect(ph.stats().dropped.queue_full).toBe(3000);
    expect(ph.stats().delivered + ph.stats().dropped.queue_full).toBe(8000);
  });

  it('shutdown drains a compressed backlog and leaves nothing queued', async () => {
    const ph = make();
    for (let i = 0; i < 8000; i++) ph.capture({ distinctId: 'u', event: 'load', properties: { i } });
    await pause();
    await ph.shutdown(10_000);
    client = undefined;
    expect(server.counts.events).toBe(8000);
  });
});
