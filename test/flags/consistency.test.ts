import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bucketHash,
  compileDefinitions,
  evaluateFlag,
  holdoutHash,
  sha1Fraction,
  sha1Hex,
} from '../../src/flags/index.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const NOW = Date.UTC(2025, 0, 15);
/** 0xfffffffffffffff as the reference SDKs hold it: rounded to 2^60. */
const LONG_SCALE = 2 ** 60;

describe('sha1', () => {
  it.each([
    '',
    'a',
    'abc',
    'x'.repeat(55),
    'x'.repeat(56),
    'x'.repeat(64),
    'y'.repeat(1000),
    'héllo wörld 😀',
    'lone \ud800 surrogate',
  ])('matches node:crypto for %j', (s) => {
    expect(sha1Hex(s)).toBe(createHash('sha1').update(s).digest('hex'));
  });

  it('matches node:crypto across the one-block ASCII fast path and its edges (lengths 0 to 140, multi-byte text)', () => {
    for (let n = 0; n < 140; n++) {
      for (const ch of ['a', '\u007f', '\u0080', 'é', '😀']) {
        const s = ch.repeat(n) + 'x'.repeat(n % 7);
        if (sha1Hex(s) !== createHash('sha1').update(s).digest('hex'))
          expect.fail(`mismatch for ${JSON.stringify(s)}`);
      }
    }
  });

  it('reproduces parseInt(hex15)/LONG_SCALE bit for bit on 20k inputs', () => {
    for (let i = 0; i < 20_000; i++) {
      const s = `flag-${i}.user_${(i * 7919) % 100_003}${i % 3 === 0 ? 'variant' : ''}`;
      const ref = Number.parseInt(createHash('sha1').update(s).digest('hex').slice(0, 15), 16) / LONG_SCALE;
      if (sha1Fraction(s) !== ref) expect.fail(`mismatch for ${s}`);
    }
  });
});

describe('hash vectors', () => {
  it.each(vectors.hash_vectors.calculate_hash)(
    'calculate_hash($key, $id) = $hash',
    ({ key, id, salt, hash }) => {
      expect(bucketHash(key, id, salt)).toBeCloseTo(hash, 12);
    },
  );
  it.each(vectors.hash_vectors.simple_enabled)(
    'simple flag $key/$id at $rollout_percentage% is $enabled',
    ({ key, id, rollout_percentage, enabled }) => {
      const defs = compileDefinitions({
        flags: [{ key, active: true, filters: { groups: [{ properties: [], rollout_percentage }] } }],
      });
      const r = evaluateFlag(defs, key, { distinctId: id, now: NOW });
      expect(r.kind === 'match' && r.value).toBe(enabled);
    },
  );
  it('holdout hashes "holdout-" + id with no dot', () => {
    expect(holdoutHash('some_distinct_id')).toBe(sha1Fraction('holdout-some_distinct_id'));
    expect(bucketHash('holdout-', 'some_distinct_id')).toBeCloseTo(0.0866397292395582, 12);
  });
});

describe('cross-SDK consistency (2 x 1000 distinct ids)', () => {
  const simple = compileDefinitions({ flags: [vectors.simple.flag] });
  const multi = compileDefinitions({ flags: [vectors.multivariate.flag] });

  it('simple-flag: all 1000 results', () => {
    const got = vectors.simple.results.map((_, i) => {
      const r = evaluateFlag(simple, 'simple-flag', { distinctId: `distinct_id_${i}`, now: NOW });
      return r.kind === 'match' ? r.value : 'inconclusive';
    });
    expect(got).toEqual(vectors.simple.results);
  });

  it('multivariate-flag: all 1000 results and payloads', () => {
    const values: unknown[] = [];
    const payloads: string[] = [];
    vectors.multivariate.results.forEach((_, i) => {
      const r = evaluateFlag(multi, 'multivariate-flag', { distinctId: `distinct_id_${i}`, now: NOW });
      values.push(r.kind === 'match' ? r.value : 'inconclusive');
      payloads.push(r.kind === 'match' && r.payload !== null ? JSON.stringify(r.payload) : '');
    });
    expect(values).toEqual(vectors.multivariate.results);
    const expectedPayloads = vectors.multivariate.payload_results_go.map((p) =>
      p === '' ? '' : JSON.stringify(JSON.parse(p)),
    );
    expect(payloads).toEqual(expectedPayloads);
  });
});
