import { Hono } from 'hono';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { PostHog } from '../../src/index.js';
import { instrumentConsole } from '../../src/integrations/console.js';
import { posthogHono } from '../../src/integrations/hono.js';
import { posthogPinoHooks } from '../../src/integrations/pino.js';
import { PostHogTransport } from '../../src/integrations/winston.js';
import { createRecordingClient, type RecordingClient, startLocalPostHog } from '../../src/testing/index.js';
import { LineSink, root } from './helpers.js';

/** Logger integrations never break logging, whatever a record holds, and never feed on the SDK's own reports. */

let recording: RecordingClient;
afterEach(async () => {
  await recording?.client.shutdown();
});

function winstonWith(sink: LineSink) {
  recording = createRecordingClient();
  return winston.createLogger({
    format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.json()),
    transports: [
      new winston.transports.Stream({ stream: sink }),
      new PostHogTransport({ client: recording.client, distinctId: () => 'u' }),
    ],
  });
}

describe('winston', () => {
  it('keeps logging after a record whose message cannot be printed', async () => {
    const sink = new LineSink();
    const logger = winstonWith(sink);
    expect(() => logger.log({ level: 'error', message: Object.create(null) })).not.toThrow();
    for (let i = 0; i < 50; i++) logger.error(`after ${i}`);
    await new Promise((resolve) => setImmediate(resolve));
    await recording.client.flush();
    expect(sink.lines).toHaveLength(51);
    expect(recording.events.map(root).map((r) => r.type)).toContain('after 49');
  });

  it('reads an Error back from format.errors({ stack: true })', async () => {
    const logger = winstonWith(new LineSink());
    logger.error(new RangeError('bad amount'));
    await new Promise((resolve) => setImmediate(resolve));
    await recording.client.flush();
    expect(root(recording.events[0])).toEqual({ type: 'bad amount', value: 'RangeError: bad amount' });
  });
});

describe('pino', () => {
  function pinoWith(
    sink: LineSink,
    logMethod?: (args: unknown[], method: (...a: unknown[]) => void) => void,
  ) {
    recording = createRecordingClient();
    return pino(
      {
        hooks: posthogPinoHooks({
          client: recording.client,
          distinctId: () => 'u',
          ...(logMethod ? { logMethod: logMethod as never } : {}),
        }),
      },
      sink,
    );
  }

  it('never throws from a logging call, for arguments pino itself writes', () => {
    const logger = pinoWith(new LineSink());
    expect(() => logger.error('payload %j', { id: 1n })).not.toThrow();
    expect(() => logger.error({ a: 1 }, Object.create(null))).not.toThrow();
  });

  it('captures nothing for a record the application hook drops', async () => {
    const sink = new LineSink();
    const logger = pinoWith(sink, () => {}); // never passes the record on
    logger.error('dropped');
    await recording.client.flush();
    expect([sink.lines.length, recording.events.length]).toEqual([0, 0]);
  });
});

describe('console', () => {
  it('never throws for arguments the console prints, and copies only plain objects', () => {
    recording = createRecordingClient();
    const printed: unknown[][] = [];
    const target = { error: (...args: unknown[]) => printed.push(args) };
    const restore = instrumentConsole(target as never, { client: recording.client, distinctId: () => 'u' });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const getter = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const started = Date.now();
    expect(() => target.error('failed', proxy)).not.toThrow();
    expect(() => target.error('failed', getter)).not.toThrow();
    expect(() => target.error('failed', new Uint8Array(20 * 1024 * 1024))).not.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(printed).toHaveLength(3);
    restore();
  });
});

describe('logging from the SDK callbacks', () => {
  it('does not loop when an on("error") listener logs through a captured console', async () => {
    const server = await startLocalPostHog();
    server.script('capture', ...Array.from({ length: 50 }, () => ({ status: 401 })));
    const lines: unknown[][] = [];
    const target = { error: (...args: unknown[]) => lines.push(args) };
    const client = new PostHog('phc_wrong', {
      host: server.url,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const restore = instrumentConsole(target as never, { client, distinctId: () => 'u' });
    client.on('error', (error) => target.error('posthog error:', error));
    target.error('first failure', new Error('boom'));
    await client.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.flush();
    // One captured line, one rejected request, one report logged: nothing feeds on it.
    expect(server.requests.filter((r) => r.route === 'batch')).toHaveLength(1);
    expect(lines.length).toBeLessThanOrEqual(3);
    restore();
    await client.shutdown();
    await server.stop();
  });
});

describe('hono', () => {
  it('captures what a handler throws that is not an Error, and errors an onError rethrows', async () => {
    recording = createRecordingClient();
    for (const rethrow of [false, true]) {
      const app = new Hono();
      app.use(posthogHono(recording.client));
      app.get('/string', () => {
        throw 'db connection lost';
      });
      app.get('/error', () => {
        throw new Error('real error');
      });
      if (rethrow)
        app.onError((error) => {
          throw error;
        });
      for (const path of ['/string', '/error']) {
        const response = await Promise.resolve(app.request(path)).catch(
          () => new Response(null, { status: 500 }),
        );
        expect(response.status).toBe(500);
      }
    }
    await recording.client.flush();
    expect(recording.events.map((e) => root(e).value).sort()).toEqual([
      'db connection lost',
      'db connection lost',
      'real error',
      'real error',
    ]);
  });
});
