import { afterEach, describe, expect, it } from 'vitest';
import { resolveFlagOptions } from '../../../src/flags/client/index.js';
import { closeAll, flagsBodies, setup } from './helpers.js';

afterEach(closeAll);

describe('remote evaluation (/flags)', () => {
  it('sends the official body, to /flags/?v=2, without Authorization', async () => {
    const h = await setup({ apiKey: 'phc_specific_key_12345' });
    h.server.setFlagsResponse({ featureFlags: { 'signup-aa-test': 'variant-a' } });
    const value = await h.controller.getFeatureFlag('signup-aa-test', 'test_user_123', {
      personProperties: { $device_id: 'device_abc_123' },
      groups: {},
      groupProperties: {},
      disableGeoip: true,
    });
    expect(value).toBe('variant-a');
    const requests = h.server.requests.filter((r) => r.route === 'flags');
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req?.path).toBe('/flags/');
    expect(req?.query.v).toBe('2');
    expect(req?.headers.authorization).toBeUndefined();
    expect(req?.body).toEqual({
      token: 'phc_specific_key_12345',
      distinct_id: 'test_user_123',
      groups: {},
      person_properties: { $device_id: 'device_abc_123' },
      group_properties: {},
      geoip_disable: true,
      flag_keys_to_evaluate: ['signup-aa-test'],
      $device_id: 'device_abc_123',
      evaluation_runtime: 'server',
    });
  });

  it('defaults groups to {}, geoip_disable to false, and round-trips groups with $group_key', async () => {
    const h = await setup({ options: { evaluationContexts: ['web'] } });
    await h.controller.getFeatureFlag('any-flag', 'user_1');
    await h.controller.getFeatureFlag({
      key: 'any-flag',
      distinctId: 'user_1',
      groups: { company: 'acme' },
      groupProperties: { company: { plan: 'enterprise' } },
      disableGeoip: false,
    });
    const [first, second] = flagsBodies(h.server);
    expect(first).toMatchObject({ groups: {}, group_properties: {}, geoip_disable: false });
    expect(first?.evaluation_contexts).toEqual(['web']);
    expect(second).toMatchObject({
      groups: { company: 'acme' },
      group_properties: { company: { $group_key: 'acme', plan: 'enterprise' } },
      geoip_disable: false,
    });
    expect(h.server.requests.filter((r) => r.route === 'flags')).toHaveLength(2);
  });

  it('parses the v2 shape: value, payload, reason and metadata', async () => {
    const h = await setup();
    h.server.setFlagsResponse({
      flags: {
        exp: {
          key: 'exp',
          enabled: true,
          variant: 'test',
          reason: { code: 'condition_match', condition_index: 0, description: 'Matched condition set 1' },
          metadata: { id: 7, version: 3, payload: '{"x":1}', has_experiment: true },
        },
      },
      errorsWhileComputingFlags: false,
      requestId: 'req-1',
      evaluatedAt: 1234,
    });
    const result = await h.controller.getFeatureFlagResult('exp', 'u1');
    expect(result).toMatchObject({
      key: 'exp',
      value: 'test',
      enabled: true,
      variant: 'test',
      payload: { x: 1 },
      reason: 'Matched condition set 1',
      reasonCode: 'condition_match',
      locallyEvaluated: false,
      flagId: 7,
      version: 3,
      requestId: 'req-1',
      errorKind: undefined,
    });
    expect(await h.controller.getFeatureFlagPayload('exp', 'u1')).toEqual({ x: 1 });
    expect(h.captured).toHaveLength(1);
    expect(h.captured[0]?.message).toMatchObject({
      distinctId: 'u1',
      event: '$feature_flag_called',
      properties: {
        $feature_flag: 'exp',
        $feature_flag_response: 'test',
        '$feature/exp': 'test',
        $feature_flag_id: 7,
        $feature_flag_version: 3,
        $feature_flag_reason: 'Matched condition set 1',
        locally_evaluated: false,
        $feature_flag_request_id: 'req-1',
        $feature_flag_evaluated_at: 1234,
        $feature_flag_has_experiment: true,
      },
    });
    expect(h.captured[0]?.message.properties).not.toHaveProperty('$feature_flag_error');
  });

  it('parses the v1 shape with string-encoded payloads', async () => {
    const h = await setup();
    h.server.setFlagsResponse({
      featureFlags: { a: true, b: 'v', c: false },
      featureFlagPayloads: { a: '{"k":[1]}', b: 'not json' },
    });
    expect(await h.controller.getAllFlagsAndPayloads('u1')).toEqual({
      featureFlags: { a: true, b: 'v', c: false },
      featureFlagPayloads: { a: { k: [1] }, b: 'not json' },
    });
    expect(flagsBodies(h.server)[0]).not.toHaveProperty('flag_keys_to_evaluate');
  });

  it('reports a missing flag as undefined with flag_missing, and sends the event once', async () => {
    const h = await setup();
    h.server.setFlagsResponse({ flags: {} });
    expect(await h.controller.getFeatureFlag('nope', 'u1')).toBeUndefined();
    expect(await h.controller.isFeatureEnabled('nope', 'u1')).toBeUndefined();
    expect((await h.controller.getFeatureFlagResult('nope', 'u1'))?.errorKind).toBe('flag_missing');
    expect(h.captured).toHaveLength(1);
    expect(h.captured[0]?.message.properties).toMatchObject({ $feature_flag_error: 'flag_missing' });
    expect(h.captured[0]?.message.properties).not.toHaveProperty('$feature_flag_response');
  });

  it('treats quotaLimited as no flags, with quota_limited in the result and the event', async () => {
    const h = await setup();
    h.server.setFlagsResponse({ flags: { a: { key: 'a', enabled: true } }, quotaLimited: ['feature_flags'] });
    const result = await h.controller.getFeatureFlagResult('a', 'u1');
    expect(result).toMatchObject({ value: undefined, errorKind: 'quota_limited' });
    expect(h.captured[0]?.message.properties).toMatchObject({
      $feature_flag_error: 'quota_limited,flag_missing',
    });
    expect(await h.controller.getAllFlags('u1')).toEqual({});
    expect(h.logs.filter((l) => l.message.includes('quota'))).toHaveLength(1);
  });

  it('keeps results when errorsWhileComputingFlags is set, and reports it on the event', async () => {
    const h = await setup();
    h.server.setFlagsResponse({ flags: { a: { key: 'a', enabled: true } }, errorsWhileComputingFlags: true });
    expect(await h.controller.getFeatureFlag('a', 'u1')).toBe(true);
    expect(h.captured[0]?.message.properties).toMatchObject({
      $feature_flag_error: 'errors_while_computing_flags',
    });
    h.server.setFlagsResponse({
      flags: {
        a: {
          key: 'a',
          enabled: false,
          failed: true,
          reason: { code: 'database_timeout', description: 'Database timed out' },
          metadata: { id: 7, version: 3 },
        },
      },
    });
    expect(await h.controller.getFeatureFlagResult('a', 'u2')).toMatchObject({
      errorKind: 'evaluation_failed',
    });
    // The failed flag's event keeps what the server said of it: id, version and reason, no response.
    const failed = h.captured.at(-1)?.message.properties;
    expect(failed).toMatchObject({
      $feature_flag_id: 7,
      $feature_flag_version: 3,
      $feature_flag_reason: 'Database timed out',
      $feature_flag_error: 'evaluation_failed',
    });
    expect(failed).not.toHaveProperty('$feature_flag_response');
    // With no reason from the server, the event has none (the result still says why).
    h.server.setFlagsResponse({
      flags: { a: { key: 'a', enabled: false, failed: true, metadata: { id: 7 } } },
    });
    expect((await h.controller.getFeatureFlagResult('a', 'u3'))?.reason).toBe(
      'the server failed to evaluate the flag',
    );
    expect(h.captured.at(-1)?.message.properties).not.toHaveProperty('$feature_flag_reason');
  });

  it("the event's reason is what the server said: its description, else its code, else none", async () => {
    const h = await setup();
    h.server.setFlagsResponse({
      flags: {
        d: {
          key: 'd',
          enabled: true,
          reason: { code: 'condition_match', description: 'Matched condition set 1' },
        },
        c: { key: 'c', enabled: true, reason: { code: 'condition_match' } },
        n: { key: 'n', enabled: true },
      },
    });
    for (const key of ['d', 'c', 'n']) await h.controller.getFeatureFlag(key, 'u1');
    expect(
      h.captured.map((c) => (c.message.properties as Record<string, unknown>).$feature_flag_reason),
    ).toEqual(['Matched condition set 1', 'condition_match', undefined]);
    // The result always has a reason.
    expect((await h.controller.getFeatureFlagResult('n', 'u2'))?.reason).toBe('Evaluated remotely');
  });

  it('retries once on 502 and 504, and not on 500', async () => {
    const h = await setup();
    h.server.setFlagsResponse({ featureFlags: { f: true } });
    h.server.script('flags', { status: 502 });
    expect(await h.controller.getFeatureFlag('f', 'u1')).toBe(true);
    h.server.script('flags', { status: 504 });
    expect(await h.controller.getFeatureFlag('f', 'u2')).toBe(true);
    expect(flagsBodies(h.server)).toHaveLength(4);
    h.server.script('flags', { status: 500 });
    const result = await h.controller.getFeatureFlagResult('f', 'u3');
    expect(result).toMatchObject({ value: undefined, errorKind: 'server_error' });
    expect(flagsBodies(h.server)).toHaveLength(5);
    h.server.script('flags', { status: 502 }, { status: 502 });
    expect((await h.controller.getFeatureFlagResult('f', 'u4'))?.errorKind).toBe('server_error');
    expect(flagsBodies(h.server)).toHaveLength(7);
    expect(h.errors.some((e) => e.name === 'FeatureFlagError')).toBe(true);
    // Every attempt is a request PostHog counts, retries included.
    expect(h.controller.stats()).toMatchObject({ flagsRequests: 7, definitionsRequests: 0 });
  });

  it('retries a reset connection but not a refused one', async () => {
    const h = await setup();
    h.server.setFlagsResponse({ featureFlags: { f: true } });
    h.server.script('flags', { reset: true });
    expect(await h.controller.getFeatureFlag('f', 'u1')).toBe(true);
    expect(flagsBodies(h.server)).toHaveLength(2);
    await h.server.down();
    const started = Date.now();
    const result = await h.controller.getFeatureFlagResult('f', 'u2');
    expect(result).toMatchObject({ value: undefined, errorKind: 'network_error' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never waits past featureFlagsRequestTimeoutMs, body included, and never throws', async () => {
    const h = await setup({ options: { featureFlagsRequestTimeoutMs: 200 } });
    h.server.script('flags', { hang: true }, { hang: true });
    const started = Date.now();
    const result = await h.controller.getFeatureFlagResult('f', 'u1');
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ value: undefined, errorKind: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1000);
    expect(h.captured[0]?.message.properties).toMatchObject({ $feature_flag_error: 'timeout' });
    h.server.script('flags', { delayMs: 600 });
    const t2 = Date.now();
    expect(await h.controller.getAllFlags('u1')).toEqual({});
    expect(Date.now() - t2).toBeLessThan(550);
  });

  it('reads an unreadable body as invalid_response', async () => {
    const h = await setup();
    h.server.script('flags', { body: 'not json' });
    expect((await h.controller.getFeatureFlagResult('f', 'u1'))?.errorKind).toBe('invalid_response');
    h.server.script('flags', { body: { flags: 'nope' } });
    expect((await h.controller.getFeatureFlagResult('f', 'u1'))?.errorKind).toBe('invalid_response');
  });
});

describe('$feature_flag_called', () => {
  it('is sent once per (distinct id, flag, value, groups), and not when disabled', async () => {
    const h = await setup();
    h.server.setFlagsResponse(({ body }) => ({
      featureFlags: { f: body.distinct_id === 'flip' ? 'b' : 'a' },
    }));
    const c = h.controller;
    await c.getFeatureFlag('f', 'u1');
    await c.getFeatureFlag('f', 'u1');
    await c.isFeatureEnabled('f', 'u1');
    await c.getFeatureFlagResult('f', 'u1');
    expect(h.captured).toHaveLength(1);
    await c.getFeatureFlag('f', 'u1', { groups: { company: 'acme' } });
    await c.getFeatureFlag('f', 'u1', { groups: { company: 'acme' } });
    expect(h.captured).toHaveLength(2);
    expect(h.captured[1]?.message).toMatchObject({
      groups: { company: 'acme' },
      properties: { $groups: { company: 'acme' } },
    });
    await c.getFeatureFlag('f', 'u2', { sendFeatureFlagEvents: false });
    await c.getFeatureFlagPayload('f', 'u3');
    await c.getAllFlags('u4');
    expect(h.captured).toHaveLength(2);
    await c.getFeatureFlag('f', 'u2');
    expect(h.captured).toHaveLength(3);
  });

  it('honours sendFeatureFlagEvent: false as the client default', async () => {
    const h = await setup({ options: { sendFeatureFlagEvent: false } });
    h.server.setFlagsResponse({ featureFlags: { f: true } });
    await h.controller.getFeatureFlag('f', 'u1');
    expect(h.captured).toHaveLength(0);
    await h.controller.getFeatureFlag('f', 'u1', { sendFeatureFlagEvents: true });
    expect(h.captured).toHaveLength(1);
  });

  it('marks events minimal when the server asks and the flag has no experiment', async () => {
    const h = await setup();
    h.server.setFlagsResponse({
      flags: {
        plain: { key: 'plain', enabled: true, metadata: { id: 1, has_experiment: false } },
        exp: { key: 'exp', enabled: true, metadata: { id: 2, has_experiment: true } },
      },
      minimalFlagCalledEvents: true,
    });
    await h.controller.getFeatureFlag('plain', 'u1');
    await h.controller.getFeatureFlag('exp', 'u1');
    expect(h.captured.map((c) => c.meta.minimal)).toEqual([true, false]);
    // The last answer decides: one without the gate turns minimal events off again.
    h.server.setFlagsResponse({
      flags: { plain: { key: 'plain', enabled: true, metadata: { id: 1, has_experiment: false } } },
    });
    await h.controller.getFeatureFlag('plain', 'u2');
    expect(h.captured.map((c) => c.meta.minimal)).toEqual([true, false, false]);
  });

  it('bounds the dedupe cache by maxCacheSize distinct ids', async () => {
    const h = await setup({ options: { maxCacheSize: 2 } });
    h.server.setFlagsResponse({ featureFlags: { f: true } });
    for (const id of ['a', 'b', 'c', 'a']) await h.controller.getFeatureFlag('f', id);
    expect(h.captured.map((c) => c.message.distinctId)).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('getRemoteConfigPayload', () => {
  it('GETs the remote config with the secret key and decodes the string-encoded payload', async () => {
    const h = await setup({ secretKey: 'phs_secret' });
    h.server.setRemoteConfig('cfg', { theme: 'dark' });
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ theme: 'dark' });
    const req = h.server.requests.find((r) => r.route === 'remote_config');
    expect(req?.headers.authorization).toBe('Bearer phs_secret');
    expect(req?.query.token).toBe('phc_test');
    expect(await h.controller.getRemoteConfigPayload('missing')).toBeUndefined();
    expect(h.errors.map((e) => (e as { kind?: string }).kind)).toContain('remote_config');
    const noKey = await setup();
    expect(await noKey.controller.getRemoteConfigPayload('cfg')).toBeUndefined();
    expect(noKey.server.requests).toHaveLength(0);
  });

  /** A controller whose clock the test moves (`clock.ms`), with remote configs cached for `ttl` ms. */
  async function cached(ttl?: number) {
    const clock = { ms: 1_000_000 };
    const h = await setup({
      secretKey: 'phs_secret',
      options: ttl === undefined ? {} : { remoteConfigCacheTtlMs: ttl },
      platform: (p) => ({ ...p, now: () => clock.ms }),
    });
    const requests = () => h.server.requests.filter((r) => r.route === 'remote_config').length;
    return { h, clock, requests };
  }

  it('reuses an answer for remoteConfigCacheTtlMs (default 30 s), then asks again', async () => {
    const { h, clock, requests } = await cached();
    h.server.setRemoteConfig('cfg', { theme: 'dark' });
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ theme: 'dark' });
    h.server.setRemoteConfig('cfg', { theme: 'light' });
    clock.ms += 29_999;
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ theme: 'dark' });
    expect(requests()).toBe(1);
    clock.ms += 1;
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ theme: 'light' });
    expect(requests()).toBe(2);
    // Keys are cached apart; a 404 (no such remote config) is an answer and is remembered too.
    expect(await h.controller.getRemoteConfigPayload('missing')).toBeUndefined();
    expect(await h.controller.getRemoteConfigPayload('missing')).toBeUndefined();
    expect(requests()).toBe(3);
    expect(h.controller.stats()).toMatchObject({ remoteConfigRequests: 3, remoteConfigCacheHits: 2 });
  });

  it('shares one request between concurrent calls for a key', async () => {
    const { h, requests } = await cached();
    h.server.setRemoteConfig('cfg', [1, 2]);
    h.server.script('remote_config', { delayMs: 50 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => h.controller.getRemoteConfigPayload('cfg')));
    expect(answers).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(requests()).toBe(1);
    expect(h.controller.stats()).toMatchObject({ remoteConfigRequests: 1, remoteConfigCacheHits: 4 });
  });

  it('gives the last answer when a refresh fails, and waits 5 s before asking again', async () => {
    const { h, clock, requests } = await cached(60_000);
    h.server.setRemoteConfig('cfg', { v: 1 });
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ v: 1 });
    clock.ms += 60_000;
    h.server.script('remote_config', { status: 503 });
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ v: 1 });
    expect(h.errors.map((e) => (e as { kind?: string }).kind)).toEqual(['remote_config']);
    clock.ms += 4_999;
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ v: 1 });
    expect(requests()).toBe(2);
    clock.ms += 1;
    h.server.setRemoteConfig('cfg', { v: 2 });
    expect(await h.controller.getRemoteConfigPayload('cfg')).toEqual({ v: 2 });
    expect(requests()).toBe(3);
    // With nothing had before, a failure gives undefined and is not retried within the 5 s either.
    h.server.script('remote_config', { reset: true });
    expect(await h.controller.getRemoteConfigPayload('other')).toBeUndefined();
    expect(await h.controller.getRemoteConfigPayload('other')).toBeUndefined();
    expect(requests()).toBe(4);
  });

  it('asks on every call with remoteConfigCacheTtlMs 0, as posthog-node does', async () => {
    const { h, requests } = await cached(0);
    h.server.setRemoteConfig('cfg', 'x');
    for (let i = 0; i < 3; i++) expect(await h.controller.getRemoteConfigPayload('cfg')).toBe('x');
    expect(requests()).toBe(3);
  });

  it('forgets answers on reloadFeatureFlags(), including one still in flight', async () => {
    const { h, requests } = await cached();
    h.server.setRemoteConfig('cfg', 1);
    expect(await h.controller.getRemoteConfigPayload('cfg')).toBe(1);
    h.server.setRemoteConfig('cfg', 2);
    h.server.script('remote_config', { delayMs: 50 });
    const inFlight = h.controller.getRemoteConfigPayload('other');
    await h.controller.reloadFeatureFlags();
    expect(await h.controller.getRemoteConfigPayload('cfg')).toBe(2);
    await inFlight;
    h.server.setRemoteConfig('other', 3);
    expect(await h.controller.getRemoteConfigPayload('other')).toBe(3);
    expect(requests()).toBe(4);
  });

  it('answers undefined for a key no URL can carry, reports it, and does not keep the failure around', async () => {
    const { h, requests } = await cached();
    const bad = 'bad\ud800';
    expect(await h.controller.getRemoteConfigPayload(bad)).toBeUndefined();
    expect(await h.controller.getRemoteConfigPayload(bad)).toBeUndefined();
    expect(h.errors.map((e) => (e as { kind?: string }).kind)).toEqual(['remote_config']);
    expect(requests()).toBe(0);
  });

  it('refuses a negative or fractional remoteConfigCacheTtlMs', () => {
    expect(() => resolveFlagOptions({ remoteConfigCacheTtlMs: -1 })).toThrow(/remoteConfigCacheTtlMs/);
    expect(() => resolveFlagOptions({ remoteConfigCacheTtlMs: 1.5 })).toThrow(/remoteConfigCacheTtlMs/);
  });
});
