import { describe, expect, it } from 'vitest';
import { PostHog } from '../../../src/index.js';
import { silentLogger, useLocalServer } from '../../helpers/local-server.js';
import { DEFINITIONS } from './helpers.js';

const local = useLocalServer();
const make = local.client;

const flagsCalls = () => local.server.requests.filter((r) => r.route === 'flags');

describe('flag methods on the client', () => {
  it('evaluates locally from definitions and sends one $feature_flag_called per value', async () => {
    local.server.setFlagDefinitions(DEFINITIONS);
    const ph = make({ secretKey: 'phs_secret' });
    expect(await ph.waitForLocalEvaluationReady(5000)).toBe(true);
    expect(await ph.getFeatureFlag('on', 'user-1')).toBe(true);
    expect(await ph.isFeatureEnabled({ key: 'on', distinctId: 'user-1' })).toBe(true);
    expect(await ph.getFeatureFlagPayload('on', 'user-1')).toEqual({ a: 1 });
    await ph.flush();
    expect(flagsCalls()).toHaveLength(0);
    const called = local.server.eventsNamed('$feature_flag_called');
    expect(called).toHaveLength(1);
    expect(called[0]?.properties).toMatchObject({
      $feature_flag: 'on',
      $feature_flag_response: true,
      locally_evaluated: true,
      $lib: 'posthog-ts',
    });
  });

  it('asks /flags when there are no definitions, with the body the harness expects', async () => {
    local.server.setFlagsResponse({ featureFlags: { 'remote-flag': 'variant-a' } });
    const ph = make();
    expect(await ph.getFeatureFlag('remote-flag', 'user-1', { personProperties: { $device_id: 'd1' } })).toBe(
      'variant-a',
    );
    const [call] = flagsCalls();
    expect(call?.path).toBe('/flags/');
    expect(call?.query).toMatchObject({ v: '2' });
    expect(call?.headers).not.toHaveProperty('authorization');
    expect(call?.body).toMatchObject({
      token: 'phc_test',
      distinct_id: 'user-1',
      groups: {},
      group_properties: {},
      geoip_disable: false,
      flag_keys_to_evaluate: ['remote-flag'],
      person_properties: { $device_id: 'd1' },
    });
  });

  it("an explicit client disableGeoip applies to /flags too; a call's own disableGeoip wins", async () => {
    local.server.setFlagsResponse({ featureFlags: { f: true } });
    const off = make({ disableGeoip: true });
    await off.getFeatureFlag('f', 'user-1');
    await off.getFeatureFlag('f', 'user-2', { disableGeoip: false });
    const on = make({ disableGeoip: false });
    await on.getFeatureFlag('f', 'user-3');
    expect(flagsCalls().map((call) => (call.body as { geoip_disable?: unknown }).geoip_disable)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('returns a reason instead of throwing when /flags is down, and never waits past its timeout', async () => {
    local.server.script('flags', { hang: true }, { hang: true });
    const ph = make({ featureFlagsRequestTimeoutMs: 300 });
    const started = Date.now();
    const result = await ph.getFeatureFlagResult('any', 'user-1');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result?.value).toBeUndefined();
    expect(result?.errorKind).toBe('timeout');
  });

  it('capture({ flags }) carries the snapshot values without a network call', async () => {
    local.server.setFlagDefinitions(DEFINITIONS);
    const ph = make({ secretKey: 'phs_secret' });
    await ph.waitForLocalEvaluationReady(5000);
    const snapshot = await ph.evaluateFlags('user-1', { onlyEvaluateLocally: true });
    ph.capture({ distinctId: 'user-1', event: 'checkout', flags: snapshot });
    ph.capture({
      distinctId: 'user-1',
      event: 'local only',
      sendFeatureFlags: { onlyEvaluateLocally: true },
    });
    await ph.flush();
    expect(flagsCalls()).toHaveLength(0);
    const [checkout] = local.server.eventsNamed('checkout');
    expect(checkout?.properties).toMatchObject({ '$feature/on': true });
    expect(checkout?.properties?.$active_feature_flags).toContain('on');
    expect(local.server.eventsNamed('local only')[0]?.properties).toMatchObject({ '$feature/on': true });
  });

  it('capture({ sendFeatureFlags: true }) without definitions makes one /flags call, then queues the event', async () => {
    local.server.setFlagsResponse({ featureFlags: { beta: true } });
    const ph = make();
    const result = ph.capture({ distinctId: 'user-1', event: 'with flags', sendFeatureFlags: true });
    expect(result.ok).toBe(true);
    await ph.flush();
    const [event] = local.server.eventsNamed('with flags');
    expect(event?.uuid).toBe(result.ok ? result.uuid : '');
    expect(event?.properties).toMatchObject({ '$feature/beta': true, $active_feature_flags: ['beta'] });
  });

  it('explains how a value was reached', async () => {
    local.server.setFlagDefinitions(DEFINITIONS);
    const ph = make({ secretKey: 'phs_secret' });
    await ph.waitForLocalEvaluationReady(5000);
    const explanation = await ph.explainFeatureFlag('on', 'user-1');
    expect(explanation.found).toBe(true);
    expect(explanation.lines.join('\n')).toMatch(/rollout/i);
  });

  it('reports the evaluation runtime of loaded flags without a request', async () => {
    local.server.setFlagDefinitions({
      flags: [
        { id: 1, key: 'server-only', active: true, evaluation_runtime: 'server', filters: { groups: [] } },
        { id: 2, key: 'client-only', active: true, evaluation_runtime: 'client', filters: { groups: [] } },
        { id: 3, key: 'anywhere', active: true, filters: { groups: [] } },
      ],
    });
    const ph = make({ secretKey: 'phs_secret' });
    await ph.waitForLocalEvaluationReady(5000);
    const requests = local.server.requests.length;
    expect(ph.getFeatureFlagEvaluationRuntime('server-only')).toBe('server');
    expect(ph.getFeatureFlagEvaluationRuntime('anywhere')).toBe('all');
    expect(ph.getFeatureFlagEvaluationRuntime('missing')).toBeUndefined();
    expect(ph.getFeatureFlagKeysByEvaluationRuntime('server').sort()).toEqual(['anywhere', 'server-only']);
    expect(ph.getFeatureFlagKeysByEvaluationRuntime('client').sort()).toEqual(['anywhere', 'client-only']);
    expect(local.server.requests.length).toBe(requests);
  });

  it('a cache provider that never answers cannot stall loading: its calls time out and the SDK fetches', async () => {
    local.server.setFlagDefinitions(DEFINITIONS);
    const never = () => new Promise<never>(() => {});
    const ph = make({
      secretKey: 'phs_secret',
      requestTimeout: 200,
      flagDefinitionCacheProvider: {
        shouldFetchFlagDefinitions: never,
        getFlagDefinitions: never,
        onFlagDefinitionsReceived: never,
        shutdown: () => {},
      },
    });
    const started = Date.now();
    expect(await ph.waitForLocalEvaluationReady(5000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a disabled client answers flag calls with nothing, without network', async () => {
    const client = new PostHog('', { host: local.server.url, logger: silentLogger });
    expect(await client.getFeatureFlag('on', 'u')).toBeUndefined();
    expect(await client.getAllFlags('u')).toEqual({});
    expect((await client.evaluateFlags('u')).keys).toEqual([]);
    expect(local.server.requests).toHaveLength(0);
    await client.shutdown();
  });
});
