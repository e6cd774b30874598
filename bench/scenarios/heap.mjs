/**
 * Scenario 2: heap held per 100k queued (not flushed) events.
 *
 * Client created and warmed up (a few hundred events, which stay queued in both measurements), full GC,
 * heapUsed + external; then `events` captures, wait until the SDK has queued all of them, then SETTLE_MS for
 * background work (posthog-ts compresses a long backlog at rest off the event loop; the same pause is given to
 * every SDK), full GC, heapUsed + external again. External memory counts: compressed segments are Buffers.
 * `bare` keeps the serialised events (bareEventJson) in an array: what a queue of JSON strings costs at least.
 */
import { bareEventJson } from '../lib/event.mjs';
import { measureHeap } from '../lib/gc.mjs';
import { createSdk } from '../lib/sdks.mjs';
import { startServerProcess } from '../lib/server.mjs';
import { tick } from '../lib/timing.mjs';

const WARMUP = 500;
const SETTLE_MS = 1500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function run({ sdk, events }) {
  if (sdk === 'bare') return runBare(events);
  const server = await startServerProcess();
  const client = createSdk(sdk, {
    host: server.url,
    flushAt: 10_000_000,
    flushInterval: 3_600_000,
    maxBatchSize: 10_000_000,
    maxQueueSize: 10_000_000,
  });
  try {
    for (let i = 0; i < WARMUP; i++) client.capture(i);
    await client.settle(WARMUP);
    const before = await measureHeap();
    for (let i = WARMUP; i < WARMUP + events; i++) client.capture(i);
    await tick();
    await client.settle(WARMUP + events);
    await sleep(SETTLE_MS);
    const after = await measureHeap();
    const queued = client.queued();
    const counts = await server.counts();
    return result(sdk, events, before, after, { queued, serverEvents: counts.events });
  } finally {
    await server.stop();
  }
}

async function runBare(events) {
  const kept = [];
  for (let i = 0; i < WARMUP; i++) kept.push(bareEventJson(i));
  const before = await measureHeap();
  for (let i = WARMUP; i < WARMUP + events; i++) kept.push(bareEventJson(i));
  await tick();
  await sleep(SETTLE_MS);
  const after = await measureHeap();
  return result('bare', events, before, after, { queued: kept.length });
}

function result(sdk, events, before, after, extra) {
  const per100k = (bytes) => (bytes * (100_000 / events)) / 1e6;
  return {
    sdk,
    events,
    heapMBPer100k: per100k(after.heapUsed - before.heapUsed),
    externalMBPer100k: per100k(after.external - before.external),
    memMBPer100k: per100k(after.heapUsed + after.external - before.heapUsed - before.external),
    rssMBPer100k: per100k(after.rss - before.rss),
    ...extra,
  };
}
