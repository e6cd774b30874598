/**
 * The throughput floor: no SDK. Builds the same events (bareEventJson), cuts batches of 100, builds the
 * /batch/ body, gzips it with async node:zlib (zlib's default level 6 unless `level` is given) and POSTs it with node:http over a keep-alive agent, at most
 * `maxInFlight` requests at a time (batches wait in a FIFO meanwhile). It retries nothing: a non-2xx answer
 * is recorded as a failure, so the caller's server-side count check catches it.
 */
import http from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { API_KEY } from './event.mjs';

const gzipAsync = promisify(gzip);

export function createFloorSender(host, { batchSize = 100, maxInFlight = 4, level = 6 } = {}) {
  const url = new URL('/batch/', host);
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  let current = [];
  let waiting = [];
  let waitingHead = 0;
  let inFlight = 0;
  let failures = 0;
  let idleWaiters = [];

  const post = (body) =>
    new Promise((resolve) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'Content-Type': 'application/json',
            'Content-Encoding': 'gzip',
            'Content-Length': body.byteLength,
          },
        },
        (res) => {
          if (res.statusCode < 200 || res.statusCode >= 300) failures++;
          res.resume();
          res.on('end', resolve);
          res.on('error', () => resolve());
        },
      );
      req.on('error', () => {
        failures++;
        resolve();
      });
      req.end(body);
    });

  const pump = () => {
    while (inFlight < maxInFlight && waitingHead < waiting.length) {
      const batch = waiting[waitingHead];
      waiting[waitingHead++] = undefined;
      if (waitingHead === waiting.length) {
        waiting = [];
        waitingHead = 0;
      }
      inFlight++;
      const json = `{"api_key":${JSON.stringify(API_KEY)},"batch":[${batch.join(',')}],"sent_at":"${new Date().toISOString()}"}`;
      gzipAsync(json, { level })
        .then(post)
        .finally(() => {
          inFlight--;
          pump();
        });
    }
    if (inFlight === 0 && waitingHead === waiting.length) {
      const list = idleWaiters;
      idleWaiters = [];
      for (const resolve of list) resolve();
    }
  };

  return {
    /** Adds one serialised event; a full batch is handed to the sender. */
    push(json) {
      current.push(json);
      if (current.length >= batchSize) {
        waiting.push(current);
        current = [];
        pump();
      }
    },
    /** Sends the partial batch and resolves once nothing is waiting or in flight. */
    drain() {
      if (current.length > 0) {
        waiting.push(current);
        current = [];
      }
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        pump();
      });
    },
    failures: () => failures,
    close: () => agent.destroy(),
  };
}
