import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAdapter, startAdapter } from '../../compliance/server.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';
import { VERSION } from '../../src/version.js';

async function call(
  adapter: RunningAdapter,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const init: RequestInit = { method };
  if (method === 'POST') init.body = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const response = await fetch(`${adapter.url}${path}`, init);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('compliance adapter', () => {
  let v0: RunningAdapter;
  let v1: RunningAdapter;
  let mock: LocalPostHog;

  beforeAll(async () => {
    [v0, v1, mock] = await Promise.all([
      startAdapter({ captureMode: 'v0' }),
      startAdapter({ captureMode: 'v1' }),
      startLocalPostHog(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([v0.close(), v1.close(), mock.stop()]);
  });

  it('declares its SDK and the capabilities of its capture mode on /health', async () => {
    const [h0, h1] = await Promise.all([call(v0, 'GET', '/health'), call(v1, 'GET', '/health')]);
    for (const health of [h0, h1]) {
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({
        sdk_name: 'posthog-ts',
        sdk_version: VERSION,
        supports_parallel: true,
      });
      expect(typeof health.json.adapter_version).toBe('string');
    }
    expect(h0.json.capabilities).toEqual(['capture_v0', 'capture_ai_v0', 'encoding_gzip']);
    expect(h1.json.capabilities).toEqual(['capture_v1', 'capture_ai_v0', 'encoding_gzip']);
  });

  it('keeps one SDK instance per test_id, each tagging its requests with X-Test-Id', async () => {
    mock.clear();
    const ids = ['iso-a', 'iso-b'];
    await Promise.all(
      ids.map((id) =>
        call(v0, 'POST', `/init?test_id=${id}`, { api_key: 'phc_k', host: mock.url, flush_at: 10 }),
      ),
    );
    await call(v0, 'POST', '/capture?test_id=iso-a', { distinct_id: 'user-a', event: 'a1' });
    await call(v0, 'POST', '/capture?test_id=iso-a', { distinct_id: 'user-a', event: 'a2' });
    await call(v0, 'POST', '/capture?test_id=iso-b', { distinct_id: 'user-b', event: 'b1' });
    const [fa, fb] = await Promise.all(ids.map((id) => call(v0, 'POST', `/flush?test_id=${id}`)));
    expect(fa?.json).toEqual({ success: true, events_flushed: 2 });
    expect(fb?.json).toEqual({ success: true, events_flushed: 1 });

    expect(mock.requests).toHaveLength(2);
    for (const request of mock.requests) {
      const owner = request.events.map((event) => event.distinct_id);
      expect(owner.length).toBeGreaterThan(0);
      expect(request.headers['x-test-id']).toBe(owner[0] === 'user-a' ? 'iso-a' : 'iso-b');
      expect(new Set(owner).size).toBe(1);
    }
    const state = await call(v0, 'GET', '/state?test_id=iso-a');
    expect(state.json).toMatchObject({
      total_events_captured: 2,
      total_events_sent: 2,
      pending_events: 0,
      total_retries: 0,
    });
    const made = state.json.requests_made as Array<Record<string, unknown>>;
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ status_code: 200, retry_attempt: 0, event_count: 2 });
    expect(made[0]?.uuid_list).toEqual(
      mock.requests.find((r) => r.headers['x-test-id'] === 'iso-a')?.events.map((e) => e.uuid),
    );
    // The default instance (no test_id) is separate and not initialised.
    expect((await call(v0, 'GET', '/state')).status).toBe(400);
    await Promise.all(ids.map((id) => call(v0, 'POST', `/reset?test_id=${id}`)));
  });

  it('/reset stops a retrying instance and drops what it queued: nothing reaches the mock afterwards', async () => {
    mock.clear();
    mock.script(
      'capture',
      ...Array.from({ length: 20 }, () => ({ status: 503, headers: { 'Retry-After': '1' } })),
    );
    await call(v1, 'POST', '/init?test_id=retrying', {
      api_key: 'phc_k',
      host: mock.url,
      flush_at: 1,
      max_retries: 10,
    });
    await call(v1, 'POST', '/capture?test_id=retrying', { distinct_id: 'u', event: 'retried' });
    await call(v1, 'POST', '/init?test_id=queued', {
      api_key: 'phc_k',
      host: mock.url,
      flush_at: 50,
      flush_interval_ms: 300,
    });
    await call(v1, 'POST', '/capture?test_id=queued', { distinct_id: 'u', event: 'queued' });
    await mock.waitForRequests(1);

    const started = Date.now();
    expect((await call(v1, 'POST', '/reset?test_id=retrying')).json).toEqual({ success: true });
    expect((await call(v1, 'POST', '/reset?test_id=queued')).json).toEqual({ success: true });
    expect(Date.now() - started).toBeLessThan(1000); // a 0 ms deadline: reset does not wait out the retry
    const seen = mock.requests.length;
    await sleep(2500); // longer than the Retry-After and the queued instance's flush interval
    expect(mock.requests.length).toBe(seen);
    expect(mock.requests.every((r) => r.headers['x-test-id'] === 'retrying')).toBe(true);
    expect((await call(v1, 'GET', '/state?test_id=retrying')).status).toBe(400); // forgotten
    mock.clearScripts();
  });

  it('/get_feature_flag evaluates remotely and answers value null for a flag the server does not know', async () => {
    mock.clear();
    await call(v0, 'POST', '/init?test_id=flags', { api_key: 'phc_k', host: mock.url });
    const answer = await call(v0, 'POST', '/get_feature_flag?test_id=flags', {
      key: 'unknown-flag',
      distinct_id: 'u',
      person_properties: null, // null is "not sent", as for every optional field
      force_remote: false,
    });
    expect(answer).toEqual({ status: 200, json: { success: true, value: null } });
    const flags = mock.requests.filter((r) => r.route === 'flags');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.headers['x-test-id']).toBe('flags');
    expect(flags[0]?.body).toMatchObject({ person_properties: {}, geoip_disable: false });
    await call(v0, 'POST', '/reset?test_id=flags');
  });

  it('answers bad input with 400 {success:false, error} and keeps serving', async () => {
    const bad: Array<[string, unknown]> = [
      ['/init', '{not json'],
      ['/init', '[1, 2]'],
      ['/init', { host: mock.url }],
      ['/init', { api_key: 'phc_k' }],
      ['/init', { api_key: 'phc_k', host: mock.url, flush_at: 'ten' }],
      ['/init', { api_key: 'phc_k', host: mock.url, flush_at: 0 }],
      ['/init', { api_key: 'phc_k', host: mock.url, enable_compression: 'yes' }],
      ['/init', { api_key: 'phc_k', host: 'not a url' }],
      ['/capture?test_id=never-initialised', { distinct_id: 'u', event: 'e' }],
    ];
    for (const [path, body] of bad) {
      const answer = await call(v0, 'POST', path, body);
      expect(answer.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.json.success).toBe(false);
      expect(typeof answer.json.error).toBe('string');
    }
    await call(v0, 'POST', '/init?test_id=bad-capture', { api_key: 'phc_k', host: mock.url, flush_at: null });
    const badCaptures: unknown[] = [
      { event: 'e' },
      { distinct_id: 'u' },
      { distinct_id: 'u', event: 'e', properties: [1] },
      { distinct_id: 'u', event: 'e', options: { not_an_option: true } },
      { distinct_id: 'u', event: 'e', timestamp: 'yesterday' },
    ];
    for (const body of badCaptures) {
      const answer = await call(v0, 'POST', '/capture?test_id=bad-capture', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.success).toBe(false);
    }
    expect((await call(v0, 'POST', '/capture_ai?test_id=bad-capture', { distinct_id: 'u' })).status).toBe(
      400,
    );
    expect((await call(v0, 'GET', '/nowhere')).status).toBe(404);
    expect((await call(v0, 'GET', '/capture')).status).toBe(405);
    const badFlagCalls: unknown[] = [
      { distinct_id: 'u' },
      { key: 'k' },
      { key: '', distinct_id: 'u' },
      { key: 'k', distinct_id: 'u', person_properties: 'plan=pro' },
      { key: 'k', distinct_id: 'u', groups: { company: { id: 1 } } },
      { key: 'k', distinct_id: 'u', group_properties: { company: 'enterprise' } },
      { key: 'k', distinct_id: 'u', disable_geoip: 'yes' },
      { key: 'k', distinct_id: 'u', force_remote: 1 },
    ];
    for (const body of badFlagCalls) {
      const answer = await call(v0, 'POST', '/get_feature_flag?test_id=bad-capture', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.success).toBe(false);
    }
    const uninitialised = { key: 'k', distinct_id: 'u' };
    expect((await call(v0, 'POST', '/get_feature_flag?test_id=nobody', uninitialised)).status).toBe(400);
    expect((await call(v0, 'GET', '/health')).status).toBe(200);
    await call(v0, 'POST', '/reset?test_id=bad-capture');
  });
});
