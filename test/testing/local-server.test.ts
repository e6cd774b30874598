import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LocalPostHog,
  type LocalPostHogOptions,
  startLocalPostHog,
} from '../../src/testing/server/index.js';

/** Listening servers and sockets this process holds, as Node lists its active resources. */
function activeTcpHandles(): number {
  return process
    .getActiveResourcesInfo()
    .filter((name) => name === 'TCPServerWrap' || name === 'TCPSocketWrap').length;
}

const servers: LocalPostHog[] = [];

async function start(options: LocalPostHogOptions = {}): Promise<LocalPostHog> {
  const server = await startLocalPostHog(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

async function send(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    encoding?: 'gzip' | 'deflate' | 'br';
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body: Uint8Array<ArrayBuffer> | string | null = null;
  if (init.body !== undefined) {
    const json = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
    if (init.encoding === 'gzip') {
      body = gzipSync(json);
      headers['content-encoding'] = 'gzip';
    } else if (init.encoding === 'deflate') {
      body = deflateSync(json);
      headers['content-encoding'] = 'deflate';
    } else if (init.encoding === 'br') {
      body = brotliCompressSync(json);
      headers['content-encoding'] = 'br';
    } else {
      body = json;
    }
  }
  const res = await fetch(url, {
    method: init.method ?? (body === null ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

function event(name: string, uuid: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: name,
    uuid,
    distinct_id: 'user-1',
    properties: { $lib: 'test' },
    timestamp: '2024-01-01T00:00:00.000Z',
    ...extra,
  };
}

function batchBody(...events: Record<string, unknown>[]): Record<string, unknown> {
  return { api_key: 'phc_test', batch: events, sent_at: new Date().toISOString() };
}

function v1Body(...events: Record<string, unknown>[]): Record<string, unknown> {
  return { created_at: new Date().toISOString(), batch: events.map((e) => ({ ...e, options: {} })) };
}

function uuid(n: number): string {
  return `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

describe('capture endpoints', () => {
  it('records identity JSON posted to /batch/ and answers {"status":"Ok"}', async () => {
    const server = await start();
    const reply = await send(`${server.url}/batch/`, {
      body: batchBody(event('a', uuid(1)), event('b', uuid(2))),
    });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ status: 'Ok' });
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req).toMatchObject({
      index: 0,
      method: 'POST',
      path: '/batch/',
      route: 'batch',
      encoding: 'identity',
      status: 200,
    });
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.events.map((e) => e.event)).toEqual(['a', 'b']);
    expect(server.events.map((e) => e.uuid)).toEqual([uuid(1), uuid(2)]);
    expect(server.counts).toEqual({ events: 2, byName: { a: 1, b: 1 }, duplicates: 0, requests: 1 });
    expect(server.eventsNamed('b')).toHaveLength(1);
  });

  it('decodes gzip and deflate bodies, and gzip flagged only by ?compression=gzip', async () => {
    const server = await start();
    await send(`${server.url}/batch/`, { body: batchBody(event('gz', uuid(1))), encoding: 'gzip' });
    await send(`${server.url}/batch`, { body: batchBody(event('df', uuid(2))), encoding: 'deflate' });
    const gz = gzipSync(JSON.stringify(batchBody(event('q', uuid(3)))));
    const res = await fetch(`${server.url}/batch/?compression=gzip`, { method: 'POST', body: gz });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(server.requests.map((r) => [r.encoding, r.path, r.query])).toEqual([
      ['gzip', '/batch/', {}],
      ['deflate', '/batch', {}],
      ['gzip', '/batch/', { compression: 'gzip' }],
    ]);
    expect(server.requests[0]?.rawBytes).toBeGreaterThan(0);
    expect(server.events.map((e) => e.event)).toEqual(['gz', 'df', 'q']);
  });

  it('decodes brotli, which the Go SDK can send to capture v1, and answers zstd 400', async () => {
    const server = await start();
    const reply = await send(`${server.url}/i/v1/analytics/events`, {
      body: v1Body(event('br', uuid(1))),
      encoding: 'br',
      headers: { authorization: 'Bearer phc_test' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ results: { [uuid(1)]: { result: 'ok' } } });
    expect(server.requests.map((r) => r.encoding)).toEqual(['br']);
    expect(server.eventsNamed('br')).toHaveLength(1);
    // zstd has no decoder here: a clear 400, not events made up from bytes it cannot read.
    const zstd = await fetch(`${server.url}/i/v1/analytics/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer phc_test', 'content-encoding': 'zstd' },
      body: new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0]),
    });
    expect(zstd.status).toBe(400);
    await zstd.arrayBuffer();
    expect(server.events).toHaveLength(1);
  });

  it('answers 400 to a body that does not decode, still recording the request', async () => {
    const server = await start();
    const res = await fetch(`${server.url}/batch/`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip' },
      body: 'not gzip',
    });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    expect(server.requests[0]).toMatchObject({ route: 'batch', body: undefined, events: [], status: 400 });
  });

  it('records AI events on /i/v0/ai/batch/', async () => {
    const server = await start();
    const reply = await send(`${server.url}/i/v0/ai/batch/`, {
      body: batchBody(event('$ai_generation', uuid(1))),
      encoding: 'gzip',
    });
    expect(reply.status).toBe(200);
    expect(server.requests[0]?.route).toBe('ai');
    expect(server.eventsNamed('$ai_generation')).toHaveLength(1);
  });

  it('answers capture v1 with an ok result per uuid and echoes PostHog-Request-Id', async () => {
    const server = await start();
    const reply = await send(`${server.url}/i/v1/analytics/events`, {
      body: v1Body(event('a', uuid(1)), event('b', uuid(2))),
      encoding: 'gzip',
      headers: { 'PostHog-Request-Id': 'req-123', authorization: 'Bearer phc_test' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ results: { [uuid(1)]: { result: 'ok' }, [uuid(2)]: { result: 'ok' } } });
    expect(reply.headers.get('posthog-request-id')).toBe('req-123');
    expect(reply.headers.get('retry-after')).toBeNull();
    expect(server.requests[0]?.route).toBe('capture_v1');
    expect(server.counts.events).toBe(2);
  });
});

describe('scripted responses', () => {
  it('consumes scripts in order per group, then falls back to the default answer', async () => {
    const server = await start();
    server.script(
      'capture',
      { status: 503, headers: { 'X-Test': 'one' } },
      { status: 200, body: { custom: true } },
      { status: 201, body: 'plain' },
    );
    const body = batchBody(event('e', uuid(1)));
    const first = await send(`${server.url}/batch/`, { body });
    const second = await send(`${server.url}/batch/`, { body });
    const third = await send(`${server.url}/batch/`, { body });
    const fourth = await send(`${server.url}/batch/`, { body });
    expect(first.status).toBe(503);
    expect(first.headers.get('x-test')).toBe('one');
    expect(first.json()).toMatchObject({
      error: 'service_unavailable',
      error_uri: 'https://posthog.com/docs/api',
    });
    expect(second.json()).toEqual({ custom: true });
    expect([third.status, third.text]).toEqual([201, 'plain']);
    expect(fourth.json()).toEqual({ status: 'Ok' });
    // The 503 request carried its event but did not deliver it; the three 2xx answers did.
    expect(server.requests.map((r) => [r.status, r.events.length])).toEqual([
      [503, 1],
      [200, 1],
      [201, 1],
      [200, 1],
    ]);
    expect(server.counts.events).toBe(3);
    expect(server.counts.duplicates).toBe(2);
  });

  it('keeps the default answer for a script that only delays it', async () => {
    const server = await start();
    server.script('flags', { delayMs: 150 });
    const started = performance.now();
    const reply = await send(`${server.url}/flags/?v=2`, { body: { token: 'phc', distinct_id: 'u' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ flags: {}, errorsWhileComputingFlags: false });
  });

  it('resets the connection when asked to', async () => {
    const server = await start();
    server.script('capture', { reset: true });
    await expect(send(`${server.url}/batch/`, { body: batchBody(event('e', uuid(1))) })).rejects.toThrow();
    await server.waitForRequests(1);
    expect(server.requests[0]).toMatchObject({ status: undefined, route: 'batch' });
    expect(server.requests[0]?.events).toHaveLength(1);
    expect(server.counts.events).toBe(0);
    const after = await send(`${server.url}/batch/`, { body: batchBody(event('e', uuid(1))) });
    expect(after.status).toBe(200);
  });

  it('hangs until the client aborts', async () => {
    const server = await start();
    server.script('capture', { hang: true });
    const controller = new AbortController();
    const pending = fetch(`${server.url}/batch/`, {
      method: 'POST',
      body: JSON.stringify(batchBody(event('e', uuid(1)))),
      signal: controller.signal,
    });
    await server.waitForRequests(1);
    expect(server.requests[0]?.status).toBeUndefined();
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    expect(server.counts.events).toBe(0);
    expect((await send(`${server.url}/batch/`, { body: batchBody() })).status).toBe(200);
  });

  it('builds v1 partial results and adds Retry-After only when a result is retry', async () => {
    const server = await start();
    server.script(
      'capture',
      { v1Results: ['ok', 'retry'] },
      { v1Results: ['ok', 'drop'] },
      { v1Results: [{ result: 'warning', details: 'clock skew' }, 'limited'] },
      { v1Results: ['retry'], headers: { 'Retry-After': '7' } },
    );
    const url = `${server.url}/i/v1/analytics/events`;
    const body = v1Body(event('a', uuid(1)), event('b', uuid(2)));
    const retry = await send(url, { body, headers: { 'posthog-request-id': 'r1' } });
    expect(retry.json()).toEqual({
      results: { [uuid(1)]: { result: 'ok' }, [uuid(2)]: { result: 'retry' } },
    });
    expect(retry.headers.get('retry-after')).toBe('1');
    expect(retry.headers.get('posthog-request-id')).toBe('r1');
    const drop = await send(url, { body });
    expect(drop.headers.get('retry-after')).toBeNull();
    const warning = await send(url, { body });
    expect(warning.json()).toEqual({
      results: { [uuid(1)]: { result: 'warning', details: 'clock skew' }, [uuid(2)]: { result: 'limited' } },
    });
    const custom = await send(url, { body });
    expect(custom.headers.get('retry-after')).toBe('7');
    // ok (1st), ok (2nd), warning (3rd) and the default ok of the 4th request's second event.
    expect(server.counts.events).toBe(4);
    expect(server.events.map((e) => e.uuid)).toEqual([uuid(1), uuid(1), uuid(1), uuid(2)]);
  });

  it('gives scripted v1 errors the PostHog error body and Retry-After on retryable statuses only', async () => {
    const server = await start();
    server.script(
      'capture',
      { status: 503 },
      { status: 401 },
      { status: 503, headers: { 'Retry-After': '3' } },
    );
    const url = `${server.url}/i/v1/analytics/events`;
    const body = v1Body(event('a', uuid(1)));
    const unavailable = await send(url, { body, headers: { 'PostHog-Request-Id': 'abc' } });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect(unavailable.headers.get('posthog-request-id')).toBe('abc');
    expect(unavailable.json()).toEqual({
      error: 'service_unavailable',
      error_description: 'Service Unavailable',
      error_uri: 'https://posthog.com/docs/api',
    });
    const unauthorized = await send(url, { body });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('retry-after')).toBeNull();
    expect((await send(url, { body })).headers.get('retry-after')).toBe('3');
    expect(server.counts.events).toBe(0);
  });
});

describe('seeded faults', () => {
  async function outcomes(seed: number): Promise<string[]> {
    const server = await start();
    server.setFaults({ seed, errorRate: 0.4, resetRate: 0.15, retryAfterSeconds: 2 });
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      try {
        const reply = await send(`${server.url}/batch/`, { body: batchBody(event('e', uuid(i))) });
        const retryAfter = reply.headers.get('retry-after');
        seen.push(retryAfter === null ? String(reply.status) : `${reply.status}+${retryAfter}`);
      } catch {
        seen.push('reset');
      }
    }
    await server.stop();
    return seen;
  }

  it('produces the same faults for the same seed', async () => {
    const first = await outcomes(42);
    const second = await outcomes(42);
    expect(second).toEqual(first);
    expect(first).toContain('200');
    expect(first).toContain('reset');
    expect(first.some((o) => /^(500|503|429|413)/.test(o))).toBe(true);
    for (const o of first) expect(o).toMatch(/^(200|500|413|reset|429\+2|503\+2)$/);
  });

  it('lets scripts take precedence and can be switched off', async () => {
    const server = await start();
    server.setFaults({ seed: 1, errorRate: 1, statuses: [500] });
    server.script('capture', { status: 202 });
    expect((await send(`${server.url}/batch/`, { body: batchBody() })).status).toBe(202);
    expect((await send(`${server.url}/batch/`, { body: batchBody() })).status).toBe(500);
    expect((await send(`${server.url}/flags/`, { body: {} })).status).toBe(200);
    server.setFaults(undefined);
    expect((await send(`${server.url}/batch/`, { body: batchBody() })).status).toBe(200);
  });
});

describe('feature flag endpoints', () => {
  it('answers /flags with the default, a fixed body, or a function of the request', async () => {
    const server = await start();
    const def = await send(`${server.url}/flags/?v=2`, { body: { token: 'phc', distinct_id: 'u1' } });
    expect(def.json()).toMatchObject({
      flags: {},
      errorsWhileComputingFlags: false,
      requestId: expect.any(String),
    });
    server.setFlagsResponse({ flags: { beta: { key: 'beta', enabled: true } } });
    const fixed = await send(`${server.url}/flags?v=2`, { body: { distinct_id: 'u1' } });
    expect(fixed.json()).toEqual({ flags: { beta: { key: 'beta', enabled: true } } });
    server.setFlagsResponse(({ body }) => ({ flags: {}, echoed: body.distinct_id }));
    const fn = await send(`${server.url}/flags/?v=2`, { body: { distinct_id: 'u2' }, encoding: 'gzip' });
    expect(fn.json()).toEqual({ flags: {}, echoed: 'u2' });
    expect(server.requests.map((r) => [r.route, r.query.v])).toEqual([
      ['flags', '2'],
      ['flags', '2'],
      ['flags', '2'],
    ]);
    expect(server.requests[2]?.body).toEqual({ distinct_id: 'u2' });
  });

  it('serves definitions with an ETag, 304 on a match, and a new ETag after a change', async () => {
    const definitions = { flags: [{ key: 'a', active: true }], group_type_mapping: {}, cohorts: {} };
    const server = await start({ secretKey: 'phx_secret', definitions });
    const url = `${server.url}/flags/definitions?token=phc&send_cohorts`;
    const auth = { authorization: 'Bearer phx_secret' };
    const first = await send(url, { headers: auth });
    expect(first.status).toBe(200);
    expect(first.json()).toEqual(definitions);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const notModified = await send(url, { headers: { ...auth, 'if-none-match': etag ?? '' } });
    expect([notModified.status, notModified.text, notModified.headers.get('etag')]).toEqual([304, '', etag]);
    server.setFlagDefinitions({ ...definitions, flags: [] });
    const changed = await send(url, { headers: { ...auth, 'if-none-match': etag ?? '' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(server.requests[0]?.query).toEqual({ token: 'phc', send_cohorts: '' });
    const legacy = await send(`${server.url}/api/feature_flag/local_evaluation?token=phc&send_cohorts`, {
      headers: auth,
    });
    expect(legacy.json()).toEqual({ ...definitions, flags: [] });
    expect(server.requests.map((r) => r.route)).toEqual(Array(4).fill('definitions'));
  });

  it('requires a Bearer token, and the secret key when one is configured', async () => {
    const strict = await start({ secretKey: 'phx_secret' });
    const path = '/flags/definitions?token=phc&send_cohorts';
    expect((await send(`${strict.url}${path}`)).status).toBe(401);
    expect((await send(`${strict.url}${path}`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    const lenient = await start();
    expect((await send(`${lenient.url}${path}`)).status).toBe(401);
    const any = await send(`${lenient.url}${path}`, { headers: { authorization: 'Bearer anything' } });
    expect(any.status).toBe(200);
    expect(any.json()).toEqual({ flags: [], group_type_mapping: {}, cohorts: {} });
  });

  it('serves remote config payloads string-encoded, 404 for unknown keys', async () => {
    const server = await start({ secretKey: 'phx_secret' });
    server.setRemoteConfig('secret-flag', { plan: 'pro' });
    const auth = { authorization: 'Bearer phx_secret' };
    const base = `${server.url}/api/projects/@current/feature_flags`;
    const found = await send(`${base}/secret-flag/remote_config?token=phc`, { headers: auth });
    expect(found.status).toBe(200);
    expect(found.json()).toBe('{"plan":"pro"}');
    expect((await send(`${base}/other/remote_config?token=phc`, { headers: auth })).status).toBe(404);
    expect((await send(`${base}/secret-flag/remote_config?token=phc`)).status).toBe(401);
    server.script('remote_config', { status: 500 });
    expect((await send(`${base}/secret-flag/remote_config?token=phc`, { headers: auth })).status).toBe(500);
    expect(server.requests.every((r) => r.route === 'remote_config')).toBe(true);
  });

  it('answers anything else with 404 and records it as unknown', async () => {
    const server = await start();
    const reply = await send(`${server.url}/decide/?v=3`, { body: {} });
    expect(reply.status).toBe(404);
    expect((await send(`${server.url}/batch/`)).status).toBe(404);
    expect(server.requests.map((r) => [r.route, r.method])).toEqual([
      ['unknown', 'POST'],
      ['unknown', 'GET'],
    ]);
  });
});

describe('waiting and bookkeeping', () => {
  it('resolves waitForEvents when enough events arrive, and rejects clearly on timeout', async () => {
    const server = await start();
    const waiting = server.waitForEvents(3, { timeoutMs: 2000 });
    await send(`${server.url}/batch/`, { body: batchBody(event('a', uuid(1)), event('b', uuid(2))) });
    await send(`${server.url}/batch/`, { body: batchBody(event('c', uuid(3))) });
    expect((await waiting).map((e) => e.event)).toEqual(['a', 'b', 'c']);
    const started = performance.now();
    await expect(server.waitForEvents(10, { timeoutMs: 50 })).rejects.toThrow(
      /waitForEvents: expected 10 accepted events, got 3 from 2 requests \(timed out after 50ms\)/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('waits for requests of one route', async () => {
    const server = await start();
    const flags = server.waitForRequests(1, { route: 'flags', timeoutMs: 2000 });
    await send(`${server.url}/batch/`, { body: batchBody() });
    await send(`${server.url}/flags/?v=2`, { body: { distinct_id: 'u' } });
    expect((await flags).map((r) => r.route)).toEqual(['flags']);
    await expect(server.waitForRequests(2, { route: 'definitions', timeoutMs: 20 })).rejects.toThrow(
      /to route 'definitions', got 0/,
    );
  });

  it('fails pending waits when the server stops', async () => {
    const server = await start();
    const waiting = server.waitForEvents(1, { timeoutMs: 5000 });
    await server.stop();
    await expect(waiting).rejects.toThrow(/stopped/);
  });

  it('clear() forgets recorded traffic but keeps scripts', async () => {
    const server = await start();
    server.script('capture', { status: 500 }, { status: 500 });
    await send(`${server.url}/batch/`, { body: batchBody(event('a', uuid(1))) });
    server.clear();
    expect(server.requests).toHaveLength(0);
    expect(server.counts).toEqual({ events: 0, byName: {}, duplicates: 0, requests: 0 });
    expect((await send(`${server.url}/batch/`, { body: batchBody() })).status).toBe(500);
    server.clearScripts();
    expect((await send(`${server.url}/batch/`, { body: batchBody() })).status).toBe(200);
  });

  it('keeps only counters with recordEvents=false, counting duplicate uuids', async () => {
    const server = await start({ recordEvents: false });
    const body = batchBody(event('a', uuid(1)), event('a', uuid(2)), event('__proto__', uuid(3)));
    await send(`${server.url}/batch/`, { body, encoding: 'gzip' });
    await send(`${server.url}/batch/`, { body, encoding: 'gzip' });
    server.script('capture', { status: 500 });
    await send(`${server.url}/batch/`, { body });
    expect(server.counts).toEqual({
      events: 6,
      byName: { a: 4, ['__proto__']: 2 },
      duplicates: 3,
      requests: 3,
    });
    expect(Object.getPrototypeOf(server.counts.byName)).toBe(Object.prototype);
    expect(server.events).toEqual([]);
    expect(server.requests.map((r) => [r.body, r.events.length, r.status])).toEqual([
      [undefined, 0, 200],
      [undefined, 0, 200],
      [undefined, 0, 500],
    ]);
  });
});

describe('lifecycle', () => {
  it('goes down and comes back up on the same port', async () => {
    const server = await start();
    const { port, url } = server;
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await send(`${url}/batch/`, { body: batchBody(event('a', uuid(1))) });
    await server.down();
    await expect(send(`${url}/batch/`, { body: batchBody() })).rejects.toThrow();
    await server.up();
    expect(server.port).toBe(port);
    expect((await send(`${url}/batch/`, { body: batchBody(event('b', uuid(2))) })).status).toBe(200);
    expect(server.counts.events).toBe(2);
  });

  it('down() cuts hung connections', async () => {
    const server = await start();
    server.script('capture', { hang: true });
    const pending = fetch(`${server.url}/batch/`, { method: 'POST', body: JSON.stringify(batchBody()) });
    await server.waitForRequests(1);
    await server.down();
    await expect(pending).rejects.toThrow();
  });

  it('leaves no server or socket handle open after stop()', async () => {
    const baseline = activeTcpHandles();
    const server = await startLocalPostHog();
    // A keep-alive connection that stays idle, one hung request, and one pending delayed answer.
    const agentRequest = (path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${server.url}${path}`, { method: 'POST' }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(JSON.stringify(batchBody()));
      });
    expect(await agentRequest('/batch/')).toBe(200);
    server.script('capture', { hang: true }, { delayMs: 60_000 });
    const hung = agentRequest('/batch/').catch(() => 'closed');
    const delayed = agentRequest('/batch/').catch(() => 'closed');
    await server.waitForRequests(3);
    expect(activeTcpHandles()).toBeGreaterThan(baseline);
    await server.stop();
    expect(await hung).toBe('closed');
    expect(await delayed).toBe('closed');
    const deadline = Date.now() + 2000;
    while (activeTcpHandles() > baseline && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(activeTcpHandles()).toBe(baseline);
  });
});

/** A raw connection that sends a request's headers and the first bytes of a body it says is longer. */
async function partialUpload(server: LocalPostHog, path: string): Promise<ReturnType<typeof connect>> {
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => {}); // the server cuts it at stop()
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"api_key":`,
  );
  return socket;
}

describe('slow and broken clients', () => {
  it('answers other requests while one upload is stalled', async () => {
    const server = await start();
    const stalled = await partialUpload(server, '/batch/');
    const started = Date.now();
    const reply = await send(`${server.url}/batch/`, { body: batchBody(event('quick', uuid(1))) });
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.events.map((e) => e.event)).toEqual(['quick']);
    stalled.destroy();
  });

  it('gives the script of a request cut off mid-body to the next one, and does not record it', async () => {
    const server = await start();
    server.script('capture', { status: 503 });
    const cut = await partialUpload(server, '/batch/');
    cut.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reply = await send(`${server.url}/batch/`, { body: batchBody(event('after', uuid(2))) });
    expect(reply.status).toBe(503);
    expect(server.requests.map((r) => r.status)).toEqual([503]);
  });

  it('keeps requests and events in arrival order when a later request completes first', async () => {
    const server = await start();
    const slow = await partialUpload(server, '/batch/');
    const fast = await send(`${server.url}/batch/`, { body: batchBody(event('second', uuid(3))) });
    expect(fast.status).toBe(200);
    const rest = JSON.stringify(batchBody(event('first', uuid(4)))).slice('{"api_key":'.length);
    const head = '{"api_key":';
    // Finish the first upload: its body is exactly 1000 bytes, padded with spaces.
    slow.write(rest + ' '.repeat(1000 - head.length - Buffer.byteLength(rest)));
    await server.waitForEvents(2);
    expect(server.events.map((e) => e.event)).toEqual(['first', 'second']);
    expect(server.requests.map((r) => r.index)).toEqual([0, 1]);
    slow.destroy();
  });

  it('answers 500 to a delayed scripted answer Node cannot write, without crashing', async () => {
    const server = await start();
    server.script('capture', { status: 1000, delayMs: 10 });
    const reply = await send(`${server.url}/batch/`, { body: batchBody() });
    expect(reply.status).toBe(500);
    expect(reply.text).toContain('LocalPostHog internal error');
  });

  it('fails a wait at once after stop() unless it is already satisfied', async () => {
    const server = await startLocalPostHog();
    await send(`${server.url}/batch/`, { body: batchBody(event('one', uuid(5))) });
    await server.stop();
    await expect(server.waitForEvents(1)).resolves.toHaveLength(1);
    const started = Date.now();
    await expect(server.waitForEvents(2, { timeoutMs: 5000 })).rejects.toThrow(/stopped/);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('leaves no handle listed as active once stop() resolves', async () => {
    const baseline = activeTcpHandles();
    const server = await startLocalPostHog();
    const open = await partialUpload(server, '/batch/');
    await server.stop();
    // The server's listener and its side of the connection are gone (the test's own socket may linger a turn).
    expect(activeTcpHandles()).toBeLessThanOrEqual(baseline + 1);
    open.destroy();
  });
});
