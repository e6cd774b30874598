import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeliveryError, PostHog, type PostHogError, type PostHogOptions } from '../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';
import { memoryLogger } from '../helpers/manual-fetch.js';

let server: LocalPostHog;
let client: PostHog | undefined;
let errors: PostHogError[];

beforeEach(async () => {
  server = await startLocalPostHog();
  errors = [];
});

afterEach(async () => {
  await client?.shutdown(0);
  client = undefined;
  await server.stop();
});

function make(options: PostHogOptions = {}): PostHog {
  client = new PostHog('phc_test', {
    host: server.url,
    flushAt: 1000,
    fetchRetryDelay: 20,
    logger: memoryLogger().logger,
    ...options,
  });
  client.on('error', (error) => errors.push(error));
  return client;
}

const captureRequests = () => server.requests.filter((r) => r.route === 'batch' || r.route === 'capture_v1');

describe('delivery against the local server (real loopback HTTP)', () => {
  it('retries 5xx until success: delivered once, with the same uuid and timestamp on every attempt', async () => {
    server.script('capture', { status: 500 }, { status: 503 }, { status: 502 });
    const ph = make();
    ph.capture({ distinctId: 'u', event: 'e' });
    await ph.flush();
    const attempts = captureRequests();
    expect(attempts.map((r) => r.status)).toEqual([500, 503, 502, 200]);
    const wire = attempts.map((r) => r.events[0]);
    expect(new Set(wire.map((e) => e?.uuid)).size).toBe(1);
    expect(new Set(wire.map((e) => e?.timestamp)).size).toBe(1);
    expect(server.counts).toMatchObject({ events: 1, duplicates: 0 });
    expect(ph.stats()).toMatchObject({ delivered: 1, retries: 3, requests: 4 });
  });

  it.each([400, 401, 403])('does not retry %i, and reports it with the status', async (status) => {
    server.script('capture', { status, body: '{"error":"nope"}' });
    const ph = make();
    ph.capture({ distinctId: 'u', event: 'e' });
    await ph.flush();
    expect(captureRequests()).toHaveLength(1);
    expect(ph.stats().dropped.rejected).toBe(1);
    const error = errors[0] as DeliveryError;
    expect(error.code).toBe('delivery');
    expect(error.reason).toBe('rejected');
    expect(error.status).toBe(status);
    expect(error.message).toContain(String(status));
    // An auth refusal names the usual causes: the key, or a host of the other region.
    expect(error.message.includes('check the project API key')).toBe(status !== 400);
  });

  it('honours Retry-After', async () => {
    server.script('capture', { status: 429, headers: { 'Retry-After': '1' } });
    const ph = make();
    ph.capture({ distinctId: 'u', event: 'e' });
    await ph.flush();
    const [first, second] = captureRequests();
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(server.counts.events).toBe(1);
  });

  it('splits a batch on 413 and isolates the one event the server refuses', async () => {
    const ph = make({ maxBatchSize: 8 });
    server.setFlagsResponse({});
    for (let i = 0; i < 8; i++) ph.capture({ distinctId: 'u', event: `e${i}` });
    // 413 for the whole batch, then for the half holding e5, then its quarter, then e5 alone.
    server.script('capture', { status: 413 }, {}, { status: 413 }, { status: 413 }, {}, { status: 413 });
    await ph.flush();
    const accepted = server.events.map((e) => e.event).sort();
    expect(accepted).toHaveLength(7);
    expect(ph.stats().dropped.too_large).toBe(1);
    expect((errors[0] as DeliveryError).reason).toBe('too_large');
    expect(server.counts.duplicates).toBe(0);
  });

  it('times out a request whose answer never comes, covering the body, then retries', async () => {
    server.script('capture', { hang: true });
    const ph = make({ requestTimeout: 200 });
    ph.capture({ distinctId: 'u', event: 'e' });
    const started = Date.now();
    await ph.flush();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.counts.events).toBe(1);
    // The timed-out exchange's socket was destroyed; only the retry's keep-alive connection is left.
    await expect.poll(() => server.openConnections, { timeout: 2000 }).toBe(1);
  });

  it('abandons a request still unanswered at the shutdown deadline: its socket closes and the events are reported', async () => {
    server.script('capture', { hang: true });
    const ph = make({ requestTimeout: 60_000 });
    for (let i = 0; i < 3; i++) ph.capture({ distinctId: 'u', event: `e${i}` });
    void ph.flush();
    await server.waitForRequests(1, { timeoutMs: 2000 });
    const started = Date.now();
    await ph.shutdown(300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ph.stats().dropped.shutdown_timeout).toBe(3);
    expect(errors.some((e) => (e as DeliveryError).reason === 'shutdown_timeout')).toBe(true);
    // Nothing is left open to the server once shutdown has returned.
    await expect.poll(() => server.openConnections, { timeout: 2000 }).toBe(0);
  });

  it('retries after a connection reset', async () => {
    server.script('capture', { reset: true }, { reset: true });
    const ph = make();
    ph.capture({ distinctId: 'u', event: 'e' });
    await ph.flush();
    expect(server.counts).toMatchObject({ events: 1, duplicates: 0 });
  });

  it('delivers events captured while the server was down once it is back', async () => {
    const ph = make({ fetchRetryDelay: 100, fetchRetryMaxDelay: 200 });
    await server.down();
    for (let i = 0; i < 20; i++) ph.capture({ distinctId: 'u', event: `e${i}` });
    const flushed = ph.flush();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await server.up();
    await flushed;
    expect(server.counts).toMatchObject({ events: 20, duplicates: 0 });
  });

  it('gives up after fetchRetryCount retries and reports retries_exhausted', async () => {
    server.script('capture', { status: 503 }, { status: 503 }, { status: 503 });
    const ph = make({ fetchRetryCount: 2 });
    ph.capture({ distinctId: 'u', event: 'e' });
    await ph.flush();
    expect(captureRequests()).toHaveLength(3);
    expect((errors[0] as DeliveryError).reason).toBe('retries_exhausted');
    expect(ph.stats().dropped.retries_exhausted).toBe(1);
  });

  it('capture v1: resends only the events the server asked to retry, with the same request id', async () => {
    server.script('capture', { v1Results: ['ok', 'retry', 'drop'], headers: { 'Retry-After': '0' } });
    const ph = make({ captureMode: 'v1' });
    for (const event of ['a', 'b', 'c']) ph.capture({ distinctId: 'u', event });
    await ph.flush();
    const [first, second] = captureRequests();
    expect(second?.events.map((e) => e.event)).toEqual(['b']);
    expect(second?.headers['posthog-request-id']).toBe(first?.headers['posthog-request-id']);
    expect([first?.headers['posthog-attempt'], second?.headers['posthog-attempt']]).toEqual(['1', '2']);
    expect(ph.stats()).toMatchObject({ delivered: 2 });
    expect(ph.stats().dropped.dropped_by_server).toBe(1);
  });

  it('loses and duplicates nothing under random faults (20% errors, 2% resets)', async () => {
    server.setFaults({ seed: 7, errorRate: 0.2, statuses: [500, 503, 429, 413], resetRate: 0.02 });
    const ph = make({
      flushAt: 50,
      maxBatchSize: 50,
      maxQueueSize: 100_000,
      fetchRetryDelay: 5,
      fetchRetryMaxDelay: 50,
    });
    const total = 5000;
    for (let i = 0; i < total; i++) {
      ph.capture({ distinctId: `u${i % 50}`, event: 'load' });
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await ph.flush();
    expect(server.counts.duplicates).toBe(0);
    expect(server.counts.events).toBe(total);
    expect(ph.stats().delivered).toBe(total);
  });
});
