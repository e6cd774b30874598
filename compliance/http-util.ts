import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error the adapter answers with its own status; anything else becomes a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A JSON object as sent by the harness. */
export type JsonObject = Record<string, unknown>;

// Bodies are small JSON documents; a cap keeps a misbehaving client from exhausting memory.
const MAX_BODY_BYTES = 1_000_000;

/** Reads and parses a JSON object body. An empty body is `{}` (the harness posts /flush and /reset bare). */
export async function readJsonObject(req: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
  if (!isJsonObject(parsed)) throw new HttpError(400, 'request body must be a JSON object');
  return parsed;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sends `body` as JSON, unless the response was already sent (a client that hung up, for example). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
