#!/usr/bin/env node
/**
 * Local flag evaluation, posthog-ts (dist/) against posthog-node, 51 realistic flags, definitions served from
 * memory, every call `onlyEvaluateLocally`. Each measurement runs in its own `node --expose-gc` process and the
 * SDK order alternates between repetitions; medians are reported. Writes bench/RESULTS-flags.md.
 *
 *   npm run build && node bench/flags.mjs [--quick]
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { flagDefinitions, personProperties } from './lib/flag-definitions.mjs';

const QUICK = process.argv.includes('--quick');
const CHILD = process.argv.find((a) => a.startsWith('--child='))?.slice(8);
const USERS = 10_000;

/** An in-memory PostHog: definitions for the poller, 200 for everything else. */
function memoryFetch() {
  const body = JSON.stringify(flagDefinitions());
  return async (url) => {
    const text =
      url.includes('/flags/definitions') || url.includes('local_evaluation') ? body : '{"status":1}';
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

async function client(sdk) {
  const common = {
    host: 'http://posthog.bench',
    fetch: memoryFetch(),
    featureFlagsPollingInterval: 600_000,
    flushAt: 1000,
  };
  if (sdk === 'posthog-ts') {
    const { PostHog } = await import('../dist/index.js');
    const ph = new PostHog('phc_bench', { ...common, secretKey: 'phs_bench', logger: silent });
    await ph.waitForLocalEvaluationReady(10_000);
    return ph;
  }
  const { PostHog } = await import('posthog-node');
  const ph = new PostHog('phc_bench', { ...common, personalApiKey: 'phx_bench' });
  await ph.waitForLocalEvaluationReady(10_000);
  return ph;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Awaited calls alone only run microtasks, so timers and I/O (the SDKs' flushes of `$feature_flag_called`
 * events) would never run and both queues would just fill up and refuse. A server turns its event loop
 * between requests; the loops below do too, every YIELD_EVERY calls, for both SDKs alike.
 */
const YIELD_EVERY = 100;
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function measureChild(sdk, kind, calls, events) {
  const ph = await client(sdk);
  const opts = (i) => ({
    personProperties: personProperties(i),
    groups: { company: `c${i % 50}` },
    groupProperties: { company: { employees: i % 30 } },
    onlyEvaluateLocally: true,
    sendFeatureFlagEvents: events,
  });
  const call =
    kind === 'getFeatureFlag'
      ? (i) => ph.getFeatureFlag(`flag-${i % 48}`, `user-${i % USERS}`, opts(i))
      : (i) => ph.getAllFlags(`user-${i % USERS}`, opts(i));
  const warm = Math.min(calls, kind === 'getFeatureFlag' ? 20_000 : 2_000);
  let defined = 0;
  for (let i = 0; i < warm; i++) {
    if ((await call(i)) !== undefined) defined++;
    if (i % YIELD_EVERY === 0) await turn();
  }
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) {
    const value = await call(i);
    if (value !== undefined) defined++;
    if (i % YIELD_EVERY === 0) await turn();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  global.gc?.();
  const heapGrowthMB = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  if (process.env.BENCH_STATS) console.error(sdk, JSON.stringify(ph.stats?.()));
  await ph.shutdown();
  return { sdk, kind, events, calls, callsPerSec: calls / seconds, heapGrowthMB, defined };
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), `--child=${JSON.stringify(args)}`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`exit ${code}`)),
    );
  });
}

if (CHILD) {
  const { sdk, kind, calls, events } = JSON.parse(CHILD);
  const result = await measureChild(sdk, kind, calls, events);
  console.log(JSON.stringify(result));
  process.exit(0);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
// Five repetitions: this shared machine's speed drifts over a run by more than the SDKs differ from run to run.
const reps = QUICK ? 1 : 5;
const plan = [
  { kind: 'getFeatureFlag', calls: QUICK ? 20_000 : 300_000, nodeCalls: QUICK ? 5_000 : 30_000 },
  { kind: 'getAllFlags', calls: QUICK ? 1_000 : 10_000, nodeCalls: QUICK ? 200 : 1_000 },
];
const rows = [];
for (const { kind, calls, nodeCalls } of plan) {
  for (const events of [false, true]) {
    const samples = { 'posthog-ts': [], 'posthog-node': [] };
    const paired = [];
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? ['posthog-ts', 'posthog-node'] : ['posthog-node', 'posthog-ts'];
      for (const sdk of order) {
        const result = await runChild({ sdk, kind, events, calls: sdk === 'posthog-ts' ? calls : nodeCalls });
        console.log(`${kind} events=${events} ${sdk}: ${Math.round(result.callsPerSec)} calls/s`);
        samples[sdk].push(result.callsPerSec);
      }
      // The two measurements of one repetition ran back to back, on the machine in the same state.
      paired.push(samples['posthog-ts'][rep] / samples['posthog-node'][rep]);
    }
    const ts = median(samples['posthog-ts']);
    const node = median(samples['posthog-node']);
    rows.push({ kind, events, ts, node, ofMedians: ts / node, ratio: median(paired), paired });
  }
}
const heapCalls = QUICK ? 100_000 : 1_000_000;
const heap = await runChild({ sdk: 'posthog-ts', kind: 'getFeatureFlag', events: false, calls: heapCalls });
console.log(`heap growth over ${heapCalls} evaluations: ${heap.heapGrowthMB.toFixed(2)} MB`);

const TARGET = 30;
const lines = [
  `# Local flag evaluation: posthog-ts vs posthog-node ${QUICK ? '(quick mode)' : ''}`,
  '',
  'Generated by `bench/flags.mjs`; every figure comes from the run that wrote this file.',
  '',
  `| | |`,
  `|---|---|`,
  `| Date | ${new Date().toISOString()} |`,
  `| Machine | ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} logical CPUs |`,
  `| Node | ${process.version} |`,
  `| Load average at end | ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')} |`,
  `| Commit | ${gitHead()} |`,
  `| Setup | 51 flags (48 person flags with 2-3 conditions, icontains / exact list / semver / gt filters, rollouts, 12 multivariate with payloads; 1 group flag, 1 cohort flag, 1 flag dependency); ${USERS} distinct ids; every call \`onlyEvaluateLocally\`, awaited one after the other, the event loop turned every 100 calls (so \`$feature_flag_called\` events are delivered); ${reps} repetition(s), each one measurement per SDK back to back, the order alternating |`,
  '',
  "calls/s are medians over the repetitions. The ratio read against the target is the median of the repetitions' own",
  'ratios (posthog-ts / posthog-node measured back to back), so that a slow phase of the machine weighs on both sides',
  'of a ratio; the ratio of the two medians and the range of the per-repetition ratios are shown beside it.',
  '',
  '| call | `$feature_flag_called` | posthog-ts calls/s | posthog-node calls/s | ratio (median of pairs) | ratio of medians | pairs min–max | target | result |',
  '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.kind} | ${r.events ? 'on' : 'off'} | ${Math.round(r.ts).toLocaleString('en')} | ${Math.round(r.node).toLocaleString('en')} | ${r.ratio.toFixed(1)}x | ${r.ofMedians.toFixed(1)}x | ${Math.min(...r.paired).toFixed(1)}x–${Math.max(...r.paired).toFixed(1)}x | ${TARGET}x | **${r.ratio >= TARGET ? 'PASS' : 'FAIL'}** |`,
  ),
  '',
  `Heap growth over ${heapCalls.toLocaleString('en')} local \`getFeatureFlag\` evaluations (posthog-ts, after a full GC): ${heap.heapGrowthMB.toFixed(2)} MB.`,
  '',
];
const out = fileURLToPath(
  new URL(QUICK ? './results/RESULTS-flags-quick.md' : './RESULTS-flags.md', import.meta.url),
);
writeFileSync(out, lines.join('\n'));
console.log(lines.join('\n'));

function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
