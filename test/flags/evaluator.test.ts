import { describe, expect, it } from 'vitest';
import {
  compileDefinitions,
  createExplainTrace,
  type EvaluationContext,
  evaluateAll,
  evaluateFlag,
  type FlagEvaluationResult,
  holdoutHash,
} from '../../src/flags/index.js';
import { NOW } from './helpers.js';

const ctx = (extra: Partial<EvaluationContext> = {}): EvaluationContext => ({
  distinctId: 'user-1',
  now: NOW,
  ...extra,
});
const val = (r: FlagEvaluationResult): unknown => (r.kind === 'match' ? r.value : r.reason);
const flag = (key: string, filters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  key,
  active: true,
  filters,
  ...extra,
});
const prop = (key: string, value: unknown, operator = 'exact') => ({ key, value, operator, type: 'person' });

describe('flag-level rules', () => {
  it.each([
    [{ active: false, ensure_experience_continuity: true }, false],
    [{ ensure_experience_continuity: true }, 'experience_continuity'],
    [{ active: undefined }, false],
  ])('%j -> %s', (extra, expected) => {
    const defs = compileDefinitions({ flags: [flag('f', { groups: [{ properties: [] }] }, extra)] });
    expect(val(evaluateFlag(defs, 'f', ctx()))).toBe(expected);
  });

  it('a malformed flag or cohort costs only the flags that use it; the others still evaluate', () => {
    const good = flag('good', { groups: [{ rollout_percentage: 100 }] });
    const byCohort = flag('by-cohort', {
      groups: [{ properties: [{ key: 'id', type: 'cohort', value: 7 }] }],
    });
    const defs = compileDefinitions({
      flags: [
        good,
        flag('null-filter', { groups: [{ properties: [null] }] }),
        flag('null-condition', { groups: [null] }),
        flag('null-variant', { groups: [{ rollout_percentage: 100 }], multivariate: { variants: [null] } }),
        flag('inactive', { groups: [null] }, { active: false }),
        byCohort,
      ],
      cohorts: { '7': { type: 'AND', values: [{ type: 'AND', values: [null] }] } },
    });
    const all = evaluateAll(defs, ctx());
    const of = (key: string) => [key, val(all.get(key) as FlagEvaluationResult)];
    expect(of('good')).toEqual(['good', true]);
    for (const key of ['null-filter', 'null-condition', 'null-variant']) {
      expect(of(key)).toEqual([key, 'unsupported_definition']);
    }
    // The unreadable cohort is left out, like a cohort the definitions lack (a static one).
    expect(of('by-cohort')).toEqual(['by-cohort', 'requires_server']);
    expect(of('inactive')).toEqual(['inactive', false]);
  });

  it('an inactive flag is false with reason flag_disabled, the server and posthog-node code', () => {
    const defs = compileDefinitions({
      flags: [flag('off', { groups: [{ properties: [] }] }, { active: false })],
    });
    expect(evaluateFlag(defs, 'off', ctx())).toMatchObject({
      kind: 'match',
      value: false,
      reason: 'flag_disabled',
    });
  });

  it('unknown flag is inconclusive (requires_server)', () => {
    expect(val(evaluateFlag(compileDefinitions({ flags: [] }), 'nope', ctx()))).toBe('requires_server');
  });

  it('group flags: unknown type is unsupported, missing group is false, group key buckets and is a property', () => {
    const defs = compileDefinitions({
      flags: [
        flag('g', {
          aggregation_group_type_index: 0,
          groups: [{ properties: [prop('$group_key', 'acme')] }],
        }),
        flag('u', { aggregation_group_type_index: 9, groups: [{ properties: [] }] }),
      ],
      group_type_mapping: { '0': 'company' },
    });
    expect(val(evaluateFlag(defs, 'u', ctx({ groups: { company: 'acme' } })))).toBe('unsupported_definition');
    expect(val(evaluateFlag(defs, 'g', ctx()))).toBe(false);
    expect(evaluateFlag(defs, 'g', ctx()).kind === 'match' && evaluateFlag(defs, 'g', ctx())).toMatchObject({
      reason: 'group_not_provided',
    });
    expect(val(evaluateFlag(defs, 'g', ctx({ groups: { company: 'acme' } })))).toBe(true);
    expect(val(evaluateFlag(defs, 'g', ctx({ groups: { company: 'other' } })))).toBe(false);
  });

  it('device_id bucketing needs a device id', () => {
    const defs = compileDefinitions({
      flags: [
        flag(
          'd',
          { groups: [{ properties: [], rollout_percentage: 50 }] },
          { bucketing_identifier: 'device_id' },
        ),
      ],
    });
    expect(val(evaluateFlag(defs, 'd', ctx()))).toBe('missing_context');
    const a = evaluateFlag(defs, 'd', ctx({ deviceId: 'dev-1', distinctId: 'x' }));
    const b = evaluateFlag(defs, 'd', ctx({ personProperties: { $device_id: 'dev-1' }, distinctId: 'y' }));
    expect(val(a)).toBe(val(b));
  });
});

describe('conditions', () => {
  it('a later match wins over an earlier inconclusive condition', () => {
    const defs = compileDefinitions({
      flags: [flag('f', { groups: [{ properties: [prop('missing', 'x')] }, { properties: [] }] })],
    });
    const r = evaluateFlag(defs, 'f', ctx());
    expect(r).toMatchObject({ kind: 'match', value: true, conditionIndex: 1, reason: 'condition_match' });
  });

  it('an inconclusive filter does not hide a later definite mismatch', () => {
    const defs = compileDefinitions({
      flags: [flag('f', { groups: [{ properties: [prop('missing', 'x'), prop('plan', 'pro')] }] })],
    });
    expect(val(evaluateFlag(defs, 'f', ctx({ personProperties: { plan: 'free' } })))).toBe(false);
    expect(val(evaluateFlag(defs, 'f', ctx({ personProperties: { plan: 'pro' } })))).toBe('missing_context');
  });

  it('reason precedence: unsupported_definition beats missing_context', () => {
    const defs = compileDefinitions({
      flags: [
        flag('f', { groups: [{ properties: [prop('a', 'x')] }, { properties: [prop('b', 'x', 'bogus')] }] }),
      ],
    });
    expect(val(evaluateFlag(defs, 'f', ctx()))).toBe('unsupported_definition');
  });

  it('regex uncertainty blocks a later match that could differ', () => {
    const defs = compileDefinitions({
      flags: [
        flag('f', {
          groups: [
            { properties: [prop('e', '(?i)x', 'regex')], variant: 'a' },
            { properties: [], variant: 'b' },
          ],
          multivariate: {
            variants: [
              { key: 'a', rollout_percentage: 50 },
              { key: 'b', rollout_percentage: 50 },
            ],
          },
        }),
      ],
    });
    expect(val(evaluateFlag(defs, 'f', ctx({ personProperties: { e: 'x' } })))).toBe(
      'unsupported_definition',
    );
  });

  it('forced variants apply only when they exist', () => {
    const defs = compileDefinitions({
      flags: [
        flag('f', {
          groups: [{ properties: [], variant: 'nope' }],
          multivariate: { variants: [{ key: 'only', rollout_percentage: 100 }] },
          payloads: { only: '{"x":1}' },
        }),
      ],
    });
    expect(evaluateFlag(defs, 'f', ctx())).toMatchObject({ value: 'only', payload: { x: 1 } });
  });

  it('early_exit stops at the first out-of-rollout condition', () => {
    const groups = [{ properties: [], rollout_percentage: 0 }, { properties: [] }];
    const withExit = compileDefinitions({ flags: [flag('f', { groups, early_exit: true })] });
    const without = compileDefinitions({ flags: [flag('f', { groups })] });
    expect(evaluateFlag(withExit, 'f', ctx())).toMatchObject({
      value: false,
      reason: 'out_of_rollout_bound',
      conditionIndex: 0,
    });
    expect(val(evaluateFlag(without, 'f', ctx()))).toBe(true);
  });

  it('mixed targeting evaluates a condition against its own group', () => {
    const defs = compileDefinitions({
      flags: [
        flag('f', { groups: [{ aggregation_group_type_index: 0, properties: [prop('tier', 'gold')] }] }),
      ],
      group_type_mapping: { '0': 'company' },
    });
    expect(val(evaluateFlag(defs, 'f', ctx()))).toBe(false);
    const c = ctx({ groups: { company: 'acme' }, groupProperties: { company: { tier: 'gold' } } });
    expect(val(evaluateFlag(defs, 'f', c))).toBe(true);
  });
});

describe('holdout', () => {
  const defs = (pct: number) =>
    compileDefinitions({
      flags: [flag('f', { groups: [{ properties: [] }], holdout: { id: 3, exclusion_percentage: pct } })],
    });
  it('holds out by hash of "holdout-" + id', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `u${i}`);
    for (const id of ids) {
      const expected = holdoutHash(id) <= 0.3 ? 'holdout-3' : true;
      expect(val(evaluateFlag(defs(30), 'f', ctx({ distinctId: id })))).toBe(expected);
    }
    expect(val(evaluateFlag(defs(100), 'f', ctx()))).toBe('holdout-3');
  });
});

describe('cohorts', () => {
  const cohorts = {
    '1': {
      type: 'OR',
      values: [
        { type: 'AND', values: [prop('plan', 'pro')] },
        { type: 'AND', values: [prop('age', 30, 'gt')] },
      ],
    },
    '2': {
      type: 'AND',
      values: [
        { key: 'id', type: 'cohort', value: 1 },
        { ...prop('banned', true), negation: true },
      ],
    },
    '3': { type: 'weird', values: [] },
  };
  const defs = compileDefinitions({
    flags: [
      flag('in1', { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 1 }] }] }),
      flag('in2', { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 2 }] }] }),
      flag('notin1', {
        groups: [{ properties: [{ key: 'id', type: 'cohort', value: 1, operator: 'not_in' }] }],
      }),
      flag('static', {
        groups: [{ properties: [{ key: 'id', type: 'cohort', value: 99 }] }, { properties: [] }],
      }),
      flag('odd', { groups: [{ properties: [{ key: 'id', type: 'cohort', value: 3 }] }] }),
    ],
    cohorts,
  });
  it.each<[string, Record<string, unknown>, unknown]>([
    ['in1', { plan: 'pro' }, true],
    ['in1', { plan: 'free', age: 31 }, true],
    ['in1', { plan: 'free', age: 20 }, false],
    ['in1', { age: 20 }, 'missing_context'],
    ['in1', { plan: 'pro' }, true],
    ['notin1', { plan: 'pro' }, false],
    ['in2', { plan: 'pro', banned: false }, true],
    ['in2', { plan: 'pro', banned: true }, false],
    ['static', {}, 'requires_server'],
    ['odd', {}, 'requires_server'],
  ])('%s with %j -> %s', (key, personProperties, expected) => {
    expect(val(evaluateFlag(defs, key, ctx({ personProperties })))).toBe(expected);
  });
});

describe('flag dependencies', () => {
  const defs = compileDefinitions({
    flags: [
      flag('base', {
        groups: [{ properties: [prop('plan', 'pro')] }],
        multivariate: { variants: [{ key: 'v', rollout_percentage: 100 }] },
      }),
      flag('off', { groups: [{ properties: [] }] }, { active: false }),
      flag('needsV', {
        groups: [
          {
            properties: [
              {
                key: 'base',
                type: 'flag',
                value: 'v',
                operator: 'flag_evaluates_to',
                dependency_chain: ['base'],
              },
            ],
          },
        ],
      }),
      flag('needsTrue', {
        groups: [{ properties: [{ key: 'base', type: 'flag', value: true, dependency_chain: ['base'] }] }],
      }),
      flag('needsOffFalse', {
        groups: [{ properties: [{ key: 'off', type: 'flag', value: false, dependency_chain: ['off'] }] }],
      }),
      flag('noChain', { groups: [{ properties: [{ key: 'base', type: 'flag', value: true }] }] }),
      flag('ghost', {
        groups: [{ properties: [{ key: 'g', type: 'flag', value: true, dependency_chain: ['g'] }] }],
      }),
    ],
  });
  it.each<[string, Record<string, unknown>, unknown]>([
    ['needsV', { plan: 'pro' }, true],
    ['needsV', { plan: 'free' }, false],
    ['needsTrue', { plan: 'pro' }, true],
    ['needsOffFalse', {}, true],
    ['needsV', {}, 'unresolved_dependency'],
    ['noChain', { plan: 'pro' }, 'unsupported_definition'],
    ['ghost', {}, 'unsupported_definition'],
  ])('%s with %j -> %s', (key, personProperties, expected) => {
    expect(val(evaluateFlag(defs, key, ctx({ personProperties })))).toBe(expected);
  });
  it('evaluateAll shares the dependency cache and returns every flag', () => {
    const all = evaluateAll(defs, ctx({ personProperties: { plan: 'pro' } }));
    expect([...all.keys()]).toHaveLength(7);
    expect(val(all.get('needsV') as FlagEvaluationResult)).toBe(true);
    expect([...evaluateAll(defs, ctx(), ['base', 'missing']).keys()]).toEqual(['base']);
  });
});

describe('explain', () => {
  it('records filters, rollout and variant', () => {
    const defs = compileDefinitions({
      flags: [
        flag('f', {
          groups: [{ properties: [prop('plan', 'pro'), prop('x', 1, 'gt')], rollout_percentage: 100 }],
          multivariate: { variants: [{ key: 'a', rollout_percentage: 100 }] },
        }),
      ],
    });
    const trace = createExplainTrace();
    evaluateFlag(defs, 'f', ctx({ personProperties: { plan: 'pro', x: 2 } }), { explain: trace });
    expect(trace.events.map((e) => e.type)).toEqual([
      'flag',
      'filter',
      'filter',
      'rollout',
      'variant',
      'result',
    ]);
    expect(trace.events[1]).toMatchObject({ key: 'plan', outcome: 'matched' });
  });
});
