/**
 * How much V8's optimising compiler works during one end-to-end run (scenarios/throughput.mjs), per contender:
 * each run is a fresh `node --trace-opt` process, and the script sums the compile jobs TurboFan reports ("completed
 * compiling … took a, b, c ms": prepare, execute, finalize). The execute phase runs on a background thread that
 * shares the machine's CPUs with the run; its times are wall clock, so CPU contention stretches them. Informative,
 * not a target: `npm run bench:jit -- [--runs=3] [--events=10000]`. Uses the built dist/ (run `npm run build` first).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';

const arg = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const RUNS = arg('runs', 3);
const EVENTS = arg('events', 10_000);
const CONTENDERS = ['posthog-ts', 'floor', 'floor-l1'];
const RUN_ONE = `const { run } = await import(${JSON.stringify(new URL('./scenarios/throughput.mjs', import.meta.url).href)});
const r = await run({ sdk: process.argv[1], events: Number(process.argv[2]) });
console.log('RESULT', JSON.stringify({ eventsPerSec: r.eventsPerSec, lost: r.lost }));
process.exit(0);`;
const COMPILED = /completed compiling .* took ([\d.]+), ([\d.]+), ([\d.]+) ms/;

function once(sdk) {
  const child = spawnSync(
    process.execPath,
    ['--trace-opt', '--input-type=module', '-e', RUN_ONE, sdk, String(EVENTS)],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`${sdk} run failed:\n${child.stderr.slice(-2000)}`);
  let jobs = 0;
  let ms = 0;
  let result;
  for (const line of child.stdout.split('\n')) {
    const m = COMPILED.exec(line);
    if (m) {
      jobs++;
      ms += Number(m[1]) + Number(m[2]) + Number(m[3]);
    } else if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
  }
  return { jobs, ms, eventsPerSec: result?.eventsPerSec ?? Number.NaN };
}

const rows = Object.fromEntries(CONTENDERS.map((sdk) => [sdk, []]));
for (let i = 0; i < RUNS; i++)
  for (const sdk of i % 2 === 0 ? CONTENDERS : [...CONTENDERS].reverse()) rows[sdk].push(once(sdk));

console.log(
  `TurboFan compile jobs in one ${EVENTS.toLocaleString('en-US')}-event run, ${RUNS} run(s) each, medians:\n`,
);
console.log('| Contender | compile jobs | compile ms (sum) | events/s |');
console.log('|---|---:|---:|---:|');
for (const [sdk, runs] of Object.entries(rows)) {
  const m = (key) => median(runs.map((r) => r[key]));
  console.log(
    `| ${sdk} | ${m('jobs')} | ${m('ms').toFixed(0)} | ${Math.round(m('eventsPerSec')).toLocaleString('en-US')} |`,
  );
}
