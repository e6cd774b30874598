import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { distUrl } from './dist.mjs';

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

/**
 * The same proxy as {@link startServerProcess}, with the server in the measuring process: its request handling
 * (HTTP parsing, JSON.parse of every batch) shares the event loop with the contender, as in an integration test
 * that starts `startLocalPostHog()` next to the SDK. `warm(events)` sends from this process too, which would also
 * warm the contender's HTTP path, so the in-process scenario does not call it.
 */
export async function startInlineServer() {
  const { startLocalPostHog } = await import(distUrl('testing.js'));
  const server = await startLocalPostHog({ recordEvents: false });
  const snapshot = () => countsOf(server);
  return {
    url: server.url,
    pid: process.pid,
    async counts() {
      return snapshot();
    },
    async setFaults(faults) {
      server.setFaults(faults);
    },
    async warm() {
      throw new Error('startInlineServer: warm() would warm the contender too');
    },
    async clear() {
      server.clear();
    },
    async waitForEvents(n, timeoutMs) {
      try {
        await server.waitForEvents(n, { timeoutMs });
      } catch (error) {
        error.counts = snapshot();
        throw error;
      }
      return snapshot();
    },
    stop: () => server.stop(),
  };
}

/** The counts every scenario reads, copied out of a local server (here, or in server-proc.mjs over IPC). */
export function countsOf(server) {
  const c = server.counts;
  return { events: c.events, duplicates: c.duplicates, requests: c.requests, byName: { ...c.byName } };
}
