import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveFlagOptions } from '../../src/flags/client/index.js';
import {
  PostHog,
  type PostHogOptions,
  setupExpressErrorHandler,
  setupExpressRequestContext,
  uuidv7,
} from '../../src/index.js';
import * as express from '../../src/integrations/express.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';
import { VERSION } from '../../src/version.js';

/**
 * posthog-node's calling forms, as its users write them, with only the import changed. The type-check of this
 * file (`npm run typecheck` covers test/) is half of the test: each call below is one of posthog-node 5.70's
 * signatures, and a form posthog-ts lacks fails the build.
 */

const ROLLOUT = {
  flags: [
    {
      id: 1,
      key: 'half',
      active: true,
      filters: { groups: [{ properties: [], rollout_percentage: 50 }], payloads: { true: '{"p":1}' } },
    },
  ],
};

let server: LocalPostHog;
let client: PostHog | undefined;
let warnings: string[];

beforeEach(async () => {
  server = await startLocalPostHog();
  server.setFlagDefinitions(ROLLOUT);
  warnings = [];
});

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  await server.stop();
});

function make(options: PostHogOptions = {}): PostHog {
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  client = new PostHog('phc_test', { host: server.url, secretKey: 'phs_secret', logger, ...options });
  return client;
}

/** Two distinct ids the 50% rollout puts on opposite sides, found by explicit calls. */
async function splitIds(ph: PostHog): Promise<{ inId: string; outId: string }> {
  let inId: string | undefined;
  let outId: string | undefined;
  for (let i = 0; (inId === undefined || outId === undefined) && i < 200; i++) {
    const id = `user-${i}`;
    if (await ph.getFeatureFlag('half', id, { sendFeatureFlagEvents: false })) inId ??= id;
    else outId ??= id;
  }
  if (inId === undefined || outId === undefined) throw new Error('no split found');
  return { inId, outId };
}

describe('posthog-node calling forms', () => {
  it('getFeatureFlagResult(key) and (key, options) take the distinct id from withContext', async () => {
    const ph = make();
    expect(await ph.waitForLocalEvaluationReady(5000)).toBe(true);
    const { inId, outId } = await splitIds(ph);
    for (const [id, enabled] of [
      [inId, true],
      [outId, false],
    ] as const) {
      const viaContext = await ph.withContext({ distinctId: id }, () => ph.getFeatureFlagResult('half'));
      expect(viaContext).toMatchObject({ key: 'half', enabled });
      const withOptions = await ph.withContext({ distinctId: id }, () =>
        ph.getFeatureFlagResult('half', { sendFeatureFlagEvents: false }),
      );
      expect(withOptions).toEqual(
        await ph.getFeatureFlagResult('half', id, { sendFeatureFlagEvents: false }),
      );
    }
    // An explicit distinct id wins over the context's.
    const explicit = await ph.withContext({ distinctId: outId }, () => ph.getFeatureFlagResult('half', inId));
    expect(explicit?.enabled).toBe(true);
    // $feature_flag_called goes out for the context's person.
    await ph.flush();
    expect(server.eventsNamed('$feature_flag_called').map((e) => e.distinct_id)).toContain(outId);
  });

  it('getAllFlags / getAllFlagsAndPayloads / evaluateFlags with no distinct id use the context, and options still apply', async () => {
    const ph = make();
    await ph.waitForLocalEvaluationReady(5000);
    const { inId } = await splitIds(ph);
    await ph.withContext({ distinctId: inId }, async () => {
      expect(await ph.getAllFlags()).toEqual({ half: true });
      expect(await ph.getAllFlags({ flagKeys: [] })).toEqual({});
      expect(await ph.getAllFlagsAndPayloads()).toEqual({
        featureFlags: { half: true },
        featureFlagPayloads: { half: { p: 1 } },
      });
      const snapshot = await ph.evaluateFlags({ onlyEvaluateLocally: true });
      expect(snapshot.isEnabled('half')).toBe(true);
      // The request-object form without a distinct id resolves the same way.
      expect(await ph.getAllFlags({ onlyEvaluateLocally: true })).toEqual({ half: true });
    });
    expect(warnings).toEqual([]);
  });

  it('with no distinct id anywhere: no flags, no request, one warning naming the fix', async () => {
    const ph = make();
    await ph.waitForLocalEvaluationReady(5000);
    expect(await ph.getAllFlags()).toEqual({});
    expect(await ph.getAllFlagsAndPayloads({ groups: { company: 'c' } })).toEqual({
      featureFlags: {},
      featureFlagPayloads: {},
    });
    expect((await ph.evaluateFlags()).keys).toEqual([]);
    expect(await ph.getFeatureFlagResult('half')).toBeUndefined();
    expect(server.requests.filter((r) => r.route === 'flags')).toHaveLength(0);
    expect(warnings.filter((w) => w.includes('withContext'))).toHaveLength(2);
  });

  it('captureException and captureExceptionImmediate take a flag snapshot as their last argument', async () => {
    const ph = make();
    await ph.waitForLocalEvaluationReady(5000);
    const { inId } = await splitIds(ph);
    const flags = await ph.evaluateFlags(inId);
    ph.captureException(new Error('queued'), inId, { where: 'queue' }, uuidv7(), flags);
    await ph.captureExceptionImmediate(new Error('now'), inId, { $active_feature_flags: ['mine'] }, flags);
    await ph.flush();
    const events = server.eventsNamed('$exception');
    expect(events).toHaveLength(2);
    const queued = events.find((e) => e.properties?.where === 'queue');
    expect(queued?.properties).toMatchObject({ '$feature/half': true, $active_feature_flags: ['half'] });
    const now = events.find((e) => e.properties?.where === undefined);
    // The caller's own properties win over the snapshot's.
    expect(now?.properties).toMatchObject({ '$feature/half': true, $active_feature_flags: ['mine'] });
  });

  it('a flags argument that is not a snapshot adds nothing and never throws; the event still goes out', async () => {
    const ph = make();
    expect(() => ph.captureException(new Error('a'), 'u', {}, undefined, null as never)).not.toThrow();
    await expect(ph.captureExceptionImmediate(new Error('b'), 'u', {}, {} as never)).resolves.toMatchObject({
      ok: true,
    });
    expect(ph.capture({ distinctId: 'u', event: 'c', flags: null as never }).ok).toBe(true);
    const broken = {
      eventProperties: () => {
        throw new Error('broken');
      },
    };
    expect(ph.capture({ distinctId: 'u', event: 'd', flags: broken as never }).ok).toBe(true);
    await ph.flush();
    expect(server.events.map((e) => e.event).sort()).toEqual(['$exception', '$exception', 'c', 'd']);
  });

  it('takes a numeric distinct id in every calling form', async () => {
    const ph = make();
    await ph.waitForLocalEvaluationReady(5000);
    const expected = await ph.getAllFlags('42');
    expect(await ph.getAllFlags({ distinctId: 42 as never })).toEqual(expected);
    expect((await ph.evaluateFlags({ distinctId: 42 as never })).keys).toEqual(['half']);
    expect(await ph.getFeatureFlagResult('half', 42 as never)).toEqual(
      await ph.getFeatureFlagResult('half', '42'),
    );
  });

  it('enable() and disable() return promises, and optedOut reflects them', async () => {
    const ph = make();
    expect(ph.optedOut).toBe(false);
    await ph.disable();
    expect(ph.optedOut).toBe(true);
    expect(ph.isDisabled).toBe(true);
    expect(ph.capture({ distinctId: 'u', event: 'dropped' }).ok).toBe(false);
    await ph.enable().then(() => undefined);
    expect(ph.optedOut).toBe(false);
    expect(ph.capture({ distinctId: 'u', event: 'kept' }).ok).toBe(true);
    await ph.flush();
    expect(server.events.map((e) => e.event)).toEqual(['kept']);
  });

  it('sends through the global fetch passed as the fetch option, and through a fake whose responses have no headers', async () => {
    const viaFetch = make({ fetch: globalThis.fetch, flushAt: 1 });
    viaFetch.capture({ distinctId: 'u', event: 'via fetch' });
    await viaFetch.shutdown();
    expect(server.events.map((e) => e.event)).toEqual(['via fetch']);
    let calls = 0;
    const fake = make({
      fetchRetryDelay: 1,
      // posthog-node's fetch type lets a response leave out headers: a 503 is still retried, then accepted.
      fetch: async (url) => {
        if (!url.endsWith('/batch/')) return { status: 404, text: async () => '' }; // flag definitions
        return { status: ++calls === 1 ? 503 : 200, text: async () => '{}' };
      },
    });
    fake.capture({ distinctId: 'u', event: 'fake' });
    await fake.flush();
    expect(calls).toBe(2);
    expect(fake.stats()).toMatchObject({ delivered: 1, retries: 1 });
  });

  it('featureFlagsPollingInterval: null loads definitions once, as posthog-node turns polling off', async () => {
    const ph = make({ featureFlagsPollingInterval: null });
    // The poller schedules no reload for an interval of 0; null resolves to it.
    expect(resolveFlagOptions({ featureFlagsPollingInterval: null }).pollingInterval).toBe(0);
    expect(resolveFlagOptions({ featureFlagsPollingInterval: 5 }).pollingInterval).toBe(100);
    expect(await ph.waitForLocalEvaluationReady(5000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests.filter((r) => r.route === 'definitions')).toHaveLength(1);
    expect(await ph.getFeatureFlag('half', 'user-1', { onlyEvaluateLocally: true })).toBeTypeOf('boolean');
  });

  it('exposes options, host, getLibraryId() and getLibraryVersion()', () => {
    const options = { host: `${server.url}/`, flushAt: 7 };
    const ph = make(options);
    expect(ph.options).toMatchObject({ host: server.url, flushAt: 7 });
    expect(Object.isFrozen(ph.options)).toBe(true);
    options.flushAt = 8; // the caller's object is not the client's
    expect(ph.options.flushAt).toBe(7);
    expect(ph.host).toBe(server.url);
    expect(new PostHog('phc_x', { disabled: true }).options.host).toBe('https://us.i.posthog.com');
    expect(ph.getLibraryId()).toBe('posthog-ts');
    expect(ph.getLibraryVersion()).toBe(VERSION);
  });

  it('exports uuidv7() and the Express helpers from the main entry', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids); // strictly increasing within a process
    expect(setupExpressRequestContext).toBe(express.setupExpressRequestContext);
    expect(setupExpressErrorHandler).toBe(express.setupExpressErrorHandler);
  });
});
