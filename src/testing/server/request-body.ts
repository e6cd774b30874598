import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { BodyEncoding } from './types.js';

// Async zlib keeps decompression off the event loop thread, which the benchmark client shares with us.
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const brotliAsync = promisify(brotliDecompress);
const DECODERS: Record<Exclude<BodyEncoding, 'identity'>, (raw: Buffer) => Promise<Buffer>> = {
  gzip: gunzipAsync,
  deflate: inflateAsync,
  br: brotliAsync,
};

/** Collects the request body. Resolves with whatever arrived even if the client aborts mid-upload. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', finish);
    req.on('error', finish);
    req.on('close', finish);
  });
}

/**
 * Works out the body encoding. `Content-Encoding` wins; posthog-go also signals gzip with `?compression=gzip`.
 * The body is deliberately not sniffed for a gzip header: a client that forgets the header should see its
 * request fail here as it would against PostHog.
 */
export function bodyEncoding(headers: Record<string, string>, query: Record<string, string>): BodyEncoding {
  const header = headers['content-encoding']?.trim().toLowerCase();
  if (header === 'gzip' || header === 'x-gzip') return 'gzip';
  if (header === 'deflate') return 'deflate';
  // The Go SDK's capture v1 can send brotli; zstd, its other codec there, has no decoder in Node 20's zlib.
  if (header === 'br') return 'br';
  if (header === undefined && query.compression === 'gzip') return 'gzip';
  return 'identity';
}

/** Decompresses and parses a JSON body; `undefined` when either step fails or the body is empty. */
export async function decodeJsonBody(raw: Buffer, encoding: BodyEncoding): Promise<unknown> {
  if (raw.length === 0) return undefined;
  try {
    const plain = encoding === 'identity' ? raw : await DECODERS[encoding](raw);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Lower-cases header names (Node already does) and joins repeated values so every value is a string. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Splits a request target into its path and query parameters. */
export function splitTarget(target: string): { path: string; query: Record<string, string> } {
  const q = target.indexOf('?');
  if (q < 0) return { path: target, query: {} };
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(target.slice(q + 1))) query[key] = value;
  return { path: target.slice(0, q), query };
}
