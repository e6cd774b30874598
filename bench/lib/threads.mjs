import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of this process's threads so far, from Linux's per-thread scheduler statistics
 * (`/proc/self/task/<tid>/schedstat`: nanoseconds run on a CPU, nanoseconds spent runnable but waiting for one).
 * `main` is the thread running JavaScript and the event loop; `others` sums every other thread (V8's platform
 * workers: optimising compiler and garbage collector helpers; libuv's thread pool: zlib; Node's own). Returns
 * undefined where the statistics are not available (not Linux, or schedstat off).
 */
export function threadTimes() {
  let tids;
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const times = { main: { runMs: 0, waitMs: 0 }, others: { runMs: 0, waitMs: 0 } };
  for (const tid of tids) {
    let text;
    try {
      text = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const [run, wait] = text.split(' ').map(Number);
    if (!Number.isFinite(run) || !Number.isFinite(wait)) return undefined;
    const into = Number(tid) === process.pid ? times.main : times.others;
    into.runMs += run / 1e6;
    into.waitMs += wait / 1e6;
  }
  return times;
}

/** `after - before` of two {@link threadTimes} readings, or undefined if either is missing. */
export function threadTimesSince(before, after = threadTimes()) {
  if (before === undefined || after === undefined) return undefined;
  const part = (key) => ({
    runMs: after[key].runMs - before[key].runMs,
    waitMs: after[key].waitMs - before[key].waitMs,
  });
  return { main: part('main'), others: part('others') };
}
