import { describe, expect, it } from 'vitest';
import { PostHog } from '../../src/index.js';
import { silentLogger, useLocalServer } from '../helpers/local-server.js';

/**
 * The serverless `waitUntil` option (posthog-node's), against the local server over loopback: what is handed to
 * the runtime, when the flush starts, and that every event is delivered by the time the handed promise settles.
 */

// flushAt and flushInterval far away: only the waitUntil cycle can send.
const local = useLocalServer({ flushAt: 1000, flushInterval: 60_000 });
const make = local.client;

/** A fake runtime: records what it is asked to keep alive and when each promise settled. */
function runtime() {
  const handed: Array<{ at: number; settledAt?: number; delivered?: number }> = [];
  const settled: Promise<unknown>[] = [];
  const waitUntil = (promise: Promise<unknown>) => {
    const entry: (typeof handed)[number] = { at: Date.now() };
    handed.push(entry);
    settled.push(
      promise.then(() => {
        entry.settledAt = Date.now();
        entry.delivered = local.server.events.length;
      }),
    );
  };
  return { handed, waitUntil, all: () => Promise.all(settled), first: () => settled[0] };
}

describe('waitUntil', () => {
  it('hands one promise per burst to the runtime; it settles once the burst is delivered', async () => {
    const rt = runtime();
    const ph = make({ waitUntil: rt.waitUntil, waitUntilDebounceMs: 30 });
    for (let i = 0; i < 5; i++) ph.capture({ distinctId: 'u', event: `e${i}` });
    expect(rt.handed).toHaveLength(1); // handed at the first capture, before any flush
    expect(local.server.events).toHaveLength(0);
    await rt.all();
    expect(rt.handed[0]?.delivered).toBe(5);
    // A later burst opens a new cycle.
    ph.capture({ distinctId: 'u', event: 'later' });
    expect(rt.handed).toHaveLength(2);
    await rt.all();
    expect(rt.handed[1]?.delivered).toBe(6);
  });

  it('debounces: each capture pushes the flush back, up to waitUntilMaxWaitMs after the first', async () => {
    const rt = runtime();
    const ph = make({ waitUntil: rt.waitUntil, waitUntilDebounceMs: 40, waitUntilMaxWaitMs: 300 });
    const start = Date.now();
    ph.capture({ distinctId: 'u', event: 'first' });
    // A capture every 10 ms never leaves 40 ms of quiet: only the max wait ends the cycle.
    const timer = setInterval(() => ph.capture({ distinctId: 'u', event: 'tick' }), 10);
    try {
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(local.server.events).toHaveLength(0); // still debouncing
      await rt.first();
    } finally {
      clearInterval(timer);
    }
    const first = rt.handed[0];
    expect((first?.settledAt ?? 0) - start).toBeGreaterThanOrEqual(300);
    expect((first?.settledAt ?? 0) - start).toBeLessThan(3000);
    expect(first?.delivered).toBeGreaterThan(3);
  });

  it('hands a flush() called outside a cycle to the runtime, and none inside one', async () => {
    const rt = runtime();
    const ph = make({ waitUntil: rt.waitUntil, waitUntilDebounceMs: 5000 });
    await ph.flush();
    expect(rt.handed).toHaveLength(1);
    ph.capture({ distinctId: 'u', event: 'e' });
    expect(rt.handed).toHaveLength(2);
    void ph.flush(); // inside the open cycle: the cycle's promise already keeps the runtime up
    expect(rt.handed).toHaveLength(2);
  });

  it('shutdown settles an open cycle once the drain is over', async () => {
    const rt = runtime();
    const ph = make({ waitUntil: rt.waitUntil, waitUntilDebounceMs: 60_000 });
    ph.capture({ distinctId: 'u', event: 'e' });
    await ph.shutdown(5000);
    await rt.all();
    expect(rt.handed[0]?.delivered).toBe(1);
  });

  it('keeps the runtime up from the moment a capture will queue its event later, until it is delivered', async () => {
    local.server.setFlagsResponse({ featureFlags: { beta: true } });
    const rt = runtime();
    const ph = make({ waitUntil: rt.waitUntil, waitUntilDebounceMs: 10 });
    ph.capture({ distinctId: 'u', event: 'with flags', sendFeatureFlags: true });
    expect(rt.handed).toHaveLength(1); // at the call, before /flags answered
    await rt.all();
    expect(rt.handed[0]?.delivered).toBe(1);
    expect(local.server.events[0]?.properties?.['$feature/beta']).toBe(true);
    ph.captureException(new Error('later'), 'u');
    expect(rt.handed).toHaveLength(2);
    await rt.all();
    expect(rt.handed[1]?.delivered).toBe(2);
  });

  it('hands over the shutdown drain, and opens no cycle after it', async () => {
    const rt = runtime();
    const ph = make({ waitUntil: rt.waitUntil });
    const done = ph.shutdown(1000);
    expect(rt.handed).toHaveLength(1);
    await done;
    expect(ph.capture({ distinctId: 'u', event: 'late' }).ok).toBe(false); // closed
    expect(rt.handed).toHaveLength(1);
  });

  it('hands nothing over for a disabled or opted-out client', async () => {
    const rt = runtime();
    const off = make({ waitUntil: rt.waitUntil, defaultOptIn: false });
    off.capture({ distinctId: 'u', event: 'dropped' });
    const disabled = new PostHog('phc_test', { waitUntil: rt.waitUntil, disabled: true });
    disabled.capture({ distinctId: 'u', event: 'dropped' });
    expect(rt.handed).toHaveLength(0);
    await disabled.shutdown();
  });

  it('a throwing waitUntil is reported once and capture goes on', async () => {
    const errors: string[] = [];
    const ph = make({
      waitUntil: () => {
        throw new Error('not in a request');
      },
      logger: { ...silentLogger, error: (m: string) => errors.push(m) },
    });
    expect(ph.capture({ distinctId: 'u', event: 'a' }).ok).toBe(true);
    expect(ph.capture({ distinctId: 'u', event: 'b' }).ok).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('not in a request');
    await ph.flush();
    expect(local.server.events).toHaveLength(2);
  });

  it('rejects a waitUntil that is not a function, naming the option', () => {
    expect(() => new PostHog('phc_test', { waitUntil: 'yes' as never })).toThrow(/waitUntil/);
    expect(() => new PostHog('phc_test', { waitUntilDebounceMs: 'x' as never })).toThrow(
      /waitUntilDebounceMs/,
    );
    // Any number is a usable delay: negative ones read as 0, as posthog-node clamps them.
    const clamped = new PostHog('phc_test', {
      waitUntilDebounceMs: -1,
      waitUntilMaxWaitMs: 12.5,
      disabled: true,
    });
    expect(clamped.isDisabled).toBe(true);
  });
});

describe('defaultOptIn', () => {
  it('false starts opted out until enable()', async () => {
    const ph = make({ defaultOptIn: false });
    expect(ph.optedOut).toBe(true);
    expect(ph.capture({ distinctId: 'u', event: 'dropped' }).ok).toBe(false);
    await ph.enable();
    expect(ph.capture({ distinctId: 'u', event: 'kept' }).ok).toBe(true);
    await ph.flush();
    expect(local.server.events.map((e) => e.event)).toEqual(['kept']);
  });
});
