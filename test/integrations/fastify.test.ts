import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { posthogFastify } from '../../src/integrations/fastify.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import {
  asyncBoom,
  expectFirstIds,
  expectRequestContext,
  flushUntil,
  get,
  getWithRepeatedIds,
  helloRoute,
  postJson,
  rootException,
  TeapotError,
} from './middleware-helpers.js';

let recording: RecordingClient | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await recording?.client.shutdown();
  app = undefined;
  recording = undefined;
});

async function start(withOwnErrorHandler = false): Promise<{ base: string; recording: RecordingClient }> {
  recording = createRecordingClient();
  const { client } = recording;
  app = Fastify();
  await app.register(posthogFastify(client));
  // Routes in a child plugin: the hooks must reach them although Fastify encapsulates plugins.
  await app.register((child, _options, done) => {
    child.get('/hello', async () => {
      await helloRoute(client);
      return 'hi';
    });
    child.post('/echo', async (request) => {
      await helloRoute(client, request.body);
      return 'ok';
    });
    child.get('/boom', () => {
      throw new Error('boom');
    });
    child.get('/async-boom', async () => asyncBoom());
    child.get('/teapot', async () => {
      throw new TeapotError('short and stout');
    });
    if (withOwnErrorHandler) {
      child.setErrorHandler((error, _request, reply) => {
        void reply.code(503).send(`own handler: ${(error as Error).message}`);
      });
    }
    done();
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: address, recording };
}

describe('fastify plugin', () => {
  it('gives events in handlers the request context, also after body parsing', async () => {
    const { base, recording } = await start();
    expect((await get(base, '/hello?x=1')).text).toBe('hi');
    expect(await postJson(base, '/echo', { a: 1 })).toBe(200);
    const [hello, echo] = await flushUntil(recording, 'hello seen', 2);
    expectRequestContext(hello, 'GET', '/hello');
    expectRequestContext(echo, 'POST', '/echo');
    expect(echo?.properties.body).toEqual({ a: 1 });
  });

  it('reads a repeated id header by its first value, not the values joined', async () => {
    const { base, recording } = await start();
    expect(await getWithRepeatedIds(base, '/hello')).toBe(200);
    const [event] = await flushUntil(recording, 'hello seen', 1);
    expectFirstIds(event);
  });

  it('captures errors with the status; Fastify still answers with its own error reply', async () => {
    const { base, recording } = await start();
    const sync = await get(base, '/boom');
    expect(sync.status).toBe(500);
    expect(JSON.parse(sync.text)).toMatchObject({ statusCode: 500, message: 'boom' });
    expect((await get(base, '/async-boom')).status).toBe(500);
    expect((await get(base, '/teapot')).status).toBe(418);
    const exceptions = await flushUntil(recording, '$exception', 2);
    expect(exceptions.map((event) => rootException(event)?.value)).toEqual(['boom', 'async boom']);
    expectRequestContext(exceptions[0], 'GET', '/boom');
    for (const event of exceptions) {
      expect(event.properties.$response_status_code).toBe(500);
      expect(rootException(event)?.mechanism).toMatchObject({ type: 'middleware', handled: false });
    }
  });

  it("reports the status chosen by the application's error handler", async () => {
    const { base, recording } = await start(true);
    expect(await get(base, '/boom')).toEqual({ status: 503, text: 'own handler: boom' });
    const [event] = await flushUntil(recording, '$exception', 1);
    expect(event?.properties.$response_status_code).toBe(503);
  });
});
