import { afterEach, describe, expect, it } from 'vitest';
import { compileDefinitions, evaluateFlag } from '../../src/flags/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/server/index.js';

const servers: LocalPostHog[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const DEFINITIONS = {
  flags: [
    {
      id: 1,
      key: 'on',
      active: true,
      filters: { groups: [{ rollout_percentage: 100 }], payloads: { true: '{"a":1}' } },
    },
    { id: 2, key: 'inactive', active: false, filters: { groups: [{ rollout_percentage: 100 }] } },
    {
      id: 3,
      key: 'multi',
      active: true,
      has_experiment: true,
      filters: {
        groups: [{ properties: [{ key: 'plan', value: 'pro', type: 'person' }], rollout_percentage: 100 }],
        multivariate: {
          variants: [
            { key: 'a', rollout_percentage: 50 },
            { key: 'b', rollout_percentage: 50 },
          ],
        },
        payloads: { a: '"pa"', b: '"pb"' },
      },
    },
    {
      id: 4,
      key: 'static',
      active: true,
      filters: { groups: [{ properties: [{ key: 'id', value: 9, type: 'cohort' }] }] },
    },
    {
      id: 5,
      key: 'client-only',
      active: true,
      evaluation_runtime: 'client',
      filters: { groups: [{ rollout_percentage: 100 }] },
    },
    {
      id: 6,
      key: 'company',
      active: true,
      filters: { aggregation_group_type_index: 0, groups: [{ rollout_percentage: 100 }] },
    },
  ],
  group_type_mapping: { '0': 'company' },
};

async function post(server: LocalPostHog, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/flags/?v=2`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('LocalPostHog /flags with definitions', () => {
  it('evaluates with the SDK evaluator in the v2 shape, agreeing with local evaluation', async () => {
    const server = await startLocalPostHog();
    servers.push(server);
    server.setFlagDefinitions(DEFINITIONS);
    const answer = await post(server, {
      token: 'phc',
      distinct_id: 'user-7',
      person_properties: { plan: 'pro' },
      groups: { company: 'acme' },
      group_properties: { company: { $group_key: 'acme' } },
      evaluation_runtime: 'server',
    });
    const flags = answer.flags as Record<string, Record<string, unknown>>;
    expect(Object.keys(flags).sort()).toEqual(['company', 'multi', 'on', 'static']);
    expect(flags.on).toMatchObject({
      key: 'on',
      enabled: true,
      variant: null,
      reason: { code: 'condition_match', condition_index: 0, description: 'Matched condition set 1' },
      metadata: { id: 1, payload: '{"a":1}' },
    });
    const local = evaluateFlag(compileDefinitions(DEFINITIONS), 'multi', {
      distinctId: 'user-7',
      personProperties: { plan: 'pro' },
      now: Date.now(),
    });
    expect(local.kind).toBe('match');
    const variant = local.kind === 'match' ? local.value : undefined;
    expect(flags.multi).toMatchObject({
      enabled: true,
      variant,
      metadata: { id: 3, has_experiment: true, payload: JSON.stringify(`p${String(variant)}`) },
    });
    expect(flags.static).toMatchObject({ enabled: false, failed: true });
    expect(flags.company).toMatchObject({ enabled: true });
    expect(answer.errorsWhileComputingFlags).toBe(true);
    expect(typeof answer.requestId).toBe('string');
  });

  it('honours flag_keys_to_evaluate and reports non-matches as disabled', async () => {
    const server = await startLocalPostHog({ definitions: DEFINITIONS });
    servers.push(server);
    const answer = await post(server, { distinct_id: 'u', flag_keys_to_evaluate: ['multi', 'company'] });
    expect(answer.flags).toEqual({
      multi: expect.objectContaining({
        enabled: false,
        reason: expect.objectContaining({ code: 'no_condition_match' }),
      }),
      company: expect.objectContaining({
        enabled: false,
        reason: expect.objectContaining({ code: 'no_group_type' }),
      }),
    });
    expect(answer.errorsWhileComputingFlags).toBe(false);
  });

  it('still prefers an explicit setFlagsResponse', async () => {
    const server = await startLocalPostHog({ definitions: DEFINITIONS });
    servers.push(server);
    server.setFlagsResponse({ flags: {} });
    expect((await post(server, { distinct_id: 'u' })).flags).toEqual({});
  });
});
