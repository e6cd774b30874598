import http from 'node:http';
import https from 'node:https';
import type { FetchResponse } from '../api/transport.js';
import type { Exchanger } from '../transport/exchange.js';

/** An HTTP transport with its own connection pool, and the function that closes the pool. */
export interface NodeTransport {
  exchange: Exchanger;
  close(): void;
}

/**
 * The default HTTP transport on Node: `node:http(s)` with a keep-alive agent owned by one client.
 *
 * Why not the global `fetch`: its pooled sockets belong to a process-wide dispatcher and keep the process
 * alive for seconds after the last request, so a CLI or a Lambda handler lingers after `shutdown()`. Owning
 * the agent lets `shutdown()` destroy every socket it opened. Idle sockets are unref'd by Node's agent, so the
 * pool never holds the process open between requests either.
 *
 * An exchange is abandoned by destroying its request, not through an `AbortSignal` (see {@link Exchanger}).
 */
export function createNodeTransport(): NodeTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };
  // A client posts to the same one or two URLs all its life: parse each once.
  const parsed = new Map<string, URL>();
  const exchange: Exchanger = (url, init) => {
    let target = parsed.get(url);
    if (target === undefined) {
      target = new URL(url);
      if (parsed.size >= 16) parsed.clear();
      parsed.set(url, target);
    }
    const secure = target.protocol === 'https:';
    const body = init.body;
    const headers: Record<string, string | number> = { ...init.headers };
    if (body !== undefined)
      headers['Content-Length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    let request: http.ClientRequest | undefined;
    const response = new Promise<FetchResponse>((resolve, reject) => {
      request = (secure ? https : http).request(
        target,
        { method: init.method, headers, agent: secure ? agents['https:'] : agents['http:'] },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: incoming.statusCode ?? 0,
              headers: {
                get(name) {
                  const value = incoming.headers[name.toLowerCase()];
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
      response,
      // Destroying the request closes its socket (it never returns to the pool) and rejects `response`.
      abort: (reason) => request?.destroy(reason),
    };
  };
  return {
    exchange,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
