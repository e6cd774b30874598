import * as zlib from 'node:zlib';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:zlib', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:zlib')>();
  return { ...actual, gzipSync: vi.fn(actual.gzipSync) };
});

import { PostHog, type PostHogOptions, QueueFullError } from '../../src/index.js';
import { ManualFetch, memoryLogger } from '../helpers/manual-fetch.js';

let client: PostHog | undefined;

function make(options: PostHogOptions = {}) {
  const manual = new ManualFetch();
  const { lines, logger } = memoryLogger();
  client = new PostHog('phc_test', { host: 'http://posthog.test', fetch: manual.fetch, logger, ...options });
  return { client, manual, lines };
}

afterEach(async () => {
  vi.useRealTimers();
  await client?.shutdown(0);
  client = undefined;
});

const capture = (c: PostHog, event = 'e') => c.capture({ distinctId: 'u', event });

describe('queue and flush scheduling', () => {
  it('capture does no I/O: nothing is sent until flushAt is reached, then one batch goes out', async () => {
    const { client, manual } = make({ flushAt: 3, flushInterval: 60_000 });
    capture(client);
    capture(client);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(manual.all).toHaveLength(0);
    capture(client);
    expect(manual.all).toHaveLength(0); // still synchronous: the send starts on a later tick
    await manual.waitForHeld(1);
    expect(manual.next().events).toHaveLength(3);
  });

  it('flushes after flushInterval, with a timer only while events wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const { client, manual } = make({ flushAt: 100, flushInterval: 5000, disableCompression: true });
    manual.auto = 200;
    expect(vi.getTimerCount()).toBe(0);
    capture(client);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(4999);
    expect(manual.all).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(manual.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cuts batches by maxBatchSize and by maxBatchBytes', async () => {
    const { client, manual } = make({ flushAt: 4, maxBatchSize: 4, maxBatchBytes: 2048 });
    manual.auto = 200;
    for (let i = 0; i < 10; i++) capture(client);
    client.capture({ distinctId: 'u', event: 'big', properties: { pad: 'x'.repeat(1500) } });
    client.capture({ distinctId: 'u', event: 'big', properties: { pad: 'x'.repeat(1500) } });
    await client.flush();
    const batches = manual.all.map((r) => r.events);
    expect(batches.flat()).toHaveLength(12);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(4);
      if (batch.length > 1) expect(JSON.stringify(batch).length).toBeLessThanOrEqual(2048);
    }
    // Batches go out concurrently, so compare the sizes as a multiset: [e×4] [e×4] [e×2] [big] [big].
    expect(batches.map((b) => b.length).sort()).toEqual([1, 1, 2, 4, 4]);
    expect(batches.filter((b) => b.some((e) => e.event === 'big')).length).toBe(2);
  });

  it('drop-newest (default): a full queue refuses the new event and keeps the accepted ones', async () => {
    const { client, manual, lines } = make({ flushAt: 1000, maxQueueSize: 3 });
    manual.auto = 200;
    const results = ['a', 'b', 'c', 'd'].map((event) => capture(client, event));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]?.ok ? undefined : results[3]?.error).toBeInstanceOf(QueueFullError);
    await client.flush();
    expect(manual.all[0]?.events.map((e) => e.event)).toEqual(['a', 'b', 'c']);
    expect(client.stats().dropped.queue_full).toBe(1);
    expect(lines.join()).toContain('maxQueueSize (3)');
  });

  it('drop-newest: a full queue refuses before before_send and serialisation run', () => {
    const seen: string[] = [];
    const { client } = make({
      flushAt: 1000,
      maxQueueSize: 2,
      before_send: (e) => {
        seen.push(e?.event ?? '');
        return e;
      },
    });
    const results = ['a', 'b', 'c'].map((event) => capture(client, event));
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(seen).toEqual(['a', 'b']);
    expect(client.stats().dropped.queue_full).toBe(1);
  });

  it('drop-oldest: the oldest event makes room, counted and reported', async () => {
    const { client, manual, lines } = make({ flushAt: 1000, maxQueueSize: 3, queueOverflow: 'drop-oldest' });
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    manual.auto = 200;
    for (const event of ['a', 'b', 'c', 'd', 'e']) expect(capture(client, event).ok).toBe(true);
    await client.flush();
    expect(manual.all[0]?.events.map((e) => e.event)).toEqual(['c', 'd', 'e']);
    expect(client.stats().dropped.queue_full).toBe(2);
    // Every drop is emitted; the log says it once per window, naming the bound that was hit.
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e instanceof QueueFullError && e.bound === 'count')).toBe(true);
    expect(lines.filter((l) => l.includes('the oldest event was dropped'))).toEqual([
      expect.stringContaining('maxQueueSize 3'),
    ]);
  });

  it('drop-oldest by bytes reports the byte bound', () => {
    const { client, lines } = make({ flushAt: 1000, maxQueueBytes: 4096, queueOverflow: 'drop-oldest' });
    const errors: QueueFullError[] = [];
    client.on('error', (error) => errors.push(error as QueueFullError));
    const pad = 'x'.repeat(1000);
    for (let i = 0; i < 5; i++) client.capture({ distinctId: 'u', event: `e${i}`, properties: { pad } });
    expect(client.stats().dropped.queue_full).toBe(2);
    expect(errors.map((e) => e.bound)).toEqual(['bytes', 'bytes']);
    expect(
      lines.some((l) => l.includes('maxQueueBytes 4096') && l.includes('oldest event was dropped')),
    ).toBe(true);
  });

  it('bounds the queue by bytes too', () => {
    const { client } = make({ flushAt: 1000, maxQueueBytes: 4096 });
    const results = Array.from({ length: 5 }, () =>
      client.capture({ distinctId: 'u', event: 'e', properties: { pad: 'x'.repeat(1000) } }),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false]);
    const error = results[3]?.ok ? undefined : results[3]?.error;
    expect((error as QueueFullError).bound).toBe('bytes');
    expect(client.stats().queuedBytes).toBeLessThanOrEqual(4096);
  });
});

describe('flush()', () => {
  it('waits for events captured before it, including those captured while a flush was running', async () => {
    const { client, manual } = make({ flushAt: 1000, maxConcurrentRequests: 1 });
    capture(client, 'first');
    let firstDone = false;
    const first = client.flush().then(() => {
      firstDone = true;
    });
    await manual.waitForHeld(1);
    capture(client, 'during');
    let secondDone = false;
    const second = client.flush().then(() => {
      secondDone = true;
    });
    manual.next().respond(200);
    await first;
    expect(firstDone).toBe(true);
    expect(secondDone).toBe(false);
    await manual.waitForHeld(1);
    const request = manual.next();
    expect(request.events.map((e) => e.event)).toEqual(['during']);
    request.respond(200);
    await second;
    expect(client.stats()).toMatchObject({ delivered: 2, queued: 0, inFlight: 0 });
  });

  it('flush(timeoutMs) returns by its deadline during an outage, keeps the events and still delivers them', async () => {
    const { client, manual, lines } = make({ flushAt: 1000 });
    capture(client, 'held');
    const started = Date.now();
    await client.flush(100);
    expect(Date.now() - started).toBeLessThan(1000);
    await manual.waitForHeld(1); // the request is still open: nothing was dropped or aborted
    expect(client.stats()).toMatchObject({ inFlight: 1, delivered: 0 });
    expect(
      lines.filter((l) => l.includes('flush(100) returned before 1 event(s) were delivered')),
    ).toHaveLength(1);
    manual.next().respond(200);
    await client.flush();
    expect(client.stats()).toMatchObject({ delivered: 1, inFlight: 0, dropped: { shutdown_timeout: 0 } });
  });

  it('flush(timeoutMs) that finishes in time says nothing; a negative or NaN timeout means no limit', async () => {
    const { client, manual, lines } = make({ flushAt: 1000 });
    manual.auto = 200;
    capture(client, 'a');
    await client.flush(5000);
    capture(client, 'b');
    await client.flush(Number.NaN);
    capture(client, 'c');
    await client.flush(-1);
    expect(client.stats().delivered).toBe(3);
    expect(lines.filter((l) => l.includes('returned before'))).toEqual([]);
  });

  it('is safe to call concurrently and resolves at once when there is nothing to send', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    manual.auto = 200;
    await client.flush();
    expect(manual.all).toHaveLength(0);
    for (let i = 0; i < 50; i++) capture(client);
    await Promise.all([client.flush(), client.flush(), client.flush()]);
    expect(manual.all.reduce((n, r) => n + r.events.length, 0)).toBe(50);
  });

  it('never rejects, even when delivery fails', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    manual.auto = 400;
    capture(client);
    await expect(client.flush()).resolves.toBeUndefined();
    expect(client.stats().dropped.rejected).toBe(1);
  });

  it('keeps at most maxConcurrentRequests batches in flight', async () => {
    const { client, manual } = make({ flushAt: 1, maxBatchSize: 1, maxConcurrentRequests: 2 });
    for (let i = 0; i < 5; i++) capture(client);
    const done = client.flush();
    await manual.waitForHeld(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(manual.held).toHaveLength(2);
    for (let i = 0; i < 5; i++) {
      await manual.waitForHeld(1);
      manual.next().respond(200);
    }
    await done;
    expect(client.stats().delivered).toBe(5);
  });
});

describe('compression', () => {
  it.each([
    [{}, 1],
    [{ compressionLevel: 9 }, 9],
  ])('gzips each batch at compressionLevel (%j gives level %i)', async (options, level) => {
    const { client, manual } = make({ flushAt: 50, maxBatchSize: 50, ...options });
    manual.auto = 200;
    for (let i = 0; i < 50; i++)
      client.capture({
        distinctId: `u${i % 7}`,
        event: 'e',
        properties: { plan: i % 3 ? 'pro' : 'free', i },
      });
    await client.flush();
    const request = manual.all[0];
    expect(request?.init.headers['Content-Encoding']).toBe('gzip');
    const body = Buffer.from(request?.init.body as Uint8Array);
    // zlib's output is a function of its input and level: the body is exactly what that level writes.
    expect(body).toEqual(gzipSync(gunzipSync(body), { level }));
    expect(body).not.toEqual(gzipSync(gunzipSync(body), { level: level === 1 ? 9 : 1 }));
  });

  it('a batch whose gzip fails goes out uncompressed, as the same JSON string, and the next one is gzipped', async () => {
    const { client, manual } = make({ flushAt: 2, maxBatchSize: 2 });
    manual.auto = 200;
    vi.mocked(zlib.gzipSync).mockImplementationOnce(() => {
      throw new Error('zlib exploded');
    });
    for (let i = 0; i < 4; i++) capture(client, `e${i}`);
    await client.flush();
    const [failed, next] = manual.all;
    expect(failed?.init.headers).not.toHaveProperty('Content-Encoding');
    expect(typeof failed?.init.body).toBe('string');
    expect(JSON.parse(failed?.init.body as string).batch.map((e: { event: string }) => e.event)).toEqual([
      'e0',
      'e1',
    ]);
    expect(next?.init.headers['Content-Encoding']).toBe('gzip');
    expect(next?.events.map((e) => e.event)).toEqual(['e2', 'e3']);
    expect(client.stats().delivered).toBe(4);
  });
});

describe('immediate sends', () => {
  it('captureImmediate sends one event now and resolves with the outcome', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    capture(client, 'queued');
    const pending = client.captureImmediate({ distinctId: 'u', event: 'now' });
    await manual.waitForHeld(1);
    const request = manual.next();
    expect(request.events.map((e) => e.event)).toEqual(['now']);
    request.respond(200);
    expect((await pending).ok).toBe(true);
    expect(manual.all).toHaveLength(1);
  });

  it('reports a failed immediate send as a result, never a rejection', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    manual.auto = 401;
    const result = await client.identifyImmediate({ distinctId: 'u' });
    expect(result.ok).toBe(false);
  });
});

describe('review fixes', () => {
  it('drop-oldest never empties the queue for an event larger than the whole byte bound', () => {
    const { client } = make({ flushAt: 1000, maxQueueBytes: 4096, queueOverflow: 'drop-oldest' });
    for (let i = 0; i < 5; i++) capture(client);
    const big = client.capture({ distinctId: 'u', event: 'big', properties: { pad: 'x'.repeat(5000) } });
    expect(big.ok).toBe(false);
    expect(client.stats().queued).toBe(5);
  });

  it('captureImmediate reports its own outcome, not that of a concurrent send', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    const bad = client.captureImmediate({ distinctId: 'u', event: 'bad' });
    const good = client.captureImmediate({ distinctId: 'u', event: 'good' });
    await manual.waitForHeld(2);
    const [first, second] = [manual.next(), manual.next()];
    const badRequest = first.events[0]?.event === 'bad' ? first : second;
    const goodRequest = badRequest === first ? second : first;
    goodRequest.respond(200);
    await good;
    badRequest.respond(400);
    expect((await bad).ok).toBe(false);
    expect((await good).ok).toBe(true);
  });

  it('never writes into the caller properties, frozen or not', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    manual.auto = 200;
    const props = Object.freeze({ $lib: 'my-wrapper', a: 1 });
    expect(() => client.capture({ distinctId: 'u', event: 'e', properties: props })).not.toThrow();
    await client.flush();
    expect(props).toEqual({ $lib: 'my-wrapper', a: 1 });
    expect(manual.all[0]?.events[0]?.properties).toMatchObject({ $lib: 'posthog-ts', a: 1 });
  });
});
