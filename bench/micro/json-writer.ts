/**
 * The properties writer (src/utils/json-writer.ts) against JSON.stringify on the benchmark's 8-property event,
 * alternating, one process: `npm run bench:json`. Prints ns per call, medians of 7 rounds of 200,000 calls.
 */
import { writeProperties } from '../../src/utils/json-writer.js';
import { eventAt } from '../lib/event.mjs';

const ROUNDS = 7;
const CALLS = 200_000;
const inputs = Array.from({ length: 1000 }, (_, i) => eventAt(i).properties);
let sink = 0;

function round(write: (value: object) => string | undefined): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) sink += (write(inputs[i % 1000] as object) as string).length;
  return Number(process.hrtime.bigint() - start) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const results = { writer: [] as number[], stringify: [] as number[] };
for (let r = 0; r < ROUNDS; r++) {
  results.writer.push(round((value) => writeProperties(value)));
  results.stringify.push(round((value) => JSON.stringify(value)));
}
const writer = median(results.writer);
const stringify = median(results.stringify);
console.log(
  `node ${process.version}, ${ROUNDS} rounds of ${CALLS.toLocaleString('en')} calls (checksum ${sink % 997})`,
);
console.log(`writeProperties  ${writer.toFixed(0)} ns per call`);
console.log(`JSON.stringify   ${stringify.toFixed(0)} ns per call`);
console.log(`writer / stringify ${(writer / stringify).toFixed(2)}`);
