/**
 * Micro-benchmark for the evaluator (not a test): `npx tsx test/flags/timing.ts`.
 * Prints ns per single-flag evaluation and µs per evaluateAll over 51 realistic flags, plus heap drift.
 */
import { compileDefinitions, evaluateAll, evaluateFlag } from '../../src/flags/index.js';
import { realisticFlag as realistic } from './client/helpers.js';

const defs = compileDefinitions({ flags: Array.from({ length: 51 }, (_, i) => realistic(i)) });
const ctx = {
  distinctId: 'user-12345',
  personProperties: { email: 'someone@example.com', plan: 'pro', app_version: '2.3.1', country: 'US' },
  now: 1_750_000_000_000,
};

function bench(label: string, n: number, fn: () => void, unit: 'ns' | 'µs'): void {
  for (let i = 0; i < n / 10; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / n;
  console.log(`${label}: ${unit === 'ns' ? ns.toFixed(0) + ' ns' : (ns / 1000).toFixed(1) + ' µs'} per call`);
}

bench('evaluateFlag (3 filters + 50% rollout)', 300_000, () => void evaluateFlag(defs, 'flag-1', ctx), 'ns');
bench('evaluateFlag (multivariate)', 300_000, () => void evaluateFlag(defs, 'flag-3', ctx), 'ns');
bench('evaluateAll (51 flags)', 20_000, () => void evaluateAll(defs, ctx), 'µs');
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 200_000; i++)
  evaluateAll(defs, { ...ctx, distinctId: `u${i % 1000}` }, ['flag-1', 'flag-2']);
globalThis.gc?.();
console.log(
  `heap drift after 200k calls: ${((process.memoryUsage().heapUsed - before) / 1024).toFixed(0)} KiB`,
);
