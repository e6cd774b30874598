import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeTransport, type NodeTransport } from '../../src/platform/node-http.js';

let server: Server | undefined;
let transport: NodeTransport;

beforeEach(() => {
  transport = createNodeTransport();
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const listening = createServer(handler);
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

afterEach(async () => {
  transport.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('the Node transport', () => {
  it('sends the method, headers and body with a Content-Length, and reads status, headers and body', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await listen((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        seen = { method: req.method ?? '', headers: req.headers, body };
        res.writeHead(202, { 'x-answer': 'yes' }).end('{"status":"Ok"}');
      });
    });
    const body = new TextEncoder().encode('{"é":1}');
    const response = await transport.exchange(`${url}/batch/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    }).response;
    expect(response.status).toBe(202);
    expect(response.headers?.get('X-Answer')).toBe('yes');
    expect(await response.text()).toBe('{"status":"Ok"}');
    expect(seen).toMatchObject({ method: 'POST', body: '{"é":1}' });
    expect(seen.headers?.['content-length']).toBe(String(body.byteLength));
  });

  it('abandons a request by destroying it: the response rejects with the reason and the socket closes', async () => {
    let received!: () => void;
    let closed!: () => void;
    const requestReceived = new Promise<void>((resolve) => {
      received = resolve;
    });
    const socketClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const url = await listen((req) => {
      req.socket.on('close', closed); // never answers
      received();
    });
    const exchange = transport.exchange(`${url}/batch/`, { method: 'POST', headers: {}, body: '{}' });
    await requestReceived;
    exchange.abort(new Error('request timed out after 30 ms'));
    await expect(exchange.response).rejects.toThrow('request timed out after 30 ms');
    await socketClosed;
  });
});
