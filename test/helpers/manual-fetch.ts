import { gunzipSync } from 'node:zlib';
import type { FetchLike, FetchRequest, FetchResponse } from '../../src/index.js';

/** A request held by {@link ManualFetch} until the test answers it. */
export interface HeldRequest {
  url: string;
  init: FetchRequest;
  events: Array<Record<string, unknown>>;
  respond(status: number, body?: string, headers?: Record<string, string>): void;
  fail(error: Error): void;
}

/** A fetch whose every request waits for the test to answer it, to drive the pipeline step by step. */
export class ManualFetch {
  readonly held: HeldRequest[] = [];
  readonly all: HeldRequest[] = [];
  private waiting: Array<() => void> = [];
  /** Answer automatically with this status instead of holding. */
  auto: number | undefined;

  readonly fetch: FetchLike = (url, init) =>
    new Promise<FetchResponse>((resolve, reject) => {
      const body = init.body ?? '';
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
      const text = (init.headers['Content-Encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString();
      const parsed = text ? (JSON.parse(text) as { batch?: Array<Record<string, unknown>> }) : {};
      const request: HeldRequest = {
        url,
        init,
        events: parsed.batch ?? [],
        respond: (status, responseBody = '{}', headers = {}) =>
          resolve({ status, headers: new Headers(headers), text: async () => responseBody }),
        fail: reject,
      };
      init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true });
      this.all.push(request);
      if (this.auto !== undefined) return request.respond(this.auto);
      this.held.push(request);
      for (const wake of this.waiting.splice(0)) wake();
    });

  /** Resolves once at least `n` requests are held. */
  async waitForHeld(n: number): Promise<void> {
    while (this.held.length < n) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Takes the oldest held request. */
  next(): HeldRequest {
    const request = this.held.shift();
    if (!request) throw new Error('no request is held');
    return request;
  }
}

/** A logger that keeps what it was told. */
export function memoryLogger() {
  const lines: string[] = [];
  const log = (message: string) => lines.push(message);
  return { lines, logger: { debug() {}, info() {}, warn: log, error: log } };
}
