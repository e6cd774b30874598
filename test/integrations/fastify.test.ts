import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { posthogFastify } from '../../src/integrations/fastify.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import {
  asyncBoom,
  expectServerErrorsCaptured,
  get,
  helloRoute,
  ownErrorHandlerTest,
  requestContextTests,
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
  requestContextTests(start);

  it('captures errors with the status; Fastify still answers with its own error reply', async () => {
    const { base, recording } = await start();
    const sync = await get(base, '/boom');
    expect(sync.status).toBe(500);
    expect(JSON.parse(sync.text)).toMatchObject({ statusCode: 500, message: 'boom' });
    expect((await get(base, '/async-boom')).status).toBe(500);
    expect((await get(base, '/teapot')).status).toBe(418);
    await expectServerErrorsCaptured(recording);
  });

  ownErrorHandlerTest(start, "reports the status chosen by the application's error handler");
});
