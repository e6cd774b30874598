/**
 * Scenario 1: cost of one capture() call, with a queue that never flushes during the timed loop.
 *
 * Timed region: the loop of `calls` capture() calls plus the wait until the SDK has actually queued every
 * event. posthog-node's capture() only starts an async chain and enqueues in later microtasks, so timing the
 * synchronous loop alone would leave most of its work out; `syncNsPerCall` reports that part separately.
 * `bare` builds the same event (randomUUID, ISO timestamp, the library properties posthog-ts adds) and JSON.stringify's it.
 * `kept` is the hand-written least work of a queue that keeps the JSON (see createKeptFloor).
 */
import { bareEventJson, createKeptFloor } from '../lib/event.mjs';
import { createSdk } from '../lib/sdks.mjs';
import { startServerProcess } from '../lib/server.mjs';
import { nowNs, tick } from '../lib/timing.mjs';

const NEVER_FLUSH = {
  flushAt: 10_000_000,
  flushInterval: 3_600_000, // below 2^31 ms, so Node does not clamp the timer to 1 ms
  maxBatchSize: 10_000_000,
  maxQueueSize: 10_000_000,
};

export async function run({ sdk, calls, warmup }) {
  if (sdk === 'bare') return runBare(calls, warmup);
  if (sdk === 'kept') return runKept(calls, warmup);
  const server = await startServerProcess();
  const client = createSdk(sdk, { host: server.url, ...NEVER_FLUSH });
  try {
    for (let i = 0; i < warmup; i++) client.capture(i);
    await client.settle(warmup);
    await tick();
    const t0 = nowNs();
    for (let i = warmup; i < warmup + calls; i++) client.capture(i);
    const t1 = nowNs();
    await client.settle(warmup + calls);
    const t2 = nowNs();
    const counts = await server.counts();
    return {
      sdk,
      calls,
      nsPerCall: (t2 - t0) / calls,
      syncNsPerCall: (t1 - t0) / calls,
      queued: client.queued(),
      refused: client.refused(),
      serverEvents: counts.events,
    };
  } finally {
    await server.stop();
  }
}

async function runBare(calls, warmup) {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += bareEventJson(i).length;
  await tick();
  const t0 = nowNs();
  for (let i = warmup; i < warmup + calls; i++) sink += bareEventJson(i).length;
  const t1 = nowNs();
  return { sdk: 'bare', calls, nsPerCall: (t1 - t0) / calls, syncNsPerCall: (t1 - t0) / calls, sink };
}

async function runKept(calls, warmup) {
  const { keep, chunks } = createKeptFloor();
  for (let i = 0; i < warmup; i++) keep(i);
  await tick();
  const t0 = nowNs();
  for (let i = warmup; i < warmup + calls; i++) keep(i);
  const t1 = nowNs();
  return {
    sdk: 'kept',
    calls,
    nsPerCall: (t1 - t0) / calls,
    syncNsPerCall: (t1 - t0) / calls,
    kept: chunks.length,
  };
}
