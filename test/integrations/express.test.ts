import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  posthogErrorHandler,
  setupExpressErrorHandler,
  setupExpressRequestContext,
} from '../../src/integrations/express.js';
import { posthogPinoHooks } from '../../src/integrations/pino.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import { LineSink } from './helpers.js';
import {
  asyncBoom,
  expectRequestContext,
  flushUntil,
  get,
  helloRoute,
  ownErrorHandlerTest,
  requestContextTests,
  rootException,
  TeapotError,
} from './middleware-helpers.js';

let recording: RecordingClient | undefined;
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await recording?.client.shutdown();
  server = undefined;
  recording = undefined;
});

async function start(
  withOwnErrorHandler = false,
  nodeStyleErrorHandler = false,
): Promise<{ base: string; recording: RecordingClient }> {
  recording = createRecordingClient();
  const { client } = recording;
  const app = express();
  app.use(express.json());
  setupExpressRequestContext(client, app);
  app.get('/hello', async (_req, res) => {
    await helloRoute(client);
    res.send('hi');
  });
  app.post('/echo', async (req, res) => {
    await helloRoute(client, req.body);
    res.send('ok');
  });
  app.get('/log', async (_req, res) => {
    await helloRoute(client);
    // No distinct-id function: the id comes from the request's X-POSTHOG-DISTINCT-ID header.
    pino({ hooks: posthogPinoHooks({ client }) }, new LineSink()).warn('slow checkout');
    res.send('logged');
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/async-boom', async () => {
    await asyncBoom();
  });
  app.get('/teapot', () => {
    throw new TeapotError('short and stout');
  });
  if (nodeStyleErrorHandler) setupExpressErrorHandler(client, app);
  else app.use(posthogErrorHandler(client));
  if (withOwnErrorHandler) {
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(503).send(`own handler: ${error.message}`);
    });
  }
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, recording };
}

describe('express middleware', () => {
  requestContextTests(start);

  it('a logger in a handler captures with the distinct id of the request context', async () => {
    const { base, recording } = await start();
    expect((await get(base, '/log')).text).toBe('logged');
    const [event] = await flushUntil(recording, '$exception', 1);
    expectRequestContext(event, 'GET', '/log');
    expect(rootException(event)).toMatchObject({ type: 'slow checkout', value: '<no linked error>' });
  });

  it('captures errors with the status while Express still answers its own 500', async () => {
    const { base, recording } = await start();
    const sync = await get(base, '/boom');
    const async = await get(base, '/async-boom');
    expect(sync.status).toBe(500);
    expect(sync.text).toContain('<pre>Error: boom'); // Express's own (development) error page
    expect(async.status).toBe(500);
    const exceptions = await flushUntil(recording, '$exception', 2);
    expect(exceptions.map((event) => rootException(event)?.value).sort()).toEqual(['async boom', 'boom']);
    for (const event of exceptions) {
      expectRequestContext(event, 'GET', rootException(event)?.value === 'boom' ? '/boom' : '/async-boom');
      expect(event.properties.$response_status_code).toBe(500);
      expect(rootException(event)?.mechanism).toMatchObject({ type: 'middleware', handled: false });
    }
  });

  it('does not capture 4xx errors by default; the status is what Express answers', async () => {
    const { base, recording } = await start();
    expect((await get(base, '/teapot')).status).toBe(418);
    await get(base, '/boom'); // reported after the teapot, so once it is in, the teapot was decided
    await flushUntil(recording, '$exception', 1);
    expect(recording.eventsNamed('$exception').map((event) => rootException(event)?.value)).toEqual(['boom']);
  });

  it("setupExpressErrorHandler, posthog-node's name, captures 4xx errors too, as posthog-node does", async () => {
    const { base, recording } = await start(false, true);
    expect((await get(base, '/teapot')).status).toBe(418);
    const [event] = await flushUntil(recording, '$exception', 1);
    expect(rootException(event)?.value).toBe('short and stout');
    expect(event?.properties.$response_status_code).toBe(418);
  });

  ownErrorHandlerTest(start, "reports the status of the application's own error handler, which still runs");
});
