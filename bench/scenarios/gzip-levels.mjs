/**
 * Scenario 5 (informative): the cost of compressing one batch. Captures 100 benchmark events with posthog-ts
 * (compression off, a fetch that keeps the body), then gzips that exact body at levels 1, 6 and 9, alternating,
 * `rounds` rounds of `calls` compressions each; reports median µs per batch and the compressed bytes.
 * gzipSync measures the compression work itself.
 *
 * Then, at level 1, where the work runs: async zlib (libuv's thread pool) against gzipSync (the event loop), one
 * call at a time, `rounds` alternating rounds of `calls` calls: wall time, event-loop busy time
 * (eventLoopUtilization) and process CPU per call. posthog-ts compresses batches up to 64 KiB in place because of
 * these figures (src/platform/node.ts).
 */
import { performance } from 'node:perf_hooks';
import { gzip, gzipSync } from 'node:zlib';
import { distUrl } from '../lib/dist.mjs';
import { API_KEY, eventAt } from '../lib/event.mjs';

const { PostHog } = await import(distUrl('index.js'));

export const LEVELS = [1, 6, 9];

export async function run({ rounds = 10, calls = 300 }) {
  let body;
  const client = new PostHog(API_KEY, {
    host: 'http://127.0.0.1:9',
    flushAt: 100,
    maxBatchSize: 100,
    disableCompression: true,
    fetch: async (_url, init) => {
      body ??= init.body;
      return { status: 200, headers: { get: () => null }, text: async () => '{}' };
    },
  });
  for (let i = 0; i < 100; i++) client.capture(eventAt(i));
  await client.shutdown();
  for (const level of LEVELS) for (let i = 0; i < calls; i++) gzipSync(body, { level }); // warm-up, not timed
  const times = new Map(LEVELS.map((level) => [level, []]));
  const bytes = new Map();
  for (let round = 0; round < rounds; round++) {
    for (const level of round % 2 === 0 ? LEVELS : [...LEVELS].reverse()) {
      let out;
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) out = gzipSync(body, { level });
      times.get(level).push(Number(process.hrtime.bigint() - start) / 1000 / calls);
      bytes.set(level, out.length);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const where = await placement(body, rounds, calls, median);
  return {
    where,
    rawBytes: Buffer.byteLength(body),
    levels: LEVELS.map((level) => ({
      level,
      usPerBatch: median(times.get(level)),
      spread: [Math.min(...times.get(level)), Math.max(...times.get(level))],
      bytes: bytes.get(level),
    })),
  };
}

/** Per-call cost of one gzip at level 1 on the thread pool (async) and on the event loop (sync). */
async function placement(body, rounds, calls, median) {
  const asyncOnce = () =>
    new Promise((resolve, reject) => gzip(body, { level: 1 }, (e, out) => (e ? reject(e) : resolve(out))));
  const modes = {
    'thread pool (async zlib)': async () => {
      for (let i = 0; i < calls; i++) await asyncOnce();
    },
    'event loop (gzipSync)': async () => {
      for (let i = 0; i < calls; i++) gzipSync(body, { level: 1 });
    },
  };
  for (const fn of Object.values(modes)) await fn(); // warm-up, not timed
  const samples = new Map(Object.keys(modes).map((mode) => [mode, { wall: [], loop: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    const names = round % 2 === 0 ? Object.keys(modes) : Object.keys(modes).reverse();
    for (const mode of names) {
      const elu = performance.eventLoopUtilization();
      const cpu = process.cpuUsage();
      const start = performance.now();
      await modes[mode]();
      const s = samples.get(mode);
      s.wall.push(((performance.now() - start) * 1000) / calls);
      s.loop.push((performance.eventLoopUtilization(elu).active * 1000) / calls);
      const used = process.cpuUsage(cpu);
      s.cpu.push((used.user + used.system) / calls);
    }
  }
  return [...samples].map(([mode, s]) => ({
    mode,
    wallUs: median(s.wall),
    loopUs: median(s.loop),
    cpuUs: median(s.cpu),
  }));
}
