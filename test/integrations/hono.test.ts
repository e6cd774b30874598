import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { posthogHono } from '../../src/integrations/hono.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import {
  asyncBoom,
  expectServerErrorsCaptured,
  get,
  helloRoute,
  ownErrorHandlerTest,
  requestContextTests,
} from './middleware-helpers.js';

let recording: RecordingClient | undefined;
let server: ServerType | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await recording?.client.shutdown();
  server = undefined;
  recording = undefined;
});

async function start(withOnError = false): Promise<{ base: string; recording: RecordingClient }> {
  recording = createRecordingClient();
  const { client } = recording;
  const app = new Hono();
  app.use(posthogHono(client));
  app.get('/hello', async (c) => {
    await helloRoute(client);
    return c.text('hi');
  });
  app.post('/echo', async (c) => {
    await helloRoute(client, await c.req.json());
    return c.text('ok');
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/async-boom', async () => asyncBoom());
  app.get('/teapot', () => {
    throw new HTTPException(418, { message: 'short and stout' });
  });
  if (withOnError) app.onError((error, c) => c.text(`own handler: ${error.message}`, 503));
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  return { base: `http://127.0.0.1:${port}`, recording };
}

describe('hono middleware', () => {
  requestContextTests(start);

  it('captures errors with the status; Hono still answers with its own error response', async () => {
    const { base, recording } = await start();
    // Hono's default error handler prints the error; keep the test output quiet while it still runs.
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await get(base, '/boom')).toEqual({ status: 500, text: 'Internal Server Error' });
    expect((await get(base, '/async-boom')).status).toBe(500);
    expect(await get(base, '/teapot')).toEqual({ status: 418, text: 'short and stout' });
    await expectServerErrorsCaptured(recording);
    expect(printed).toHaveBeenCalled();
    printed.mockRestore();
  });

  ownErrorHandlerTest(start, 'reports the status of app.onError, which still answers');
});
