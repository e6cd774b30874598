import type { Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterEach, expect, it } from 'vitest';
import { posthogErrorHandler, posthogRequestContext } from '../../src/integrations/express.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';

let recording: RecordingClient;
let server: Server;
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await recording.client.shutdown();
});

it('does not crash the process when an aborted request failed with an error whose status cannot be read', async () => {
  recording = createRecordingClient();
  const app = express();
  app.use(posthogRequestContext(recording.client));
  app.get('/getter', () => {
    const error = new Error('getter');
    Object.defineProperty(error, 'status', {
      get() {
        throw new Error('status getter');
      },
    });
    throw error;
  });
  app.use(posthogErrorHandler(recording.client));
  // The application's own handler answers after some async work; the client has gone by then.
  app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    setTimeout(() => {
      if (!res.writableEnded) res.status(500).send('sorry');
    }, 100);
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown): void => {
    uncaught.push(error);
  };
  process.on('uncaughtException', onUncaught);
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('GET /getter HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy(); // the client gives up before the answer
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  expect(uncaught).toEqual([]);
});
