import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatureFlagError, PostHog } from '../../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../../src/testing/index.js';

/** Flag calls never throw nor reject, whatever their arguments; ordinary application data works. */

const ON = {
  flags: [
    { id: 1, key: 'on', active: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
  ],
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const hostile = new Proxy(
  {},
  {
    get() {
      throw new Error('trap');
    },
    ownKeys() {
      throw new Error('trap');
    },
  },
);

let server: LocalPostHog;
let clients: PostHog[];
let errors: FeatureFlagError[];

beforeEach(async () => {
  server = await startLocalPostHog({ definitions: ON });
  server.setFlagsResponse(() => ({ flags: { on: { key: 'on', enabled: true } } }));
  clients = [];
  errors = [];
});

afterEach(async () => {
  await Promise.all(clients.map((client) => client.shutdown(1000)));
  await server.stop();
});

function client(local: boolean): PostHog {
  const ph = new PostHog('phc_test', {
    host: server.url,
    logger: silent,
    ...(local ? { secretKey: 'phx_test', featureFlagsPollingInterval: null } : {}),
  });
  ph.on('error', (error) => {
    if (error instanceof FeatureFlagError) errors.push(error);
  });
  clients.push(ph);
  return ph;
}

describe('flag calls on awkward application data', () => {
  it('sends BigInt and cyclic person and group properties to /flags, normalised', async () => {
    const remote = client(false);
    const cyclic: Record<string, unknown> = { plan: 'pro' };
    cyclic.self = cyclic;
    expect(await remote.getFeatureFlag('on', 'u', { personProperties: { id: 42n } })).toBe(true);
    expect(await remote.isFeatureEnabled('on', 'u', { personProperties: cyclic })).toBe(true);
    expect(
      await remote.getAllFlags('u', {
        groups: { company: 'acme' },
        groupProperties: { company: { seats: 10n } },
      }),
    ).toEqual({ on: true });
    const bodies = server.requests
      .filter((r) => r.route === 'flags')
      .map((r) => r.body as { person_properties?: unknown; group_properties: Record<string, unknown> });
    expect(bodies[0]?.person_properties).toEqual({ id: '42' });
    expect(bodies[1]?.person_properties).toEqual({ plan: 'pro', self: '[Circular]' });
    expect(bodies[2]?.group_properties.company).toMatchObject({ seats: '10', $group_key: 'acme' });
    expect(errors).toEqual([]);
  });

  it('reads groups: null as no groups, locally and remotely', async () => {
    for (const ph of [client(false), client(true)]) {
      await ph.waitForLocalEvaluationReady(1000);
      expect(await ph.getFeatureFlag('on', 'u', { groups: null as never })).toBe(true);
      expect((await ph.getFeatureFlagResult('on', 'u', { groups: null as never }))?.value).toBe(true);
    }
    expect(errors).toEqual([]);
  });

  it('takes one flag key given as a string for flagKeys', async () => {
    const local = client(true);
    await local.waitForLocalEvaluationReady(1000);
    expect(await local.getAllFlags('u', { flagKeys: 'on' as never })).toEqual({ on: true });
    expect((await local.evaluateFlags('u', { flagKeys: 'on' as never })).keys).toEqual(['on']);
  });

  it('reads flagKeys: [] as posthog-node does, and keeps only the keys asked for from /flags', async () => {
    const remote = client(false);
    // This server answers for every flag, whatever flag_keys_to_evaluate says.
    server.setFlagsResponse(() => ({
      flags: { on: { key: 'on', enabled: true }, other: { key: 'other', enabled: true } },
    }));
    // evaluateFlags: no flag asked for, nothing evaluated and no request.
    expect((await remote.evaluateFlags('u', { flagKeys: [] })).keys).toEqual([]);
    expect(server.requests.filter((r) => r.route === 'flags')).toHaveLength(0);
    // getAllFlags: an empty list filters nothing.
    expect(await remote.getAllFlags('u', { flagKeys: [] })).toEqual({ on: true, other: true });
    expect(await remote.getAllFlags('u', { flagKeys: ['on'] })).toEqual({ on: true });
  });
});

describe('flag calls on arguments that cannot be read', () => {
  it('resolve with no value and report a flag_call error, never throwing or rejecting', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const ph of [client(false), client(true)]) {
        await ph.waitForLocalEvaluationReady(1000);
        const calls: Array<() => Promise<unknown>> = [
          () => ph.getFeatureFlag('on', 'u', hostile as never),
          () => ph.isFeatureEnabled(hostile as never),
          () => ph.getFeatureFlagResult(hostile as never),
          () => ph.getFeatureFlagResult('on', 'u', { personProperties: hostile as never }),
          () => ph.getFeatureFlagPayload('on', 'u', Object.create(null) as never),
          () => ph.getAllFlags(hostile as never),
          () => ph.getAllFlags('u', { groups: hostile as never }),
          () => ph.getAllFlagsAndPayloads(hostile as never),
        ];
        for (const call of calls) {
          let result: unknown;
          expect(() => {
            result = call();
          }).not.toThrow();
          await expect(result).resolves.not.toBe('unreachable');
        }
        const snapshot = await ph.evaluateFlags(hostile as never);
        expect(snapshot.keys).toEqual([]);
        expect(() => ph.overrideFeatureFlags(hostile as never)).not.toThrow();
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((error) => error.kind === 'flag_call')).toBe(true);
      expect(errors[0]?.message).toMatch(/failed and returned no value: trap/);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('snapshot reads take what they can of odd keys, never throwing', async () => {
    const local = client(true);
    await local.waitForLocalEvaluationReady(1000);
    const snapshot = await local.evaluateFlags('u');
    expect(snapshot.only('on' as never).keys).toEqual(['on']);
    expect(snapshot.only(hostile as never).keys).toEqual([]);
    expect(snapshot.getFlag(Object.create(null) as never)).toBeUndefined();
    expect(snapshot.isEnabled(42 as never)).toBe(false);
    expect(snapshot.getFlagPayload(Object.create(null) as never)).toBeUndefined();
  });
});
