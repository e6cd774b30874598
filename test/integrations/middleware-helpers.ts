import { request } from 'node:http';
import { expect, it } from 'vitest';
import type { ExceptionItem, PostHog } from '../../src/index.js';
import type { RecordedEvent, RecordingClient } from '../../src/testing/index.js';

/** A request the way a browser-side PostHog would tag it, with values needing sanitising. */
export const TAGGED_HEADERS = {
  'X-POSTHOG-DISTINCT-ID': 'user-1',
  'X-POSTHOG-SESSION-ID': 'session-1',
  'user-agent': `agent\u0085/${'x'.repeat(1500)}`,
  'x-forwarded-for': '203.0.113.9, 10.0.0.1',
};

/** Route behaviour every framework test app implements the same way. */
export class TeapotError extends Error {
  readonly status = 418;
  readonly statusCode = 418;
}

/** What the `/hello` route does: an ordinary capture after an await, inheriting the request context. */
export async function helloRoute(client: PostHog, body?: unknown): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  client.capture({ event: 'hello seen', properties: { body } });
}

/** Fails after an await, so the error crosses an async boundary. */
export async function asyncBoom(): Promise<never> {
  await new Promise((resolve) => setTimeout(resolve, 1));
  throw new Error('async boom');
}

/** GET `path` on `base` with the tagged headers. */
export async function get(base: string, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}${path}`, { headers: TAGGED_HEADERS });
  return { status: response.status, text: await response.text() };
}

/**
 * GET `path` with each PostHog id header sent twice, as two header lines (fetch would join them into one). Node
 * reads them back as `"a, b"`; the request context must take the first value, as the Go SDK does.
 */
export function getWithRepeatedIds(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      headers: {
        'x-posthog-distinct-id': ['first-user', 'second-user'],
        'x-posthog-session-id': ['first-session', 'second-session'],
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Asserts the event came from a {@link getWithRepeatedIds} request. */
export function expectFirstIds(event: RecordedEvent | undefined): void {
  expect(event?.distinct_id).toBe('first-user');
  expect(event?.properties.$session_id).toBe('first-session');
}

/** POST JSON, to check the context survives body parsing. */
export async function postJson(base: string, path: string, body: unknown): Promise<number> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...TAGGED_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/** Asserts an event carries the request context of a {@link TAGGED_HEADERS} request to `path`. */
export function expectRequestContext(event: RecordedEvent | undefined, method: string, path: string): void {
  expect(event?.distinct_id).toBe('user-1');
  expect(event?.properties.$session_id).toBe('session-1');
  expect(event?.properties).toMatchObject({
    $request_method: method,
    $request_path: path,
    $ip: '203.0.113.9',
  });
  expect(String(event?.properties.$current_url)).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${path}`));
  const agent = String(event?.properties.$user_agent);
  expect(agent).toHaveLength(1000);
  expect(agent.startsWith('agent/xxx')).toBe(true);
}

/** The root exception entry of a `$exception` event. */
export function rootException(event: RecordedEvent | undefined): ExceptionItem | undefined {
  return (event?.properties.$exception_list as ExceptionItem[] | undefined)?.[0];
}

/**
 * Flushes until `count` events named `name` arrived or `timeoutMs` passed: the error middleware reports when the
 * response finishes, which the server sees at about the time the client reads the body.
 */
export async function flushUntil(
  recording: { client: PostHog; eventsNamed(name: string): RecordedEvent[] },
  name: string,
  count: number,
  timeoutMs = 2000,
): Promise<RecordedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await recording.client.flush();
    const events = recording.eventsNamed(name);
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts a framework app with the PostHog middleware on the routes above; `ownErrorHandler` adds the app's own. */
export type StartApp = (ownErrorHandler?: boolean) => Promise<{ base: string; recording: RecordingClient }>;

/** The request-context tests every framework with `/hello` and `/echo` routes passes alike. */
export function requestContextTests(start: StartApp): void {
  it('gives events in handlers the request context, also after body parsing', async () => {
    const { base, recording } = await start();
    expect((await get(base, '/hello?x=1')).text).toBe('hi');
    expect(await postJson(base, '/echo', { a: 1 })).toBe(200);
    const [hello, echo] = await flushUntil(recording, 'hello seen', 2);
    expectRequestContext(hello, 'GET', '/hello');
    expect(hello?.properties.$current_url).toMatch(/\/hello\?x=1$/);
    expectRequestContext(echo, 'POST', '/echo');
    expect(echo?.properties.body).toEqual({ a: 1 });
  });

  repeatedIdHeaderTest(start);
}

/** A repeated id header is read by its first value (see {@link getWithRepeatedIds}). */
export function repeatedIdHeaderTest(start: StartApp): void {
  it('reads a repeated id header by its first value, not the values joined', async () => {
    const { base, recording } = await start();
    expect(await getWithRepeatedIds(base, '/hello')).toBe(200);
    const [event] = await flushUntil(recording, 'hello seen', 1);
    expectFirstIds(event);
  });
}

/**
 * After GET `/boom` then `/async-boom` (and any 4xx): both 500s are captured, unhandled, with the request context
 * and `$response_status_code`, and nothing else.
 */
export async function expectServerErrorsCaptured(recording: RecordingClient): Promise<void> {
  const exceptions = await flushUntil(recording, '$exception', 2);
  expect(exceptions.map((event) => rootException(event)?.value)).toEqual(['boom', 'async boom']);
  expectRequestContext(exceptions[0], 'GET', '/boom');
  for (const event of exceptions) {
    expect(event.properties.$response_status_code).toBe(500);
    expect(rootException(event)?.mechanism).toMatchObject({ type: 'middleware', handled: false });
  }
}

/** With the app's own error handler answering 503, that is the status reported. */
export function ownErrorHandlerTest(start: StartApp, title: string): void {
  it(title, async () => {
    const { base, recording } = await start(true);
    expect(await get(base, '/boom')).toEqual({ status: 503, text: 'own handler: boom' });
    const [event] = await flushUntil(recording, '$exception', 1);
    expect(event?.properties.$response_status_code).toBe(503);
  });
}
