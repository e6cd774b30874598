import { afterEach, describe, expect, it } from 'vitest';
import type { FlagDefinitionCacheProvider, FlagDefinitionsData } from '../../../src/flags/client/index.js';
import { closeAll, DEFINITIONS, ManualTimers, setup } from './helpers.js';

afterEach(closeAll);

const REQUEST_TIMEOUT = 777;
const INTERVAL = 1500;
/** Poll (and backoff) timers are at least the interval; request timeouts and shutdown deadlines are shorter. */
const isPoll = (ms: number) => ms >= INTERVAL;

async function polled(extra: { provider?: FlagDefinitionCacheProvider; secretKey?: string | null } = {}) {
  const timers = new ManualTimers();
  const h = await setup({
    secretKey: extra.secretKey === null ? undefined : (extra.secretKey ?? 'phs_secret'),
    server: { definitions: DEFINITIONS },
    options: {
      featureFlagsPollingInterval: INTERVAL,
      featureFlagsRequestTimeoutMs: 333,
      requestTimeout: REQUEST_TIMEOUT,
      ...(extra.provider ? { flagDefinitionCacheProvider: extra.provider } : {}),
    },
    platform: (p) => timers.wrap(p, isPoll),
    start: false,
  });
  return { h, timers };
}

/** Fires the pending poll timer and waits for the load it starts. */
async function poll(h: Awaited<ReturnType<typeof polled>>['h'], timers: ManualTimers): Promise<void> {
  const before = h.server.requests.length;
  expect(timers.fire(isPoll)).toBe(1);
  await h.server.waitForRequests(before + 1, { timeoutMs: 2000 });
  await h.controller.reloadFeatureFlags(); // joins the load in flight
}

const pollDelays = (timers: ManualTimers) => timers.delays.filter(isPoll);

describe('definitions poller', () => {
  it('GETs definitions with the secret key, stores the ETag and gets 304s', async () => {
    const { h, timers } = await polled();
    await h.controller.reloadFeatureFlags();
    const [first] = h.server.requests;
    expect(first?.path).toBe('/flags/definitions');
    expect(first?.query).toEqual({ token: 'phc_test', send_cohorts: '' });
    expect(first?.headers.authorization).toBe('Bearer phs_secret');
    expect(first?.headers['if-none-match']).toBeUndefined();
    expect(first?.status).toBe(200);
    await poll(h, timers);
    const second = h.server.requests[1];
    expect(second?.headers['if-none-match']).toMatch(/^".+"$/);
    expect(second?.status).toBe(304);
    expect(h.loaded).toEqual([6]);
    h.server.setFlagDefinitions({ flags: [DEFINITIONS.flags[0]] });
    await poll(h, timers);
    expect(h.server.requests[2]?.status).toBe(200);
    expect(h.loaded).toEqual([6, 1]);
    expect(pollDelays(timers)).toEqual([INTERVAL, INTERVAL, INTERVAL]);
    expect(await h.controller.getFeatureFlag('multi', 'u1', { onlyEvaluateLocally: true })).toBeUndefined();
    expect(h.controller.stats()).toMatchObject({
      definitionsRequests: 3,
      definitionsNotModified: 1,
      definitionsLoaded: 2,
      flagsRequests: 0,
    });
  });

  it('backs off on 401/403/429 (jittered, capped at 60 s), logs and reports once per state change, then recovers', async () => {
    const { h, timers } = await polled();
    await h.controller.reloadFeatureFlags();
    const statuses = [401, 401, 403, 429, 429, 401, 401, 401];
    for (const status of statuses) {
      h.server.script('definitions', { status });
      await poll(h, timers);
    }
    const delays = pollDelays(timers);
    // After each refused poll the next wait is in [interval * 2^n / 2, interval * 2^n], at most 60 s.
    const backoff = delays.slice(1);
    backoff.forEach((d, i) => {
      const step = Math.min(60_000, INTERVAL * 2 ** (i + 1));
      expect(d).toBeGreaterThanOrEqual(step / 2);
      expect(d).toBeLessThanOrEqual(step);
    });
    expect(Math.max(...backoff)).toBeLessThanOrEqual(60_000);
    expect(backoff.at(-1)).toBeGreaterThanOrEqual(30_000);
    const warnings = h.logs.filter((l) => l.level === 'warn').map((l) => l.message);
    // 401 -> 403 is the same state (unauthorized); 429 and back to 401 are changes: 3 lines for 8 polls.
    expect(warnings.filter((m) => m.includes('refused') || m.includes('rate limited'))).toHaveLength(3);
    expect(h.errors.map((e) => (e as { kind?: string }).kind)).toEqual([
      'definitions_unauthorized',
      'definitions_rate_limited',
      'definitions_unauthorized',
    ]);
    expect(await h.controller.getFeatureFlag('on', 'u1')).toBe(true); // last good definitions kept
    await poll(h, timers);
    expect(pollDelays(timers).at(-1)).toBe(INTERVAL);
    expect(h.logs.filter((l) => l.message.includes('recovered'))).toHaveLength(1);
  });

  it("waits at least a 429's Retry-After before polling again (up to 10 minutes), then backs off as before", async () => {
    const { h, timers } = await polled();
    await h.controller.reloadFeatureFlags();
    h.server.script('definitions', { status: 429, headers: { 'Retry-After': '120' } });
    await poll(h, timers);
    h.server.script('definitions', { status: 429, headers: { 'Retry-After': '86400' } });
    await poll(h, timers);
    h.server.script('definitions', { status: 401 });
    await poll(h, timers);
    const [afterFirst, afterSecond, afterRefusal] = pollDelays(timers).slice(1);
    expect(afterFirst).toBe(120_000); // past the 60 s backoff cap
    expect(afterSecond).toBe(600_000); // a day, capped
    expect(afterRefusal).toBeLessThanOrEqual(60_000); // a 401 carries no Retry-After: backoff alone
    await poll(h, timers);
    expect(pollDelays(timers).at(-1)).toBe(INTERVAL);
  });

  it('clears flags on 402 and keeps the last good definitions on 500 or network errors', async () => {
    const { h, timers } = await polled();
    await h.controller.reloadFeatureFlags();
    h.server.script('definitions', { status: 500 });
    await poll(h, timers);
    h.server.script('definitions', { reset: true });
    await poll(h, timers);
    expect(h.controller.isLocalEvaluationReady()).toBe(true);
    expect(await h.controller.getFeatureFlag('on', 'u1', { onlyEvaluateLocally: true })).toBe(true);
    expect(
      h.logs.filter((l) => l.level === 'warn' && !l.message.includes('never be evaluated')),
    ).toHaveLength(1);
    h.server.script('definitions', { status: 402 });
    await poll(h, timers);
    expect(h.controller.isLocalEvaluationReady()).toBe(false);
    expect(await h.controller.getFeatureFlag('on', 'u1', { onlyEvaluateLocally: true })).toBeUndefined();
    expect(h.errors.map((e) => (e as { kind?: string }).kind)).toContain('definitions_quota_limited');
    await poll(h, timers);
    expect(h.server.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
    expect(h.controller.isLocalEvaluationReady()).toBe(true);
  });

  it('reports an invalid 200 body and keeps the definitions', async () => {
    const { h, timers } = await polled();
    await h.controller.reloadFeatureFlags();
    h.server.script('definitions', { body: { nope: true } });
    await poll(h, timers);
    expect(h.errors.map((e) => (e as { kind?: string }).kind)).toEqual(['definitions_invalid']);
    expect(h.controller.isLocalEvaluationReady()).toBe(true);
  });

  it('stops polling at shutdown and resolves waiters', async () => {
    const { h, timers } = await polled();
    const waiting = h.controller.waitForLocalEvaluationReady(500);
    await h.controller.reloadFeatureFlags();
    expect(await waiting).toBe(true);
    await h.controller.shutdown();
    expect(timers.pending.size).toBe(0);
    expect(await h.controller.getFeatureFlagResult('on', 'u1')).toMatchObject({ errorKind: 'shutdown' });
  });
});

function memoryProvider(initial?: FlagDefinitionsData) {
  const calls: string[] = [];
  let stored = initial;
  let should = true;
  let fail: string | undefined;
  const provider: FlagDefinitionCacheProvider & {
    calls: string[];
    set(v: boolean): void;
    failOn(m: string | undefined): void;
    stored(): FlagDefinitionsData | undefined;
  } = {
    calls,
    set: (v) => {
      should = v;
    },
    failOn: (m) => {
      fail = m;
    },
    stored: () => stored,
    async getFlagDefinitions() {
      calls.push('get');
      if (fail === 'get') throw new Error('boom');
      return stored;
    },
    shouldFetchFlagDefinitions() {
      calls.push('should');
      if (fail === 'should') throw new Error('boom');
      return should;
    },
    async onFlagDefinitionsReceived(data) {
      calls.push('received');
      if (fail === 'received') throw new Error('boom');
      stored = data;
    },
    shutdown() {
      calls.push('shutdown');
      return new Promise<void>(() => {}); // never settles: shutdown must not wait for it past its deadline
    },
  };
  return provider;
}

describe('FlagDefinitionCacheProvider', () => {
  it('fetches when allowed and stores, reads the cache otherwise', async () => {
    const provider = memoryProvider();
    const { h, timers } = await polled({ provider });
    await h.controller.reloadFeatureFlags();
    expect(provider.calls).toEqual(['should', 'received']);
    expect(provider.stored()).toMatchObject({
      flags: expect.any(Array),
      group_type_mapping: { '0': 'company' },
      groupTypeMapping: { '0': 'company' },
    });
    provider.set(false);
    provider.calls.length = 0;
    expect(timers.fire(isPoll)).toBe(1);
    await h.controller.reloadFeatureFlags(); // joins the cache read the timer started
    expect(provider.calls).toEqual(['should', 'get']);
    expect(h.server.requests.filter((r) => r.route === 'definitions')).toHaveLength(1);
    expect(h.loaded).toEqual([6, 6]);
    // An approved fetch answered 304 stores the definitions it confirmed again.
    provider.set(true);
    provider.calls.length = 0;
    await poll(h, timers);
    expect(h.server.requests.at(-1)?.status).toBe(304);
    expect(provider.calls).toEqual(['should', 'received']);
    expect(provider.stored()?.flags).toHaveLength(6);
  });

  it('fetches anyway on a cache miss with nothing loaded, and when shouldFetch throws; errors never break evaluation', async () => {
    const provider = memoryProvider();
    provider.set(false);
    const { h, timers } = await polled({ provider });
    await h.controller.reloadFeatureFlags();
    expect(provider.calls).toEqual(['should', 'get']);
    expect(h.server.requests.filter((r) => r.route === 'definitions')).toHaveLength(1);
    expect(provider.stored()).toBeUndefined(); // not an approved fetch: nothing written
    provider.failOn('should');
    await poll(h, timers);
    expect(h.server.requests.filter((r) => r.route === 'definitions')).toHaveLength(2);
    provider.failOn('received');
    provider.set(true);
    h.server.setFlagDefinitions({ flags: [] });
    await poll(h, timers);
    expect(h.errors.every((e) => (e as { kind?: string }).kind === 'cache_provider')).toBe(true);
    expect(h.errors).toHaveLength(2);
    expect(await h.controller.getFeatureFlag('on', 'u1', { onlyEvaluateLocally: true })).toBeUndefined();
  });

  it('reads the provider when a fetch fails with nothing fetched yet, and only then', async () => {
    const provider = memoryProvider({ flags: [DEFINITIONS.flags[0]] });
    const { h, timers } = await polled({ provider });
    h.server.script('definitions', { status: 503 });
    await h.controller.reloadFeatureFlags();
    expect(provider.calls).toEqual(['should', 'get']);
    expect(h.loaded).toEqual([1]); // the provider's one flag
    expect(await h.controller.getFeatureFlag('on', 'u1', { onlyEvaluateLocally: true })).toBe(true);
    await poll(h, timers); // a fetch that succeeds replaces it and is stored
    expect(h.loaded).toEqual([1, 6]);
    provider.calls.length = 0;
    h.server.script('definitions', { status: 503 });
    await poll(h, timers); // fails: the fetched definitions stay, the provider is not read
    expect(provider.calls).toEqual(['should']);
    expect(h.loaded).toEqual([1, 6]);
    h.server.script('definitions', { status: 402 }, { status: 503 });
    await poll(h, timers); // quota limited: flags are cleared ...
    await poll(h, timers); // ... and a failure then does not bring the provider's back
    expect(provider.calls).toEqual(['should', 'should', 'should']);
    expect(await h.controller.getFeatureFlag('on', 'u1', { onlyEvaluateLocally: true })).toBeUndefined();
  });

  it('does not read the provider after shutdown when shutdown cut a fetch short', async () => {
    const provider = memoryProvider({ flags: [DEFINITIONS.flags[0]] });
    provider.shutdown = () => {
      provider.calls.push('shutdown');
    };
    const { h } = await polled({ provider });
    h.server.script('definitions', { hang: true });
    const load = h.controller.reloadFeatureFlags();
    await h.server.waitForRequests(1, { timeoutMs: 2000 });
    await h.controller.shutdown(100);
    await load;
    expect(provider.calls).toEqual(['should', 'shutdown']);
  });

  it('is a cache-only reader without a secret key, and shutdown is bounded', async () => {
    const provider = memoryProvider({ flags: DEFINITIONS.flags, groupTypeMapping: { '0': 'company' } });
    const { h } = await polled({ provider, secretKey: null });
    expect(
      await h.controller.getFeatureFlag('company-flag', 'u1', {
        groups: { company: 'x' },
        onlyEvaluateLocally: true,
      }),
    ).toBe(true);
    expect(provider.calls).toEqual(['get']);
    expect(h.server.requests).toHaveLength(0);
    const t = Date.now();
    await h.controller.shutdown(100);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(provider.calls).toContain('shutdown');
  });
});
