/**
 * Where a contender's time goes in one end-to-end run (scenarios/throughput.mjs), by thread: how long the main thread
 * (JavaScript and the event loop) ran, how long it was runnable but waiting for a CPU, and how long every other
 * thread of the process ran (V8's optimising compiler and garbage-collector helpers, libuv's thread pool). Each
 * contender runs again with `--no-concurrent-recompilation`, which moves V8's optimising compiler onto the main
 * thread: the other threads' time that disappears then is the compiler's. Linux only (per-thread scheduler
 * statistics). Informative, not a target:
 * `npm run bench:threads -- [--runs=10] [--events=10000] [--own]` (`--own`: the server in its own process instead of
 * the measuring one). The npm script builds dist/ first. Order alternates between repetitions.
 */

import { runInChild } from './lib/spawn.mjs';
import { fmt, median } from './lib/stats.mjs';
import { threadTimes } from './lib/threads.mjs';

const arg = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const RUNS = arg('runs', 10);
const EVENTS = arg('events', 10_000);
const INLINE = !process.argv.includes('--own');
const CONTENDERS = ['posthog-ts', 'floor', 'floor-l1'];
const MODES = [
  { name: 'concurrent', flags: [] },
  { name: 'compiler on main thread', flags: ['--no-concurrent-recompilation'] },
];

if (threadTimes() === undefined) {
  console.log('bench:threads needs Linux per-thread scheduler statistics (/proc/self/task/*/schedstat).');
  process.exit(0);
}

const rows = new Map();
for (const mode of MODES) for (const sdk of CONTENDERS) rows.set(`${sdk}|${mode.name}`, []);
for (let rep = 0; rep < RUNS; rep++) {
  for (const mode of MODES) {
    for (const sdk of rep % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse()) {
      const r = await runInChild(
        'throughput',
        { sdk, events: EVENTS, inline: INLINE },
        { nodeFlags: mode.flags },
      );
      if (r.lost !== 0 || r.duplicated !== 0)
        throw new Error(`${sdk}: lost ${r.lost}, duplicated ${r.duplicated}`);
      rows.get(`${sdk}|${mode.name}`).push(r);
    }
  }
}

const where = INLINE ? 'server in the measuring process' : 'server in its own process';
console.log(
  `Thread CPU time in one ${fmt(EVENTS)}-event run (${where}), ${RUNS} run(s) each, medians in ms:\n`,
);
console.log(
  '| Contender | V8 compiler | events/s | wall | main thread ran | main thread waited for a CPU | other threads ran |',
);
console.log('|---|---|---:|---:|---:|---:|---:|');
const m = (runs, pick) => median(runs.map(pick));
for (const mode of MODES) {
  for (const sdk of CONTENDERS) {
    const runs = rows.get(`${sdk}|${mode.name}`);
    const ms = (pick) => fmt(m(runs, pick), 1);
    const cells = [
      sdk,
      mode.name,
      fmt(m(runs, (r) => r.eventsPerSec)),
      ms((r) => r.seconds * 1000),
      ms((r) => r.threads.main.runMs),
      ms((r) => r.threads.main.waitMs),
      ms((r) => r.threads.others.runMs),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
}
console.log(
  "\nOther threads' time that moves to the main thread with the compiler there (optimising-compiler CPU):",
);
for (const sdk of CONTENDERS) {
  const others = (mode) => m(rows.get(`${sdk}|${mode.name}`), (r) => r.threads.others.runMs);
  console.log(`  ${sdk}: ${fmt(others(MODES[0]) - others(MODES[1]), 1)} ms`);
}
