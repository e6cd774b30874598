import http from 'node:http';
import https from 'node:https';
import type { FetchLike, FetchResponse } from '../api/transport.js';

/** A fetch-shaped transport with its own connection pool, and the function that closes the pool. */
export interface NodeTransport {
  fetch: FetchLike;
  close(): void;
}

/**
 * The default HTTP transport on Node: `node:http(s)` with a keep-alive agent owned by one client.
 *
 * Why not the global `fetch`: its pooled sockets belong to a process-wide dispatcher and keep the process
 * alive for seconds after the last request, so a CLI or a Lambda handler lingers after `shutdown()`. Owning
 * the agent lets `shutdown()` destroy every socket it opened. Idle sockets are unref'd by Node's agent, so the
 * pool never holds the process open between requests either.
 */
export function createNodeTransport(): NodeTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };
  // A client posts to the same one or two URLs all its life: parse each once.
  const parsed = new Map<string, URL>();
  const fetch: FetchLike = (url, init) =>
    new Promise<FetchResponse>((resolve, reject) => {
      let target = parsed.get(url);
      if (target === undefined) {
        target = new URL(url);
        if (parsed.size >= 16) parsed.clear();
        parsed.set(url, target);
      }
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const client = target.protocol === 'https:' ? https : http;
      const body = init.body;
      const headers: Record<string, string | number> = { ...init.headers };
      if (body !== undefined)
        headers['Content-Length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      const request = client.request(
        target,
        { method: init.method, headers, agent, signal: init.signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: response.statusCode ?? 0,
              headers: {
                get(name) {
                  const value = response.headers[name.toLowerCase()];
                  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
                },
              },
              text: async () => text,
            });
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return {
    fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
