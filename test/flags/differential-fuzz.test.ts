import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fuzzContext } from './fuzz-context.js';
import { fuzzDefinitions } from './fuzz-defs.js';
import { fuzzOperators } from './fuzz-ops.js';
import { chance, pick, prng, type RandomContext, type Rnd } from './random-defs.js';
import { DefinitionsEndpoint, nodeClient, tsClient } from './sdk-clients.js';

/**
 * Seeded differential fuzz: posthog-ts and posthog-node, both as real clients, evaluate the same random
 * definitions locally, and every flag of every context is compared: getAllFlagsAndPayloads (value, or
 * inconclusive when a client leaves the flag out, and payload), then getFeatureFlag and getFeatureFlagPayload
 * (with and without a match value) for one flag. Two generators: fuzz-defs.ts (broad: every operator, nested
 * cohorts, dependencies, holdouts, mixed aggregation, evaluation contexts, payload types, Unicode) and
 * fuzz-ops.ts (operator-focused, mostly conclusive). Every fourth broad set is served to a pair of clients
 * configured with `evaluationContexts: ['web']`. differential-node.test.ts covers the pure evaluator.
 *
 * Larger runs, no code change: FLAGS_FUZZ_SETS (definition sets per generator, default 400) and
 * FLAGS_FUZZ_SEED (default 1), e.g. `FLAGS_FUZZ_SETS=2000 npx vitest run test/flags/differential-fuzz.test.ts`.
 *
 * The README's deliberate differences, each handled here alone:
 * - a flag call with an empty distinct id: ours returns undefined (asserted; posthog-node buckets "").
 *   getAllFlagsAndPayloads with an empty id is compared like any other.
 * - a payload that parses to 0, false or "": posthog-node's getAllFlagsAndPayloads leaves it out, so that one
 *   comparison expects null there; getFeatureFlagPayload is compared as is.
 * Not generated: a null element in `flags` (posthog-node rejects the whole body), cycles and huge regexes (see
 * differential-node.test.ts), values that are not JSON, and corrupted definitions.
 */
const SETS = Number(process.env.FLAGS_FUZZ_SETS ?? 400);
const SEED = Number(process.env.FLAGS_FUZZ_SEED ?? 1);
const CONTEXTS_PER_SET = 8;
/** Room for large FLAGS_FUZZ_SETS runs (a set takes about 10 ms). */
const TIMEOUT_MS = 30_000 + SETS * 50;

const endpoint = new DefinitionsEndpoint();
const pairs = [undefined, ['web']].map((contexts) => ({
  node: nodeClient(endpoint, contexts),
  ts: tsClient(endpoint, contexts),
}));
type Pair = (typeof pairs)[number];

beforeAll(() => {
  // posthog-node warns about every unresolvable definition it loads; the random sets are full of them.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterAll(async () => {
  await Promise.all(pairs.flatMap((p) => [p.node.shutdown(1000), p.ts.shutdown(1000)]));
  vi.restoreAllMocks();
});

/** One generated set: definitions, and how to draw contexts for them. */
interface FuzzSet {
  definitions: Record<string, unknown>;
  context: (r: Rnd, i: number) => RandomContext;
}

class Tally {
  compared = 0;
  conclusive = 0;
  readonly mismatches: string[] = [];

  check(where: string, node: unknown, ours: unknown): void {
    this.compared++;
    const [a, b] = [node, ours].map((v) => (v === undefined ? 'inconclusive' : JSON.stringify(v)));
    if (a !== b) this.mismatches.push(`${where}: node=${a} ours=${b}`);
  }
}

const own = (o: Record<string, unknown> | undefined, key: string): unknown =>
  o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
/** The documented difference: posthog-node's all-flags call leaves out payloads that parse to a falsy value. */
const asNodeListsAll = (p: unknown): unknown => (p === 0 || p === false || p === '' ? null : (p ?? null));

async function compareContext(
  pair: Pair,
  keys: string[],
  ctx: RandomContext,
  r: Rnd,
  where: string,
  t: Tally,
) {
  const { distinctId, groups, personProperties, groupProperties } = ctx;
  const opts = { groups, personProperties, groupProperties, onlyEvaluateLocally: true };
  const theirs = await pair.node.getAllFlagsAndPayloads(distinctId, opts);
  const ours = await pair.ts.getAllFlagsAndPayloads(distinctId, opts);
  for (const key of keys) {
    const value = own(theirs.featureFlags, key);
    if (value !== undefined) t.conclusive++;
    t.check(`${where} ${key} all value`, value, own(ours.featureFlags, key));
    const theirPayload = own(theirs.featureFlagPayloads, key) ?? null;
    t.check(`${where} ${key} all payload`, theirPayload, asNodeListsAll(own(ours.featureFlagPayloads, key)));
  }
  const key = pick(r, keys);
  const single = { ...opts, sendFeatureFlagEvents: false };
  const match = chance(r, 0.25) ? pick(r, [true, false, 'control', 'test', 'nope', 'holdout-7']) : undefined;
  const value = await pair.ts.getFeatureFlag(key, distinctId, single);
  const payload = await pair.ts.getFeatureFlagPayload(key, distinctId, match, single);
  // The documented difference: with an empty distinct id ours decides nothing (posthog-node buckets "").
  const empty = distinctId === '';
  const nodeValue = empty ? undefined : await pair.node.getFeatureFlag(key, distinctId, single);
  const nodePayload = empty
    ? undefined
    : await pair.node.getFeatureFlagPayload(key, distinctId, match, single);
  t.check(`${where} ${key} single value`, nodeValue, value);
  t.check(`${where} ${key} single payload (match ${String(match)})`, nodePayload, payload);
}

async function fuzz(label: string, generate: (r: Rnd) => FuzzSet, pairFor: (set: number) => Pair) {
  const r = prng(SEED);
  const t = new Tally();
  for (let s = 0; s < SETS; s++) {
    const { definitions, context } = generate(r);
    const pair = pairFor(s);
    endpoint.body = definitions;
    await Promise.all([pair.node.reloadFeatureFlags(), pair.ts.reloadFeatureFlags()]);
    const keys = (definitions.flags as { key: string }[]).map((f) => f.key);
    for (let c = 0; c < CONTEXTS_PER_SET; c++) {
      await compareContext(pair, keys, context(r, s * 100 + c), r, `seed ${SEED} set ${s} ctx ${c}`, t);
    }
  }
  console.log(
    `differential fuzz (${label}): ${t.compared} comparisons, ${t.conclusive} conclusive flag values, ` +
      `${t.mismatches.length} mismatches`,
  );
  return t;
}

describe('differential fuzz vs posthog-node, both as clients', () => {
  it(
    `broad definitions: ${SETS} sets x ${CONTEXTS_PER_SET} contexts`,
    async () => {
      const broad = (r: Rnd): FuzzSet => ({ definitions: fuzzDefinitions(r), context: fuzzContext });
      const t = await fuzz('broad', broad, (s) => pairs[s % 4 === 3 ? 1 : 0] as Pair);
      expect(t.mismatches.slice(0, 20)).toEqual([]);
      expect(t.compared).toBeGreaterThan(SETS * CONTEXTS_PER_SET * 10);
      expect(t.conclusive).toBeGreaterThan(t.compared / 5);
    },
    TIMEOUT_MS,
  );

  it(
    `operators: ${SETS} sets x ${CONTEXTS_PER_SET} contexts`,
    async () => {
      const t = await fuzz('operators', fuzzOperators, () => pairs[0] as Pair);
      expect(t.mismatches.slice(0, 20)).toEqual([]);
      expect(t.compared).toBeGreaterThan(SETS * CONTEXTS_PER_SET * 10);
      expect(t.conclusive).toBeGreaterThan(t.compared / 5);
    },
    TIMEOUT_MS,
  );
});
