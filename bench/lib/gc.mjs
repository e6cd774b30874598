import { tick } from './timing.mjs';

/** True when the process runs with --expose-gc. */
export function canGc() {
  return typeof globalThis.gc === 'function';
}

/** Full, repeated GC with event-loop turns in between, so weak/finalised objects are really gone. */
export async function fullGc() {
  if (!canGc()) throw new Error('run node with --expose-gc');
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await tick();
  }
}

/** Heap figures in bytes after a full GC. */
export async function measureHeap() {
  await fullGc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}
