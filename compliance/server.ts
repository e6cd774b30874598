import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaptureMode } from '../src/index.js';
import { type AdapterContext, ROUTES } from './handlers.js';
import { HttpError, readJsonObject, sendJson } from './http-util.js';
import { SdkInstances } from './sdk-instances.js';

export interface AdapterOptions {
  /** Port to listen on; `0` (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Ingestion protocol the SDK instances use; default `v0`. */
  captureMode?: CaptureMode;
}

export interface RunningAdapter {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Stops every SDK instance, then the HTTP server. */
  close(): Promise<void>;
}

/** Starts the compliance adapter: the contract's HTTP interface in front of posthog-ts. */
export async function startAdapter(options: AdapterOptions = {}): Promise<RunningAdapter> {
  const captureMode = options.captureMode ?? 'v0';
  const ctx: AdapterContext = { instances: new SdkInstances(captureMode), captureMode };
  const server = createServer((req, res) => {
    // handle() never rejects; the catch is a last line of defence so one request can never crash the adapter.
    handle(ctx, req, res).catch((error: unknown) => sendJson(res, 500, failure(error)));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    async close() {
      await ctx.instances.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function handle(ctx: AdapterContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://adapter');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const handler = ROUTES.get(`${req.method ?? 'GET'} ${path}`);
    if (!handler) {
      const known = [...ROUTES.keys()].some((key) => key.endsWith(` ${path}`));
      throw new HttpError(known ? 405 : 404, `no route for ${req.method} ${path}`);
    }
    const body = req.method === 'POST' ? await readJsonObject(req) : {};
    const testId = url.searchParams.get('test_id') || undefined;
    sendJson(res, 200, await handler(ctx, { body, testId }));
  } catch (error) {
    sendJson(res, error instanceof HttpError ? error.status : 500, failure(error));
  }
}

function failure(error: unknown): { success: false; error: string } {
  return { success: false, error: error instanceof Error ? error.message : String(error) };
}
