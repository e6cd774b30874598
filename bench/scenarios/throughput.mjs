/**
 * Scenario 3: end-to-end throughput to the local server (in its own process), gzip on, flushAt 100.
 *
 * `events` events are captured in chunks of `chunk`, yielding with setImmediate between chunks so the SDK
 * can send; then the SDK is flushed and we wait until the server has accepted `events` events.
 * events/s = events / (time from the first capture to the server's count reaching `events`).
 * Counts are verified: lost = events - unique accepted, duplicated = server-side duplicate uuids.
 * `floor` is the same loop with no SDK (lib/floor.mjs), gzip at zlib's default level 6; `floor-l1` gzips at level 1,
 * posthog-ts's default, so that the two compare with the same compression work.
 * Before the clock starts, the server process warms its own request path with `warmEvents` events it sends
 * itself and then forgets, so a cold server does not bound the small sizes for every contender alike.
 * With `prewarm` > 0 (informative runs only), the measuring process first sends that many events itself through
 * a separate instance of the same contender (SDK client or floor loop), so the measured run starts with a warm JIT
 * instead of a fresh process's; the server then forgets them.
 * With `inline`, the server runs in the measuring process instead (lib/server.mjs, startInlineServer): its request
 * handling shares the event loop with the contender, and it is not warmed first, since warming it from this process
 * would warm the contender's HTTP path too.
 * Every result carries `threads`: CPU time of the measuring process's main thread and of its other threads over the
 * measured window (lib/threads.mjs; undefined off Linux), which `npm run bench:threads` reports.
 */
import { bareEventJson } from '../lib/event.mjs';
import { createFloorSender } from '../lib/floor.mjs';
import { createSdk } from '../lib/sdks.mjs';
import { startInlineServer, startServerProcess } from '../lib/server.mjs';
import { threadTimes, threadTimesSince } from '../lib/threads.mjs';
import { nowMs, tick } from '../lib/timing.mjs';

export async function run({
  sdk,
  events,
  chunk = 1000,
  faults,
  retryDelayMs,
  waitTimeoutMs,
  warmEvents = 10_000,
  prewarm = 0,
  inline = false,
}) {
  const server = inline ? await startInlineServer() : await startServerProcess();
  if (warmEvents > 0 && !inline) await server.warm(warmEvents);
  const contender = () => {
    if (sdk === 'floor') return { floor: createFloorSender(server.url) };
    if (sdk === 'floor-l1') return { floor: createFloorSender(server.url, { level: 1 }) };
    return {
      client: createSdk(sdk, {
        host: server.url,
        flushAt: 100,
        maxBatchSize: 100,
        // Room for every event, so a queue that backs up never drops anything.
        maxQueueSize: Math.max(events, prewarm) + 1000,
        ...(retryDelayMs === undefined ? {} : { fetchRetryDelay: retryDelayMs }),
        ...(retryDelayMs === undefined || sdk !== 'posthog-ts'
          ? {}
          : { fetchRetryMaxDelay: 20 * retryDelayMs }),
      }),
    };
  };
  if (prewarm > 0) {
    const warm = contender();
    for (let i = 0; i < prewarm; i++)
      warm.floor !== undefined ? warm.floor.push(bareEventJson(i)) : warm.client.capture(i);
    if (warm.floor !== undefined) {
      await warm.floor.drain();
      warm.floor.close();
    } else {
      await warm.client.drain();
      await warm.client.shutdown();
    }
    await server.waitForEvents(prewarm, 60_000);
    await server.clear();
  }
  if (faults) await server.setFaults(faults);
  const { client, floor } = contender();
  const capture = floor !== undefined ? (i) => floor.push(bareEventJson(i)) : (i) => client.capture(i);
  const timeoutMs = waitTimeoutMs ?? Math.max(60_000, events * 2);
  try {
    const threads0 = threadTimes();
    const t0 = nowMs();
    for (let start = 0; start < events; start += chunk) {
      const end = Math.min(events, start + chunk);
      for (let i = start; i < end; i++) capture(i);
      await tick();
    }
    const tCaptured = nowMs();
    if (floor !== undefined) await floor.drain();
    else await client.drain(timeoutMs);
    const tDrained = nowMs();
    let counts;
    let waitError;
    if (faults) {
      // Lost events never arrive: the SDK's drain resolving is the end; read the server's final counts.
      counts = await server.counts();
    } else {
      try {
        counts = await server.waitForEvents(events, timeoutMs);
      } catch (error) {
        waitError = error.message;
        counts = error.counts ?? (await server.counts());
      }
    }
    const tDone = nowMs();
    const threads = threadTimesSince(threads0);
    // Anything still arriving after the count was reached would be a duplicate or an excess event.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const final = await server.counts();
    const unique = final.events - final.duplicates;
    return {
      sdk,
      events,
      prewarm,
      inline,
      seconds: (tDone - t0) / 1000,
      eventsPerSec: events / ((tDone - t0) / 1000),
      captureSeconds: (tCaptured - t0) / 1000,
      drainSeconds: (tDrained - t0) / 1000,
      delivered: unique,
      lost: events - unique,
      duplicated: final.duplicates,
      accepted: final.events,
      requests: final.requests,
      countsAtDone: counts.events,
      waitError,
      sdkStats: client ? client.stats() : { failures: floor.failures() },
      refused: client ? client.refused() : 0,
      threads,
    };
  } finally {
    floor?.close();
    if (client) await client.shutdown();
    await server.stop();
  }
}
