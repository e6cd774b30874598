import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ClosedError, PostHog, type PostHogOptions } from '../../src/index.js';
import { ManualFetch, memoryLogger } from '../helpers/manual-fetch.js';

let client: PostHog | undefined;

function make(options: PostHogOptions = {}) {
  const manual = new ManualFetch();
  const { lines, logger } = memoryLogger();
  client = new PostHog('phc_test', { host: 'http://posthog.test', fetch: manual.fetch, logger, ...options });
  return { client, manual, lines };
}

afterEach(async () => {
  await client?.shutdown(0);
  client = undefined;
});

describe('shutdown()', () => {
  it('delivers what is queued, then refuses new events with a ClosedError', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    manual.auto = 200;
    client.capture({ distinctId: 'u', event: 'before' });
    await client.shutdown();
    expect(manual.all[0]?.events.map((e) => e.event)).toEqual(['before']);
    const after = client.capture({ distinctId: 'u', event: 'after' });
    expect(after.ok ? undefined : after.error).toBeInstanceOf(ClosedError);
    expect(client.stats()).toMatchObject({ delivered: 1, rejected: 1, queued: 0 });
  });

  it('returns the same promise when called twice, and close() is an alias', async () => {
    const { client } = make();
    const first = client.shutdown(100);
    expect(client.shutdown(100)).toBe(first);
    expect(client.close()).toBe(first);
    await first;
  });

  it('gives up at its deadline: in-flight requests are aborted and queued events counted as dropped', async () => {
    const { client, manual, lines } = make({ flushAt: 1000, maxBatchSize: 2, maxConcurrentRequests: 1 });
    for (let i = 0; i < 5; i++) client.capture({ distinctId: 'u', event: `e${i}` });
    const started = Date.now();
    const done = client.shutdown(300);
    await manual.waitForHeld(1); // the first batch hangs: the server never answers
    await done;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2000);
    expect(client.stats()).toMatchObject({ delivered: 0, queued: 0, inFlight: 0 });
    expect(client.stats().dropped.shutdown_timeout).toBe(5);
    expect(lines.join('\n')).toContain('deadline');
  });

  it('shutdown(0) sends nothing more and drops what is queued', async () => {
    const { client, manual } = make({ flushAt: 1000 });
    manual.auto = 200;
    client.capture({ distinctId: 'u', event: 'late' });
    await client.shutdown(0);
    expect(manual.all).toHaveLength(0);
    expect(client.stats().dropped.shutdown_timeout).toBe(1);
  });

  it('many clients share one beforeExit listener', async () => {
    const before = process.listenerCount('beforeExit');
    const clients = Array.from(
      { length: 12 },
      () => new PostHog('phc_test', { host: 'http://posthog.test' }),
    );
    expect(process.listenerCount('beforeExit')).toBeLessThanOrEqual(before + 1);
    await Promise.all(clients.map((c) => c.shutdown(0)));
    expect(process.listenerCount('beforeExit')).toBe(before);
  });

  it('does not start retries that would end past the deadline', async () => {
    const { client, manual } = make({ flushAt: 1000, fetchRetryDelay: 5000 });
    manual.auto = 503;
    client.capture({ distinctId: 'u', event: 'e' });
    const started = Date.now();
    await client.shutdown(1000);
    expect(Date.now() - started).toBeLessThan(900);
    expect(manual.all).toHaveLength(1);
    expect(client.stats().dropped.shutdown_timeout).toBe(1);
  });
});

describe('process handles', () => {
  const script = (body: string) => `
    import { PostHog } from './src/index.ts';
    import http from 'node:http';
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('{}')); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const host = 'http://127.0.0.1:' + server.address().port;
    ${body}
    server.close();
    server.closeAllConnections();
    await new Promise((r) => setTimeout(r, 50));
    const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    console.log(JSON.stringify(left));
  `;

  function run(body: string): { stdout: string; status: number | null; ms: number } {
    const started = Date.now();
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(body)], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { stdout: out.stdout.trim(), status: out.status, ms: Date.now() - started };
  }

  /** Runs a module script (TypeScript, from the repository root) in a fresh Node process. */
  function runSource(
    source: string,
    timeoutMs: number,
  ): { stdout: string; stderr: string; status: number | null } {
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: timeoutMs,
    });
  }

  it('leaves no handle open after shutdown(), and the process exits by itself', () => {
    const { stdout, status } = run(`
      const client = new PostHog('phc_test', { host, flushInterval: 60000, featureFlagsPollingInterval: 1000 });
      for (let i = 0; i < 100; i++) client.capture({ distinctId: 'u', event: 'e' + i });
      await client.shutdown();
    `);
    expect(status).toBe(0);
    const left = JSON.parse(stdout.split('\n').pop() ?? '[]') as string[];
    expect(left.filter((r) => r === 'Timeout' || r === 'TCPServerWrap')).toEqual([]);
  });

  it('does not hold a forgotten-shutdown script open for long when PostHog is unreachable', () => {
    const source = `
      import { PostHog } from './src/index.ts';
      const client = new PostHog('phc_test', { host: 'http://127.0.0.1:9', flushInterval: 60000 });
      client.capture({ distinctId: 'u', event: 'lost' });
    `;
    const started = Date.now();
    const out = runSource(source, 30_000);
    expect(out.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(12_000); // 5 s bound on the exit flush, plus start-up
  });

  it('ends requests still open when the exit flush gives up, so a hanging PostHog does not hold the script', () => {
    const source = `
      import { PostHog } from './src/index.ts';
      import http from 'node:http';
      // Reads every request and never answers it.
      const server = http.createServer((req) => req.resume());
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      server.unref();
      const client = new PostHog('phc_test', {
        host: 'http://127.0.0.1:' + server.address().port,
        flushInterval: 60000,
        requestTimeout: 60000,
        logger: { debug() {}, info() {}, warn: (m) => console.log('warn', m), error: (m) => console.log('error', m) },
      });
      client.capture({ distinctId: 'u', event: 'stuck' });
    `;
    const started = Date.now();
    const out = runSource(source, 30_000);
    expect(out.status).toBe(0);
    // The 5 s bound on the exit flush, plus start-up; before, the open request held it for requestTimeout.
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(out.stdout).toContain('1 event(s) not delivered');
    expect(out.stdout).toContain('shutdown_timeout');
  });

  it('says so when process.exit() ends the process with events not delivered, and not after a shutdown', () => {
    const source = `
      import { PostHog } from './src/index.ts';
      const lost = new PostHog('phc_test', { host: 'http://127.0.0.1:9', flushInterval: 60000 });
      lost.capture({ distinctId: 'u', event: 'cut off' });
      lost.capture({ distinctId: 'u', event: 'cut off too' });
      const drained = new PostHog('phc_test', { host: 'http://127.0.0.1:9', flushInterval: 60000 });
      await drained.shutdown(0);
      process.exit(0);
    `;
    const out = runSource(source, 20_000);
    expect(out.status).toBe(0);
    const warnings = out.stderr.split('\n').filter((l) => l.includes('not delivered'));
    expect(warnings).toEqual([expect.stringContaining('exited with 2 event(s) not delivered')]);
  });

  it('flushes queued events before exit when the script forgets shutdown()', () => {
    const source = `
      import { PostHog } from './src/index.ts';
      import http from 'node:http';
      let received = 0;
      const server = http.createServer((req, res) => {
        req.resume();
        // Connection: close, so the server side of the socket does not hold this test process open.
        req.on('end', () => { received++; res.setHeader('Connection', 'close'); res.end('{}'); });
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      server.unref(); // only the SDK's own work may keep this process alive
      process.on('exit', () => console.log('received', received));
      const client = new PostHog('phc_test', { host: 'http://127.0.0.1:' + server.address().port, flushInterval: 60000 });
      client.capture({ distinctId: 'u', event: 'forgotten' });
    `;
    const out = runSource(source, 20_000);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('received 1');
  });
});
