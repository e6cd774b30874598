/**
 * One adapter per SDK so every scenario drives both the same way:
 *   capture(i)        capture the i-th benchmark event
 *   queued()          events the SDK holds, not yet sent (for settling and sanity checks)
 *   settle(expected)  resolve once `expected` events are in the SDK's queue (posthog-node enqueues
 *                     asynchronously, after capture() returned; posthog-ts enqueues synchronously)
 *   drain()           resolve once the SDK says everything captured so far was sent or given up on
 *   stats()           SDK-reported counters, when the SDK has them
 *   shutdown()
 */
import { PostHog as PostHogNode } from 'posthog-node';
import { distUrl } from './dist.mjs';
import { API_KEY, eventAt } from './event.mjs';
import { nowMs, until } from './timing.mjs';

const { PostHog: PostHogTs } = await import(distUrl('index.js'));

export const SDKS = ['posthog-ts', 'posthog-node'];

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** `opts`: { host, flushAt, flushInterval, maxBatchSize, maxQueueSize, fetchRetryDelay, fetchRetryCount } */
export function createSdk(name, opts) {
  if (name === 'posthog-ts') return createTs(opts);
  if (name === 'posthog-node') return createNode(opts);
  throw new Error(`unknown sdk ${name}`);
}

function createTs(opts) {
  const client = new PostHogTs(API_KEY, {
    host: opts.host,
    flushAt: opts.flushAt,
    flushInterval: opts.flushInterval,
    maxBatchSize: opts.maxBatchSize,
    maxQueueSize: opts.maxQueueSize,
    // Large enough that the byte cap never drops an event in any scenario (1M events are ~450 MB of JSON).
    maxQueueBytes: 4_000_000_000,
    ...(opts.fetchRetryDelay === undefined ? {} : { fetchRetryDelay: opts.fetchRetryDelay }),
    ...(opts.fetchRetryMaxDelay === undefined ? {} : { fetchRetryMaxDelay: opts.fetchRetryMaxDelay }),
    ...(opts.fetchRetryCount === undefined ? {} : { fetchRetryCount: opts.fetchRetryCount }),
    logger: silentLogger,
    // For experiments only (for example '{"compressQueueAboveBytes":false}'); RESULTS files use the defaults.
    ...(process.env.BENCH_TS_OPTIONS ? JSON.parse(process.env.BENCH_TS_OPTIONS) : {}),
  });
  let refused = 0;
  return {
    client,
    capture(i) {
      const result = client.capture(eventAt(i));
      if (!result.ok) refused++;
    },
    refused: () => refused,
    queued: () => client.stats().queued,
    async settle(expected) {
      const s = client.stats();
      if (s.captured < expected) throw new Error(`posthog-ts accepted ${s.captured} of ${expected} events`);
    },
    drain: () => client.flush(),
    stats: () => client.stats(),
    shutdown: () => client.shutdown(),
  };
}

function createNode(opts) {
  const client = new PostHogNode(API_KEY, {
    host: opts.host,
    flushAt: opts.flushAt,
    flushInterval: opts.flushInterval,
    maxBatchSize: opts.maxBatchSize,
    maxQueueSize: opts.maxQueueSize,
    ...(opts.fetchRetryDelay === undefined ? {} : { fetchRetryDelay: opts.fetchRetryDelay }),
    ...(opts.fetchRetryCount === undefined ? {} : { fetchRetryCount: opts.fetchRetryCount }),
  });
  // posthog-node reports failed flushes on its 'error' event (and logs them); count them instead.
  let errors = 0;
  client.on('error', () => {
    errors++;
  });
  const queue = () => client.getPersistedProperty('queue') ?? [];
  return {
    client,
    capture(i) {
      client.capture(eventAt(i));
    },
    refused: () => 0,
    queued: () => queue().length,
    settle(expected) {
      // Only used where nothing is flushed, so the queue length counts every enqueued event.
      return until(() => queue().length >= expected, 60_000, `posthog-node to enqueue ${expected} events`);
    },
    async drain(timeoutMs = 600_000) {
      // flush() sends what was queued when the running flush started and rejects when a batch fails, so
      // repeat it until the queue is empty.
      const deadline = nowMs() + timeoutMs;
      do {
        try {
          await client.flush();
        } catch {
          // counted through the 'error' event
        }
        if (nowMs() > deadline) throw new Error('posthog-node did not drain its queue in time');
      } while (queue().length > 0);
    },
    // maxBatchSize is an internal field of posthog-node's core; it is halved on every 413.
    stats: () => ({ flushErrors: errors, queued: queue().length, maxBatchSize: client.maxBatchSize }),
    shutdown: () => client.shutdown(),
  };
}
