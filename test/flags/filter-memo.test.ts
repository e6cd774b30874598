import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bucketHash,
  compileDefinitions,
  type EvaluationContext,
  evaluateAll,
  type FlagEvaluationResult,
  holdoutHash,
} from '../../src/flags/index.js';
import { NOW } from './helpers.js';

const val = (r: FlagEvaluationResult | undefined): unknown => (r?.kind === 'match' ? r.value : r?.reason);
const prop = (key: string, value: unknown, operator = 'exact', type = 'person') => ({
  key,
  value,
  operator,
  type,
});
const flag = (key: string, filters: Record<string, unknown>) => ({ key, active: true, filters });
const all = (defs: ReturnType<typeof compileDefinitions>, ctx: Partial<EvaluationContext>) =>
  Object.fromEntries(
    [...evaluateAll(defs, { distinctId: 'user-1', now: NOW, ...ctx })].map(([k, r]) => [k, val(r)]),
  );

describe('shared filters are evaluated once per call, without changing answers', () => {
  const internal = prop('email', '@acme.com', 'icontains');

  it('numbers identical filters with one slot and different ones apart', () => {
    const defs = compileDefinitions({
      flags: [
        flag('a', { groups: [{ properties: [internal, prop('plan', ['pro'])] }] }),
        flag('b', { groups: [{ properties: [{ ...internal }, prop('plan', ['free'])] }] }),
      ],
    });
    expect(defs.propertySlots).toBe(3);
    expect(all(defs, { personProperties: { email: 'x@acme.com', plan: 'pro' } })).toEqual({
      a: true,
      b: false,
    });
    expect(all(defs, { personProperties: { email: 'x@other.io', plan: 'pro' } })).toEqual({
      a: false,
      b: false,
    });
  });

  it('a group condition with the same filter reads the group properties, not the person memo', () => {
    const employees = (type: string) => ({ ...prop('size', 10, 'gt', type), group_type_index: 0 });
    const defs = compileDefinitions({
      flags: [
        flag('person', { groups: [{ properties: [employees('person')] }] }),
        flag('company', {
          aggregation_group_type_index: 0,
          groups: [{ properties: [employees('group')] }],
        }),
      ],
      group_type_mapping: { '0': 'company' },
    });
    const r = all(defs, {
      personProperties: { size: 50 },
      groups: { company: 'acme' },
      groupProperties: { company: { size: 3 } },
    });
    expect(r).toEqual({ person: true, company: false });
  });

  it('negation inside a cohort applies after the shared match', () => {
    const defs = compileDefinitions({
      flags: [
        flag('plain', { groups: [{ properties: [prop('plan', 'pro')] }] }),
        flag('not-pro', { groups: [{ properties: [{ key: 'id', value: 1, type: 'cohort' }] }] }),
      ],
      cohorts: { '1': { type: 'AND', values: [{ ...prop('plan', 'pro'), negation: true }] } },
    });
    expect(all(defs, { personProperties: { plan: 'pro' } })).toEqual({ plain: true, 'not-pro': false });
    expect(all(defs, { personProperties: { plan: 'free' } })).toEqual({ plain: false, 'not-pro': true });
  });

  it('an inconclusive shared filter keeps its reason in every flag that meets it', () => {
    const defs = compileDefinitions({
      flags: [
        flag('a', { groups: [{ properties: [prop('plan', 'pro')] }] }),
        flag('b', { groups: [{ properties: [prop('plan', 'pro')] }] }),
      ],
    });
    const results = evaluateAll(defs, { distinctId: 'u', now: NOW, personProperties: {} });
    for (const r of results.values()) {
      expect(r).toMatchObject({ kind: 'inconclusive', unresolvedReason: 'missing_context' });
      expect(r.kind === 'inconclusive' && r.detail).toContain("'plan'");
    }
  });

  it('a device-bucketed flag still reads the distinct id as `distinct_id` (device id only buckets)', () => {
    const defs = compileDefinitions({
      flags: [
        {
          ...flag('by-device', { groups: [{ properties: [prop('distinct_id', 'user-1')] }] }),
          bucketing_identifier: 'device_id',
        },
        flag('by-user', { groups: [{ properties: [prop('distinct_id', 'user-1')] }] }),
      ],
    });
    expect(all(defs, { deviceId: 'device-9', personProperties: {} })).toEqual({
      'by-device': true,
      'by-user': true,
    });
    expect(all(defs, { distinctId: 'user-2', deviceId: 'user-1', personProperties: {} })).toEqual({
      'by-device': false,
      'by-user': false,
    });
  });

  it('filters whose values differ only in how JSON would write them (null, missing, Infinity) do not share a slot', () => {
    const icontains = (value?: unknown) =>
      value === undefined
        ? { key: 'name', operator: 'icontains', type: 'person' }
        : prop('name', value, 'icontains');
    const defs = compileDefinitions({
      flags: [
        flag('null', { groups: [{ properties: [icontains(null)] }] }),
        flag('missing', { groups: [{ properties: [icontains()] }] }),
        flag('infinity', { groups: [{ properties: [icontains(Number.POSITIVE_INFINITY)] }] }),
      ],
    });
    expect(defs.propertySlots).toBe(3);
    const person = { personProperties: { name: 'nullable' } };
    const together = all(defs, person);
    for (const key of ['null', 'missing', 'infinity']) {
      const alone = val(evaluateAll(defs, { distinctId: 'user-1', now: NOW, ...person }, [key]).get(key));
      expect(together[key], key).toBe(alone);
    }
    expect(together).toEqual({ null: true, missing: false, infinity: false });
  });
});

describe('bucketing hashes from parts', () => {
  const ref = (s: string) =>
    Number.parseInt(createHash('sha1').update(s).digest('hex').slice(0, 15), 16) / 2 ** 60;

  it('equal SHA-1 of the joined string at every length around one block and with non-ASCII parts', () => {
    for (let k = 0; k < 40; k++) {
      for (let n = 0; n < 40; n++) {
        for (const ch of ['u', 'é', '😀']) {
          const key = 'k'.repeat(k);
          const id = ch.repeat(n % 3) + 'i'.repeat(n);
          for (const salt of ['', 'variant']) {
            if (bucketHash(key, id, salt) !== ref(`${key}.${id}${salt}`))
              expect.fail(`mismatch for ${JSON.stringify([key, id, salt])}`);
          }
          if (holdoutHash(id) !== ref(`holdout-${id}`)) expect.fail(`holdout mismatch for ${id}`);
        }
      }
    }
  });
});
