import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileDefinitions, evaluateAll, evaluateFlag } from '../../src/flags/index.js';
import { prng, randomContext, randomDefinitions } from './random-defs.js';
import { DefinitionsEndpoint, nodeClient } from './sdk-clients.js';

/**
 * Seeded differential test against posthog-node's own local evaluation. Random definitions are served to a real
 * client through an in-memory fetch; every flag of every context is compared (value, or "inconclusive" where
 * posthog-node returns nothing), plus payloads.
 *
 * Deliberate differences (none are generated here, so none need excusing below):
 * - cyclic cohorts / cyclic flag dependencies: posthog-node overflows the stack; we report inconclusive.
 * - a regex whose NFA would exceed 20,000 instructions (e.g. `a{50000}`): we defer to the server.
 */
const endpoint = new DefinitionsEndpoint();
const client = nodeClient(endpoint);

beforeAll(() => {
  // posthog-node warns about every unresolvable definition it loads; the random sets are full of them.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterAll(async () => {
  await client.shutdown(1000);
  vi.restoreAllMocks();
});

const SETS = 250;
const CONTEXTS_PER_SET = 12;

describe('differential vs posthog-node local evaluation', () => {
  it(`agrees on ${SETS} random definition sets x ${CONTEXTS_PER_SET} contexts`, async () => {
    const r = prng(20240611);
    const mismatches: string[] = [];
    let compared = 0;
    let conclusive = 0;
    for (let s = 0; s < SETS; s++) {
      endpoint.body = randomDefinitions(r);
      await client.reloadFeatureFlags();
      const defs = compileDefinitions(JSON.parse(JSON.stringify(endpoint.body)));
      for (let c = 0; c < CONTEXTS_PER_SET; c++) {
        const ctx = randomContext(r, s * 100 + c);
        const theirs = await client.getAllFlagsAndPayloads(ctx.distinctId, {
          groups: ctx.groups,
          personProperties: ctx.personProperties,
          groupProperties: ctx.groupProperties,
          onlyEvaluateLocally: true,
        });
        const mine = evaluateAll(defs, { ...ctx, now: Date.now() });
        const theirFlags = theirs.featureFlags ?? {};
        const theirPayloads = theirs.featureFlagPayloads ?? {};
        for (const [key, res] of mine) {
          compared++;
          const a = key in theirFlags ? theirFlags[key] : 'inconclusive';
          const b = res.kind === 'match' ? res.value : 'inconclusive';
          if (res.kind === 'match') conclusive++;
          const pa = theirPayloads[key] ?? null;
          const pb = res.kind === 'match' ? res.payload : null;
          if (a !== b || JSON.stringify(pa) !== JSON.stringify(pb)) {
            mismatches.push(
              `set ${s} ctx ${c} ${key}: node=${JSON.stringify(a)} ours=${JSON.stringify(b)} ${res.kind === 'inconclusive' ? res.detail : ''}`,
            );
          }
        }
        // Single-flag path (separate dependency cache) for the first flag.
        const first = [...defs.flags.keys()][0] as string;
        const single = await client.getFeatureFlag(first, ctx.distinctId, {
          groups: ctx.groups,
          personProperties: ctx.personProperties,
          groupProperties: ctx.groupProperties,
          onlyEvaluateLocally: true,
          sendFeatureFlagEvents: false,
        });
        const one = evaluateFlag(defs, first, { ...ctx, now: Date.now() });
        compared++;
        if ((single ?? 'inconclusive') !== (one.kind === 'match' ? one.value : 'inconclusive')) {
          mismatches.push(
            `single ${s}/${c} ${first}: node=${JSON.stringify(single)} ours=${JSON.stringify(one)}`,
          );
        }
      }
    }
    console.log(
      `differential: ${compared} comparisons, ${conclusive} conclusive locally, ${mismatches.length} mismatches`,
    );
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(compared).toBeGreaterThan(2000);
    expect(conclusive).toBeGreaterThan(compared / 4);
  });
});
