import { afterEach, describe, expect, it } from 'vitest';
import { type FetchLike, type FetchResponse, PostHog } from '../../src/index.js';

/**
 * A custom `fetch` (the `fetch` option) is application code: whatever it does, an attempt either succeeds or
 * fails like a network error. No rejection may go unhandled (it would end the process), no call may reject,
 * and no event may go unaccounted for.
 */

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const good = (): FetchResponse => ({
  status: 200,
  headers: { get: () => null },
  text: async () => '{"status":1}',
});

type Misbehaviour = () => unknown;

const firstAttempt: Record<string, Misbehaviour> = {
  'text() throws': () => ({
    status: 200,
    text: () => {
      throw new Error('text threw');
    },
  }),
  'text is not a function': () => ({ status: 200, text: 'body' }),
  'no response at all': () => null,
  'status getter throws': () => ({
    get status() {
      throw new Error('status threw');
    },
    text: async () => '',
  }),
  'rejects with an object that cannot be printed': () => Promise.reject(Object.create(null)),
  'throws an object that cannot be printed': () => {
    throw Object.create(null);
  },
  'headers is a plain object, on a 503': () => ({
    status: 503,
    headers: { 'retry-after': '0' },
    text: async () => '',
  }),
  'headers.get throws, on a 503': () => ({
    status: 503,
    headers: {
      get() {
        throw new Error('get threw');
      },
    },
    text: async () => '',
  }),
  'headers.get returns a number, on a 429': () => ({
    status: 429,
    headers: { get: () => 0 },
    text: async () => '',
  }),
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);
afterEach(() => {
  expect(unhandled).toEqual([]);
});

function clientWith(fetch: FetchLike): PostHog {
  return new PostHog('phc_test', { host: 'http://127.0.0.1:9', fetch, logger: silent, fetchRetryDelay: 1 });
}

describe('a misbehaving custom fetch', () => {
  for (const [name, misbehave] of Object.entries(firstAttempt)) {
    it(`${name}: the attempt fails, is retried and the event delivered`, async () => {
      let calls = 0;
      const fetch = (() => (calls++ === 0 ? misbehave() : good())) as FetchLike;
      const client = clientWith(fetch);
      expect(client.capture({ distinctId: 'u', event: 'e' }).ok).toBe(true);
      await client.flush();
      // Let a rejection left behind surface before afterEach looks.
      await new Promise((resolve) => setTimeout(resolve, 10));
      const stats = client.stats();
      expect([stats.delivered, stats.requests]).toEqual([1, 2]);
      await client.shutdown();
    });
  }

  it('returns its response itself rather than a promise of it: delivered at the first attempt', async () => {
    const client = clientWith((() => good()) as unknown as FetchLike);
    const result = await client.captureImmediate({ distinctId: 'u', event: 'e' });
    expect(result.ok).toBe(true);
    expect(client.stats().delivered).toBe(1);
    await client.shutdown();
  });

  it('keeps failing: every event is counted and reported, captureImmediate and flag calls resolve', async () => {
    const client = new PostHog('phc_test', {
      host: 'http://127.0.0.1:9',
      fetch: (() => null) as unknown as FetchLike,
      logger: silent,
      fetchRetryCount: 1,
      fetchRetryDelay: 1,
    });
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    client.capture({ distinctId: 'u', event: 'queued' });
    const immediate = await client.captureImmediate({ distinctId: 'u', event: 'immediate' });
    expect(immediate.ok).toBe(false);
    expect(await client.getFeatureFlag('f', 'u')).toBeUndefined();
    await client.flush();
    // The two events, and the $feature_flag_called event of the flag read.
    const stats = client.stats();
    expect([stats.captured, stats.dropped.retries_exhausted, stats.delivered]).toEqual([3, 3, 0]);
    expect(errors.filter((code) => code === 'delivery').length).toBeGreaterThanOrEqual(2);
    await client.shutdown();
  });
});
