import { describe, expect, it } from 'vitest';
import { NOW, runFilter } from './helpers.js';

type Row = [operator: string | undefined, filterValue: unknown, actual: unknown, expected: boolean | string];

const run = (op: string | undefined, value: unknown, actual: unknown, version?: number): boolean | string =>
  runFilter(
    { key: 'p', value, ...(op !== undefined ? { operator: op } : {}) },
    { p: actual },
    version === undefined ? {} : { version },
  );

describe('presence rules', () => {
  it.each([
    ['exact', 'missing_context'],
    ['is_set', 'missing_context'],
    ['is_not_set', 'missing_context'],
    ['bogus', 'unsupported_definition'],
  ])('absent key with %s -> %s', (operator, expected) => {
    expect(runFilter({ key: 'p', value: 'x', operator }, {})).toBe(expected);
  });
  it('only own properties count', () => {
    expect(runFilter({ key: 'toString', value: 'x', operator: 'is_set' }, {})).toBe('missing_context');
  });
  it('distinct_id is implied and can be overridden', () => {
    expect(runFilter({ key: 'distinct_id', value: 'u1' }, {})).toBe(true);
    expect(runFilter({ key: 'distinct_id', value: 'u1' }, { distinct_id: 'other' })).toBe(false);
  });
  it.each<[string, unknown, boolean | string]>([
    ['is_set', null, true],
    ['is_not_set', 'x', false],
    ['exact', undefined, 'unsupported_definition'],
    ['gt', null, false],
    ['semver_eq', null, false],
    ['is_date_after', null, false],
    ['bogus', null, false],
    ['exact', null, false],
    ['icontains', null, true],
  ])('%s with value %j -> %s', (op, actual, expected) => {
    expect(run(op, op === 'icontains' ? 'NUL' : 'x', actual)).toBe(expected);
  });
  it('null compares as the string "null"', () => {
    expect(run('exact', 'NULL', null)).toBe(true);
    expect(run('regex', '^null$', null)).toBe(true);
  });
});

describe('exact / is_not', () => {
  it.each<Row>([
    [undefined, 'Pro', 'pro', true],
    ['exact', ['a', 'b'], 'B', true],
    ['exact', ['a', 'b'], 'c', false],
    ['is_not', ['a', 'b'], 'c', true],
    ['exact', 'true', true, true],
    ['exact', true, 'TRUE', true],
    ['exact', false, 'false', true],
    ['exact', [true], 'true', true],
    ['exact', [], 'anything', false],
    ['exact', 1.5, 1.5, true],
    ['exact', '1.5', 1.5, true],
    ['exact', 5, 5, 'unsupported_definition'],
    ['exact', '5', 5, 'missing_context'],
    ['exact', ['5', 7], '5', true],
    ['exact', ['x', 7], '5', 'unsupported_definition'],
    ['exact', '{"a":1.5,"b":"x"}', { b: 'x', a: 1.5 }, true],
    ['exact', 'x', Number.NaN, 'missing_context'],
    ['exact', 'x', '\ud800', 'missing_context'],
    ['is_not', 'pro', 'PRO', false],
  ])('legacy %s %j vs %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual)).toBe(expected);
  });
  it.each<Row>([
    ['exact', 'true', 'True', true],
    ['exact', true, 'yes', false],
    ['exact', true, 1, false],
    ['exact', 'false', 0, false],
    ['exact', [], 'x', false],
    ['exact', ['true', 'false'], 'FALSE', true],
  ])('v2 %s %j vs %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual, 2)).toBe(expected);
  });
});

describe('string operators (ASCII case folding)', () => {
  it.each<Row>([
    ['icontains', 'EXAMPLE', 'me@example.com', true],
    ['not_icontains', 'EXAMPLE', 'me@example.com', false],
    ['icontains', 'É', 'é', false],
    ['starts_with', 'Me', 'me@x', true],
    ['not_starts_with', 'Me', 'me@x', false],
    ['ends_with', '.COM', 'x.com', true],
    ['not_ends_with', '.com', 'x.org', true],
    ['icontains', 5, 12345, true],
  ])('%s %j on %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual)).toBe(expected);
  });
});

describe('regex operators', () => {
  it.each<Row>([
    ['regex', '^pro', 'professional', true],
    ['not_regex', '^pro', 'professional', false],
    ['regex', '', 'é', true],
    ['regex', '[', 'x', false],
    ['not_regex', '[', 'x', false],
    ['regex', '(?i)pro', 'x', 'unsupported_definition'],
    ['regex', 'pro', 'prö', 'unsupported_definition'],
    ['regex', '^\\d+$', 123, true],
  ])('%s %j on %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual)).toBe(expected);
  });
});

describe('numeric comparisons', () => {
  it.each<Row>([
    ['gt', 10, 11, true],
    ['gt', '10', '9', false],
    ['gte', 10, 10, true],
    ['lt', 2.5, '1e0', true],
    ['lte', 'm', 'a', true],
    ['gt', 'abc', 'abd', true],
    ['gt', 10, 'x', true],
  ])('%s %j vs %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual)).toBe(expected);
  });
});

describe('dates (clock is ctx.now = 2025-03-31T12:00Z)', () => {
  it.each<Row>([
    ['is_date_before', '2025-01-01', '2024-12-31', true],
    ['is_date_after', '2025-01-01', '2024-12-31', false],
    ['is_date_after', '-7d', '2025-03-30T00:00:00Z', true],
    ['is_date_before', '-7d', '2025-03-20T00:00:00Z', true],
    ['is_date_after', '1h', '2025-03-31T11:30:00Z', true],
    ['is_date_after', '-2w', '2025-03-18T00:00:00Z', true],
    ['is_date_after', '-1m', '2025-02-28T11:59:00Z', false],
    ['is_date_after', '-1m', '2025-02-28T12:00:01Z', true],
    ['is_date_after', '-1y', '2024-03-31T12:00:01Z', true],
    ['is_date_after', '-10000d', '2025-01-01', 'unsupported_definition'],
    ['is_date_after', true, '2025-01-01', 'unsupported_definition'],
    ['is_date_after', 'nope', '2025-01-01', 'unsupported_definition'],
    ['is_date_after', '2025-01-01', 'garbage', 'missing_context'],
    ['is_date_after', '2025-01-01', true, 'missing_context'],
    ['is_date_after', '2025-01-01', Date.UTC(2025, 5, 1), true],
  ])('%s %j vs %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual)).toBe(expected);
  });
  it('clamps month arithmetic step by step (Mar 31 - 1m = Feb 28)', () => {
    const feb28 = '2025-02-28T12:00:00Z';
    expect(runFilter({ key: 'p', value: '-1m', operator: 'is_date_before' }, { p: feb28 })).toBe(false);
    expect(runFilter({ key: 'p', value: '-1m', operator: 'is_date_after' }, { p: feb28 })).toBe(false);
    expect(
      runFilter(
        { key: 'p', value: '1y', operator: 'is_date_after' },
        { p: '2023-02-28T12:00:01Z' },
        { now: Date.UTC(2024, 1, 29, 12) },
      ),
    ).toBe(true);
    expect(NOW).toBe(Date.UTC(2025, 2, 31, 12));
  });
});

describe('semver', () => {
  it.each<Row>([
    ['semver_eq', '1.2.3', 'v1.2.3', true],
    ['semver_eq', '1.2', '1.2.0', true],
    ['semver_eq', '1.2.3', '1.2.3-beta+b1', true],
    ['semver_neq', '1.2.3', '1.2.4', true],
    ['semver_gt', '1.2.3', '1.10.0', true],
    ['semver_gte', '1.2.3', '1.2.3', true],
    ['semver_lt', '2.0.0', '1.99.99', true],
    ['semver_lte', '1.0.0', '1.0.1', false],
    ['semver_eq', '1.02.3', '1.2.3', 'unsupported_definition'],
    ['semver_eq', '1.2.3', 'x.y', 'missing_context'],
    ['semver_tilde', '1.2.3', '1.2.9', true],
    ['semver_tilde', '1.2.3', '1.3.0', false],
    ['semver_caret', '1.2.3', '1.9.0', true],
    ['semver_caret', '1.2.3', '2.0.0', false],
    ['semver_caret', '0.2.3', '0.2.9', true],
    ['semver_caret', '0.2.3', '0.3.0', false],
    ['semver_caret', '0.0.3', '0.0.4', false],
    ['semver_wildcard', '1.*', '1.99.0', true],
    ['semver_wildcard', '1.2.*', '1.3.0', false],
    ['semver_wildcard', '*', '1.0.0', 'unsupported_definition'],
  ])('%s %j vs %j -> %s', (op, value, actual, expected) => {
    expect(run(op, value, actual)).toBe(expected);
  });
});
