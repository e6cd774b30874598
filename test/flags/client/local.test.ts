import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors/config-error.js';
import { resolveFlagOptions } from '../../../src/flags/client/index.js';
import { closeAll, DEFINITIONS, flagsBodies, setup } from './helpers.js';

afterEach(closeAll);

const local = (extra: Parameters<typeof setup>[0] = {}) =>
  setup({ secretKey: 'phs_secret', server: { definitions: DEFINITIONS }, ...extra });

describe('local evaluation', () => {
  it('answers from definitions without calling /flags, and sends locally-evaluated events', async () => {
    const h = await local();
    const c = h.controller;
    expect(await c.getFeatureFlag('on', 'u1')).toBe(true);
    expect(await c.getFeatureFlag('off', 'u1')).toBe(false);
    expect(await c.getFeatureFlag('multi', 'u1')).toBe('second');
    expect(
      await c.isFeatureEnabled({ key: 'needs-plan', distinctId: 'u1', personProperties: { plan: 'pro' } }),
    ).toBe(true);
    expect(await c.getFeatureFlag('company-flag', 'u1')).toBe(false);
    expect(await c.getFeatureFlag('company-flag', 'u1', { groups: { company: 'acme' } })).toBe(true);
    expect(await c.getFeatureFlagPayload('on', 'u1')).toEqual({ a: 1 });
    expect(await c.getFeatureFlagPayload('multi', 'u1', 'second')).toBe('two');
    expect(await c.getFeatureFlagPayload({ key: 'multi', distinctId: 'u1', matchValue: 'first' })).toBeNull();
    expect(flagsBodies(h.server)).toHaveLength(0);
    const result = await c.getFeatureFlagResult('multi', 'u2');
    expect(result).toMatchObject({
      locallyEvaluated: true,
      reason: 'Evaluated locally',
      reasonCode: 'condition_match',
      flagId: 3,
    });
    const event = h.captured.find(
      (e) =>
        e.message.properties && (e.message.properties as Record<string, unknown>).$feature_flag === 'multi',
    );
    expect(event?.message.properties).toMatchObject({
      $feature_flag_response: 'second',
      locally_evaluated: true,
      $feature_flag_reason: 'Evaluated locally',
      $feature_flag_id: 3,
      $feature_flag_has_experiment: true,
    });
    expect(
      typeof (event?.message.properties as Record<string, unknown> | undefined)
        ?.$feature_flag_definitions_loaded_at,
    ).toBe('number');
    expect(h.loaded).toEqual([6]);
    expect(c.isLocalEvaluationReady()).toBe(true);
  });

  it('falls back to /flags for inconclusive or unknown flags, one key per call', async () => {
    const h = await local();
    h.server.setFlagsResponse(({ body }) => ({
      featureFlags: Object.fromEntries((body.flag_keys_to_evaluate ?? []).map((k) => [k, 'remote'])),
    }));
    expect(await h.controller.getFeatureFlag('static-cohort', 'u1')).toBe('remote');
    expect(await h.controller.getFeatureFlag('needs-plan', 'u1')).toBe('remote');
    expect(await h.controller.getFeatureFlag('unknown', 'u1')).toBe('remote');
    expect(flagsBodies(h.server).map((b) => b.flag_keys_to_evaluate)).toEqual([
      ['static-cohort'],
      ['needs-plan'],
      ['unknown'],
    ]);
  });

  it('makes exactly one /flags call per getAllFlags / evaluateFlags; remote wins in getAllFlags, local in evaluateFlags', async () => {
    const h = await local();
    h.server.setFlagsResponse({
      featureFlags: { on: 'remote-on', 'static-cohort': true, 'needs-plan': false, extra: true },
    });
    const all = await h.controller.getAllFlags('u1');
    expect(all).toEqual({
      on: 'remote-on',
      off: false,
      multi: 'second',
      'company-flag': false,
      'static-cohort': true,
      'needs-plan': false,
      extra: true,
    });
    expect(flagsBodies(h.server)).toHaveLength(1);
    const snapshot = await h.controller.evaluateFlags('u1');
    expect(flagsBodies(h.server)).toHaveLength(2);
    expect(snapshot.getFlag('on', { sendFeatureFlagEvents: false })).toBe(true);
    expect(snapshot.getFlag('static-cohort', { sendFeatureFlagEvents: false })).toBe(true);
    expect(snapshot.unresolvedFlags).toEqual({});
    const none = await h.controller.getAllFlags('u1', {
      personProperties: { plan: 'pro' },
      flagKeys: ['on', 'needs-plan'],
    });
    expect(none).toEqual({ on: true, 'needs-plan': true });
    expect(flagsBodies(h.server)).toHaveLength(2);
  });

  it('strict mode never calls /flags and explains why values are missing', async () => {
    const h = await local({ options: { strictLocalEvaluation: true } });
    const c = h.controller;
    expect(await c.getFeatureFlag('static-cohort', 'u1')).toBeUndefined();
    expect(await c.getFeatureFlagResult('needs-plan', 'u1')).toMatchObject({
      errorKind: 'local_inconclusive',
      unresolvedReason: 'missing_context',
    });
    expect(await c.getFeatureFlagResult('unknown', 'u1')).toMatchObject({ errorKind: 'flag_missing' });
    expect(await c.getAllFlags('u1')).toEqual({
      on: true,
      off: false,
      multi: 'second',
      'company-flag': false,
    });
    const snap = await c.evaluateFlags('u1');
    expect(snap.unresolvedFlags).toEqual({
      'static-cohort': 'unsupported_definition',
      'needs-plan': 'missing_context',
    });
    expect(await c.getFeatureFlag('static-cohort', 'u1', { onlyEvaluateLocally: false })).toBeUndefined();
    expect(flagsBodies(h.server)).toHaveLength(1);
  });

  it('is not ready when nothing can be loaded: calls wait at most the request timeout', async () => {
    const h = await setup({
      secretKey: 'phs_secret',
      options: { featureFlagsRequestTimeoutMs: 300, requestTimeout: 2000 },
      server: { definitions: DEFINITIONS },
      start: false,
    });
    h.server.script('definitions', { hang: true });
    const t = Date.now();
    const r = await h.controller.getFeatureFlagResult('on', 'u1', { onlyEvaluateLocally: true });
    expect(Date.now() - t).toBeLessThan(900);
    expect(r).toMatchObject({ value: undefined, errorKind: 'not_ready' });
    expect(h.controller.isLocalEvaluationReady()).toBe(false);
    const none = await setup({ options: { strictLocalEvaluation: true } });
    expect(await none.controller.getFeatureFlagResult('on', 'u1')).toMatchObject({ errorKind: 'not_ready' });
    expect(none.server.requests).toHaveLength(0);
  });

  it('overrides win and send no event', async () => {
    const h = await local();
    const c = h.controller;
    c.overrideFeatureFlags({ on: false, multi: 'first', gone: undefined });
    expect(await c.getFeatureFlag('on', 'u1')).toBe(false);
    expect(await c.getFeatureFlag('multi', 'u1')).toBe('first');
    expect(await c.getFeatureFlag('gone', 'u1')).toBeUndefined();
    expect(h.captured).toHaveLength(0);
    c.overrideFeatureFlags(['x']);
    expect(await c.getAllFlags('u1', { onlyEvaluateLocally: true })).toMatchObject({ on: true, x: true });
    c.overrideFeatureFlags({ flags: { y: 'v' }, payloads: { y: { p: 1 } } });
    expect(await c.getFeatureFlagPayload('y', 'u1')).toEqual({ p: 1 });
    expect(
      (await c.getAllFlagsAndPayloads('u1', { onlyEvaluateLocally: true })).featureFlagPayloads,
    ).toMatchObject({ y: { p: 1 } });
    c.overrideFeatureFlags(false);
    expect(await c.getFeatureFlag('on', 'u1')).toBe(true);
    expect(flagsBodies(h.server)).toHaveLength(0);
  });

  it('bootstraps from an object (ready at once) and from a JSON file, used until the first fetch', async () => {
    const boot = {
      flags: [{ key: 'boot', active: true, filters: { groups: [{ rollout_percentage: 100 }] } }],
    };
    const h = await setup({ options: { flagDefinitions: boot }, start: false });
    expect(h.controller.isLocalEvaluationReady()).toBe(true);
    expect(await h.controller.getFeatureFlag('boot', 'u1')).toBe(true);
    expect(h.server.requests).toHaveLength(0);
    const file = join(tmpdir(), `ph-defs-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(boot));
    const h2 = await setup({
      secretKey: 'phs_secret',
      options: { flagDefinitions: file },
      server: { definitions: DEFINITIONS },
    });
    h2.server.script('definitions', { delayMs: 300 });
    const early = await h2.controller.getFeatureFlag('boot', 'u1', { onlyEvaluateLocally: true });
    expect(early).toBe(true);
    await h2.controller.waitForLocalEvaluationReady(2000);
    await h2.controller.reloadFeatureFlags();
    expect(await h2.controller.getFeatureFlag('on', 'u1')).toBe(true);
    expect(await h2.controller.getFeatureFlag('boot', 'u1', { onlyEvaluateLocally: true })).toBeUndefined();
    const h3 = await setup({ options: { flagDefinitions: join(tmpdir(), 'missing-ph.json') } });
    await h3.controller.waitForLocalEvaluationReady(200);
    expect(h3.errors.map((e) => (e as { kind?: string }).kind)).toContain('bootstrap');
  });

  it('validates options with ConfigError naming the option', () => {
    expect(() => resolveFlagOptions({ maxCacheSize: 0 })).toThrow(ConfigError);
    expect(() => resolveFlagOptions({ featureFlagsRequestMaxRetries: 1.5 })).toThrow(
      /featureFlagsRequestMaxRetries/,
    );
    expect(() => resolveFlagOptions({ strictLocalEvaluation: 'yes' as unknown as boolean })).toThrow(
      /strictLocalEvaluation/,
    );
    expect(() => resolveFlagOptions({ flagDefinitionCacheProvider: {} as never })).toThrow(
      /flagDefinitionCacheProvider/,
    );
    expect(() => resolveFlagOptions({ evaluationContexts: [1] as unknown as string[] })).toThrow(
      /evaluationContexts/,
    );
    expect(resolveFlagOptions(undefined)).toMatchObject({
      maxCacheSize: 50_000,
      featureFlagsRequestMaxRetries: 1,
      requestTimeoutMs: 3000,
      pollingInterval: 30_000,
    });
    expect(resolveFlagOptions({ featureFlagsPollingInterval: 5 }).pollingInterval).toBe(100);
  });
});

describe('evaluateFlags snapshot', () => {
  it('reads without network, sends events on reads, slices with only/onlyAccessed', async () => {
    const h = await local({ options: { strictLocalEvaluation: true } });
    const snap = await h.controller.evaluateFlags({ distinctId: 'u1', groups: { company: 'acme' } });
    const requests = h.server.requests.length;
    expect(snap.keys).toEqual(['on', 'off', 'multi', 'company-flag']);
    expect(snap.isEnabled('on')).toBe(true);
    expect(snap.isEnabled('on')).toBe(true);
    expect(snap.isEnabled('missing', { defaultValue: true })).toBe(true);
    expect(snap.getFlag('multi')).toBe('second');
    expect(snap.getFlagPayload('multi')).toBe('two');
    expect(snap.getFlag('needs-plan', { sendFeatureFlagEvents: false })).toBeUndefined();
    expect(h.server.requests.length).toBe(requests);
    const props = h.captured.map((c) => c.message.properties as Record<string, unknown>);
    expect(props.map((p) => p.$feature_flag)).toEqual(['on', 'missing', 'multi']);
    expect(props[1]).toMatchObject({ $feature_flag_error: 'flag_missing' });
    expect(h.captured[0]?.message.groups).toEqual({ company: 'acme' });
    expect(snap.eventProperties()).toEqual({
      '$feature/on': true,
      '$feature/off': false,
      '$feature/multi': 'second',
      '$feature/company-flag': true,
      $active_feature_flags: ['company-flag', 'multi', 'on'],
    });
    const accessed = snap.onlyAccessed();
    expect(accessed.eventProperties()).toEqual({
      '$feature/on': true,
      '$feature/multi': 'second',
      $active_feature_flags: ['multi', 'on'],
    });
    const only = snap.only(['off', 'nope']);
    expect(only.eventProperties()).toEqual({ '$feature/off': false });
    expect(only.getFlag('on')).toBeUndefined();
    expect(h.logs.some((l) => l.message.includes('only(): no value for nope'))).toBe(true);
    const before = h.captured.length;
    only.getFlag('on');
    expect(h.captured.length).toBe(before);
    snap.getFlag('needs-plan');
    expect(h.captured.at(-1)?.message.properties).toMatchObject({
      $feature_flag_error: 'local_evaluation_inconclusive',
    });
  });
});

describe('flagPropertiesForCapture', () => {
  it('is synchronous with no network call when local-only, even without definitions', async () => {
    const h = await setup({ options: { strictLocalEvaluation: false } });
    const r = h.controller.flagPropertiesForCapture('u1', { onlyEvaluateLocally: true });
    expect(r).toEqual({ sync: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.server.requests).toHaveLength(0);
  });

  it('is synchronous once local definitions are loaded, and asks /flags once when told to', async () => {
    const h = await local();
    await h.controller.waitForLocalEvaluationReady(2000);
    const partial = h.controller.flagPropertiesForCapture('u1', {
      onlyEvaluateLocally: true,
      personProperties: { plan: 'pro' },
    });
    expect(partial).toEqual({
      sync: {
        '$feature/on': true,
        '$feature/off': false,
        '$feature/multi': 'second',
        '$feature/needs-plan': true,
        '$feature/company-flag': false,
        $active_feature_flags: ['multi', 'needs-plan', 'on'],
      },
    });
    const keys = h.controller.flagPropertiesForCapture('u1', { flagKeys: ['on', 'off'] });
    expect(keys).toEqual({
      sync: { '$feature/on': true, '$feature/off': false, $active_feature_flags: ['on'] },
    });
    expect(flagsBodies(h.server)).toHaveLength(0);
    h.server.setFlagsResponse({ featureFlags: { 'static-cohort': true, 'needs-plan': false } });
    // With definitions loaded, `true` stays local, as in posthog-node; /flags only when asked to.
    expect('sync' in h.controller.flagPropertiesForCapture('u1', true)).toBe(true);
    expect(flagsBodies(h.server)).toHaveLength(0);
    const later = h.controller.flagPropertiesForCapture('u1', { onlyEvaluateLocally: false });
    expect('later' in later).toBe(true);
    const props = 'later' in later ? await later.later : {};
    expect(props).toMatchObject({ '$feature/static-cohort': true, '$feature/on': true });
    expect(flagsBodies(h.server)).toHaveLength(1);
  });
});

describe('explainFeatureFlag', () => {
  it('shows conditions, filters, rollout and variant hashes, and whether the server is asked', async () => {
    const defs = {
      flags: [
        {
          key: 'exp',
          version: 4,
          active: true,
          filters: {
            groups: [
              { properties: [{ key: 'plan', value: 'enterprise', type: 'person' }], rollout_percentage: 100 },
              {
                properties: [
                  { key: 'email', value: '@acme.com', operator: 'icontains', type: 'person' },
                  {
                    key: 'dep',
                    type: 'flag',
                    value: true,
                    operator: 'flag_evaluates_to',
                    dependency_chain: ['dep'],
                  },
                ],
                rollout_percentage: 100,
              },
            ],
            multivariate: {
              variants: [
                { key: 'control', rollout_percentage: 50 },
                { key: 'test', rollout_percentage: 50 },
              ],
            },
          },
        },
        { key: 'dep', active: true, filters: { groups: [{ rollout_percentage: 100 }] } },
        {
          key: 'cohorted',
          active: true,
          filters: { groups: [{ properties: [{ key: 'id', value: 5, type: 'cohort' }] }] },
        },
      ],
    };
    const h = await setup({ secretKey: 'phs', server: { definitions: defs } });
    const e = await h.controller.explainFeatureFlag('exp', 'u1', {
      personProperties: { plan: 'free', email: 'a@acme.com' },
    });
    expect(e.found).toBe(true);
    expect(e.wouldAskServer).toBe(false);
    expect(e.trace?.version).toBe(4);
    const [c0, c1] = e.trace?.conditions ?? [];
    expect(c0?.filters).toEqual([
      { type: 'property', key: 'plan', operator: 'exact', outcome: 'not_matched' },
    ]);
    expect(c1?.filters.map((f) => f.outcome)).toEqual(['matched', 'matched']);
    expect(c1?.rollout?.passed).toBe(true);
    expect(e.trace?.dependencies.map((d) => [d.key, d.value])).toEqual([['dep', true]]);
    expect(e.trace?.variant?.ranges.map((r) => r.key)).toEqual(['control', 'test']);
    expect(e.result?.kind).toBe('match');
    expect(e.lines.join('\n')).toMatch(/condition 0.*\n.*plan exact: not matched/);
    const cohort = await h.controller.explainFeatureFlag('cohorted', 'u1');
    expect(cohort.wouldAskServer).toBe(true);
    expect(cohort.trace?.conditions[0]?.filters[0]).toMatchObject({
      type: 'cohort',
      outcome: 'inconclusive',
      reason: 'requires_server',
    });
    const missing = await h.controller.explainFeatureFlag('nope', 'u1', { onlyEvaluateLocally: true });
    expect(missing).toMatchObject({ found: false, wouldAskServer: false });
    expect(flagsBodies(h.server)).toHaveLength(0);
  });
});
