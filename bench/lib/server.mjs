import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_PROC = fileURLToPath(new URL('./server-proc.mjs', import.meta.url));

/**
 * Starts the local PostHog server (recordEvents: false) in its own process and returns a small async proxy:
 * `{ url, counts(), setFaults(f), warm(events), clear(), waitForEvents(n, timeoutMs), stop() }`.
 */
export async function startServerProcess() {
  const child = fork(SERVER_PROC, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const pending = new Map();
  let nextId = 1;
  let onReady;
  const ready = new Promise((resolve, reject) => {
    onReady = resolve;
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server process exited early (${code})`)));
  });
  child.on('message', (msg) => {
    if (msg.id === 0) return onReady(msg.url);
    const waiter = pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.error) {
      const error = new Error(`local server: ${msg.error}`);
      error.counts = msg.counts;
      waiter.reject(error);
    } else waiter.resolve(msg);
  });
  const call = (op, args = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, ...args });
    });
  const url = await ready;
  child.removeAllListeners('exit');
  return {
    url,
    pid: child.pid,
    async counts() {
      return (await call('counts')).counts;
    },
    async setFaults(faults) {
      await call('setFaults', { faults });
    },
    /** Warms the server's request path in its own process (see server-proc.mjs), then forgets what it received. */
    async warm(events) {
      await call('warm', { events });
    },
    /** Forgets every event and request received so far (counts start again from zero). */
    async clear() {
      await call('clear');
    },
    async waitForEvents(n, timeoutMs) {
      return (await call('waitForEvents', { n, timeoutMs })).counts;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call('stop').catch(() => {});
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
