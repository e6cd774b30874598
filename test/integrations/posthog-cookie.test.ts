import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { lastValueFrom, of } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cookieStateToProperties,
  cookieStoreFromHeader,
  getPostHogCookieName,
  PostHog,
  parsePostHogCookie,
  readPostHogCookie,
  serializePostHogCookie,
} from '../../src/index.js';
import { type CookieReading, cookieIdentity } from '../../src/integrations/cookie-identity.js';
import { setupExpressErrorHandler, setupExpressRequestContext } from '../../src/integrations/express.js';
import { posthogFastify } from '../../src/integrations/fastify.js';
import { posthogHono } from '../../src/integrations/hono.js';
import { PostHogInterceptor } from '../../src/integrations/nestjs.js';
import { sanitizeContextValue } from '../../src/integrations/request-context.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';

/** A key with the characters posthog-js respells in cookie names (real keys are alphanumeric). */
const ODD_KEY = 'phc_a+b/c=';
const KEY = 'phc_plainKey123';
const NAME = 'ph_phc_plainKey123_posthog';
const NOW = Date.UTC(2026, 0, 1, 12);
const MIN = 60_000;

/** A posthog-js cookie value. */
function jsCookie(fields: Record<string, unknown>): string {
  return encodeURIComponent(JSON.stringify(fields));
}

describe('posthog-js cookie helpers', () => {
  it('name the cookie after the key, spelling +, / and = as posthog-js does', () => {
    expect(getPostHogCookieName(ODD_KEY)).toBe('ph_phc_aPLbSLcEQ_posthog');
    expect(getPostHogCookieName(KEY)).toBe(NAME);
  });

  it('read a Cookie header: decoded values, undecodable ones as sent, the later of two pairs', () => {
    const store = cookieStoreFromHeader('a=1; b=%7B%22x%22%3A1%7D; bad=%E0%A4%A; a=2; flag');
    expect(store.get('a')).toEqual({ value: '2' });
    expect(store.get('b')).toEqual({ value: '{"x":1}' });
    expect(store.get('bad')).toEqual({ value: '%E0%A4%A' });
    expect(store.get('flag')).toEqual({ value: '' });
    expect(store.get('missing')).toBeUndefined();
  });

  it('parse identified and anonymous visitors, sessions and devices; null for anything unreadable', () => {
    expect(
      parsePostHogCookie(
        JSON.stringify({
          distinct_id: 'user-1',
          $user_state: 'identified',
          $sesid: [NOW, 'session-1', NOW - 5 * MIN],
          $device_id: 'device-1',
        }),
      ),
    ).toEqual({
      distinctId: 'user-1',
      isIdentified: true,
      sessionId: 'session-1',
      sessionLastActivityTimestamp: NOW,
      sessionStartTimestamp: NOW - 5 * MIN,
      deviceId: 'device-1',
    });
    expect(parsePostHogCookie(JSON.stringify({ distinct_id: 42 }))).toEqual({
      distinctId: '42',
      isIdentified: false,
    });
    // A visitor's cookie is untrusted: an id that cannot be made a string safely is no id, and nothing throws.
    const hostile = JSON.stringify({ distinct_id: { toString: null } });
    expect(
      readPostHogCookie(cookieStoreFromHeader(`${NAME}=${encodeURIComponent(hostile)}`), KEY),
    ).toBeNull();
    for (const bad of ['', 'not json', 'null', '[]', '{}', JSON.stringify({ distinct_id: '' }), hostile]) {
      expect(parsePostHogCookie(bad)).toBeNull();
    }
  });

  it('serialise an anonymous visitor posthog-js reads back, and turn a state into event properties', () => {
    const value = serializePostHogCookie('anon-1');
    const state = parsePostHogCookie(value);
    expect(state).toMatchObject({ distinctId: 'anon-1', isIdentified: false, deviceId: 'anon-1' });
    expect(state?.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(readPostHogCookie(cookieStoreFromHeader(`${NAME}=${encodeURIComponent(value)}`), KEY)).toEqual(
      state,
    );
    expect(readPostHogCookie(cookieStoreFromHeader('other=1'), KEY)).toBeNull();
    expect(cookieStateToProperties(state)).toEqual({ $session_id: state?.sessionId, $device_id: 'anon-1' });
    expect(cookieStateToProperties({ distinctId: 'x', isIdentified: false })).toBeUndefined();
    expect(cookieStateToProperties(null)).toBeUndefined();
  });
});

describe('what the middleware reads from the cookie', () => {
  const reading: CookieReading = { apiKey: KEY, sessionIdleTimeoutMs: 30 * MIN, optOutByDefault: false };
  const read = (header: string, r: CookieReading = reading) =>
    cookieIdentity(header, r, NOW, sanitizeContextValue);
  const identified = (extra: Record<string, unknown> = {}) =>
    `${NAME}=${jsCookie({ distinct_id: 'user-1', $user_state: 'identified', $sesid: [NOW - MIN, 'sess-1', NOW - 10 * MIN], ...extra })}`;

  it.each([
    [
      'an identified visitor with a live session',
      identified(),
      { distinctId: 'user-1', sessionId: 'sess-1' },
    ],
    [
      'an anonymous visitor: its session, no distinct id',
      identified({ $user_state: 'anonymous' }),
      { sessionId: 'sess-1' },
    ],
    [
      'a session idle too long',
      identified({ $sesid: [NOW - 31 * MIN, 'sess-1', NOW - 40 * MIN] }),
      { distinctId: 'user-1' },
    ],
    [
      'a session older than a day',
      identified({ $sesid: [NOW - MIN, 'sess-1', NOW - 25 * 60 * MIN] }),
      { distinctId: 'user-1' },
    ],
    [
      'a two-element $sesid (start = last activity)',
      identified({ $sesid: [NOW - MIN, 'sess-1'] }),
      { distinctId: 'user-1', sessionId: 'sess-1' },
    ],
    ['a malformed $sesid', identified({ $sesid: [NOW, 'sess-1', NOW, 'extra'] }), { distinctId: 'user-1' }],
    [
      'control characters stripped',
      identified({ distinct_id: 'user\u0000-1\n' }),
      { distinctId: 'user-1', sessionId: 'sess-1' },
    ],
    ['consent cookie no', `${identified()}; __ph_opt_in_out_${KEY}=0`, {}],
    [
      'consent cookie yes',
      `${identified()}; __ph_opt_in_out_${KEY}=1`,
      { distinctId: 'user-1', sessionId: 'sess-1' },
    ],
    [
      'the first of two same-named cookies',
      `${identified()}; ${NAME}=${jsCookie({ distinct_id: 'other', $user_state: 'identified' })}`,
      { distinctId: 'user-1', sessionId: 'sess-1' },
    ],
    ['unreadable JSON', `${NAME}=%7Bnot`, {}],
    ['no cookie', 'a=1', {}],
  ])('%s', (_case, header, expected) => {
    expect(read(header)).toEqual(expected);
  });

  it('with optOutCapturingByDefault, reads only after a yes', () => {
    const strict = { ...reading, optOutByDefault: true };
    expect(read(identified(), strict)).toEqual({});
    expect(read(`${identified()}; __ph_opt_in_out_${KEY}=yes`, strict)).toEqual({
      distinctId: 'user-1',
      sessionId: 'sess-1',
    });
  });
});

describe('readPostHogCookie in the Express middleware', () => {
  let server: Server | undefined;
  let recording: RecordingClient | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await recording?.client.shutdown();
    server = undefined;
  });

  async function start(readCookie?: PostHog['options']['readPostHogCookie']): Promise<string> {
    recording = createRecordingClient(readCookie === undefined ? {} : { readPostHogCookie: readCookie }, KEY);
    const { client } = recording;
    const app = express();
    setupExpressRequestContext(client, app);
    app.get('/', (_req, res) => {
      client.capture({ event: 'page' });
      res.send('ok');
    });
    server = app.listen(0);
    await new Promise((resolve) => server?.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  const cookieHeader = `${NAME}=${jsCookie({ distinct_id: 'user-1', $user_state: 'identified', $sesid: [Date.now(), 'sess-1', Date.now()] })}`;

  it('takes the ids from the cookie when there are no X-POSTHOG headers, and the headers over the cookie', async () => {
    const base = await start({ sessionIdleTimeoutSeconds: 600 });
    await fetch(base, { headers: { cookie: cookieHeader } }).then((r) => r.text());
    await fetch(base, { headers: { cookie: cookieHeader, 'x-posthog-distinct-id': 'from-header' } }).then(
      (r) => r.text(),
    );
    await recording?.client.flush();
    const events = recording?.events ?? [];
    expect(events.map((e) => [e.distinct_id, e.properties?.$session_id])).toEqual([
      ['user-1', 'sess-1'],
      ['from-header', undefined],
    ]);
  });

  it('is read by the error handler too when it is the only middleware installed', async () => {
    recording = createRecordingClient({ readPostHogCookie: true }, KEY);
    const { client } = recording;
    const app = express();
    app.get('/', () => {
      throw new Error('no context middleware');
    });
    setupExpressErrorHandler(client, app);
    server = app.listen(0);
    await new Promise((resolve) => server?.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect((await fetch(base, { headers: { cookie: cookieHeader } })).status).toBe(500);
    for (let i = 0; i < 100 && recording.eventsNamed('$exception').length === 0; i++) {
      await client.flush();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [event] = recording.eventsNamed('$exception');
    expect([event?.distinct_id, event?.properties.$session_id]).toEqual(['user-1', 'sess-1']);
  });

  it('is read the same way by the Fastify, Hono and NestJS adapters', async () => {
    recording = createRecordingClient({ readPostHogCookie: true }, KEY);
    const { client } = recording;
    const page = () => client.capture({ event: 'page' });

    const fastify = Fastify();
    await fastify.register(posthogFastify(client));
    fastify.get('/', async () => {
      page();
      return 'ok';
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const fastifyPort = (fastify.server.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${fastifyPort}/`, { headers: { cookie: cookieHeader } }).then((r) =>
      r.text(),
    );
    await fastify.close();

    const hono = new Hono();
    hono.use(posthogHono(client));
    hono.get('/', (c) => {
      page();
      return c.text('ok');
    });
    await hono.request('/', { headers: { cookie: cookieHeader } });

    const interceptor = new PostHogInterceptor(client);
    const request = { method: 'GET', url: '/', headers: { cookie: cookieHeader } };
    const nest = { switchToHttp: () => ({ getRequest: () => request as never }) };
    await lastValueFrom(interceptor.intercept(nest, { handle: () => of(page()) }));

    await client.flush();
    expect(recording.events.map((e) => [e.distinct_id, e.properties?.$session_id])).toEqual([
      ['user-1', 'sess-1'],
      ['user-1', 'sess-1'],
      ['user-1', 'sess-1'],
    ]);
  });

  it('leaves the cookie alone by default', async () => {
    const base = await start();
    await fetch(base, { headers: { cookie: cookieHeader } }).then((r) => r.text());
    await recording?.client.flush();
    expect(recording?.events[0]?.properties?.$process_person_profile).toBe(false); // personless: no id found
  });

  it('rejects an unusable option value, naming it', () => {
    expect(() => new PostHog('phc_x', { readPostHogCookie: 'yes' as never })).toThrow(/readPostHogCookie/);
    expect(
      () => new PostHog('phc_x', { readPostHogCookie: { sessionIdleTimeoutSeconds: '60' as never } }),
    ).toThrow(/sessionIdleTimeoutSeconds/);
    // What posthog-node accepts is accepted: null is off, any number is clamped when read.
    for (const readPostHogCookie of [
      null,
      { sessionIdleTimeoutSeconds: -1 },
      { sessionIdleTimeoutSeconds: null },
    ]) {
      expect(new PostHog('phc_x', { readPostHogCookie, disabled: true }).isDisabled).toBe(true);
    }
  });
});
