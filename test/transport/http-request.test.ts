import { describe, expect, it } from 'vitest';
import type { FetchLike, FetchResponse } from '../../src/api/transport.js';
import { createNodePlatform } from '../../src/platform/node.js';
import { httpRequest, RequestTimeoutError } from '../../src/transport/http.js';

const platform = createNodePlatform();
const init = { method: 'POST' as const, headers: { 'Content-Type': 'application/json' }, body: '{}' };
const response = (status: number, text: () => Promise<string>): FetchResponse => ({
  status,
  headers: new Headers({ 'x-test': 'yes' }),
  text,
});
const never = () => new Promise<never>(() => {});

describe('httpRequest', () => {
  it('returns the status, headers and the whole body', async () => {
    const fetch: FetchLike = async () => response(202, async () => 'body text');
    const outcome = await httpRequest(fetch, platform, 'http://x.test/batch/', init, 1000);
    expect(outcome).toMatchObject({ ok: true, status: 202, body: 'body text' });
    expect(outcome.ok && outcome.headers.get('x-test')).toBe('yes');
  });

  it('passes the method, headers, body and an abort signal to fetch', async () => {
    let seen: Parameters<FetchLike>[1] | undefined;
    const fetch: FetchLike = async (_url, request) => {
      seen = request;
      return response(200, async () => '');
    };
    await httpRequest(fetch, platform, 'http://x.test/', init, 1000);
    expect(seen).toMatchObject(init);
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.signal.aborted).toBe(false);
  });

  it('reports a fetch rejection as an error, not a timeout', async () => {
    const fetch: FetchLike = async () => {
      throw new Error('ECONNRESET');
    };
    const outcome = await httpRequest(fetch, platform, 'http://x.test/', init, 1000);
    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(!outcome.ok && outcome.error.message).toBe('ECONNRESET');
  });

  it('times out a fetch that ignores its abort signal, and aborts the signal', async () => {
    let signal: AbortSignal | undefined;
    const fetch: FetchLike = (_url, request) => {
      signal = request.signal;
      return never();
    };
    const started = Date.now();
    const outcome = await httpRequest(fetch, platform, 'http://x.test/', init, 50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ ok: false, timedOut: true });
    expect(!outcome.ok && outcome.error).toBeInstanceOf(RequestTimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('counts reading the body against the same timeout', async () => {
    const fetch: FetchLike = async () => response(200, never);
    const outcome = await httpRequest(fetch, platform, 'http://x.test/', init, 50);
    expect(outcome).toMatchObject({ ok: false, timedOut: true });
  });

  it('ends at once when cancelled before or during the attempt', async () => {
    const before = new AbortController();
    before.abort(new Error('shutdown'));
    let called = false;
    const fetch: FetchLike = () => {
      called = true;
      return never();
    };
    const early = await httpRequest(fetch, platform, 'http://x.test/', init, 10_000, before.signal);
    expect(early).toMatchObject({ ok: false, timedOut: false });
    expect(called).toBe(false);

    const during = new AbortController();
    const pending = httpRequest(fetch, platform, 'http://x.test/', init, 10_000, during.signal);
    setTimeout(() => during.abort(new Error('shutdown deadline reached')), 20);
    const started = Date.now();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(!outcome.ok && outcome.error.message).toBe('shutdown deadline reached');
  });

  it('leaves no listener on the cancel signal once the attempt ends', async () => {
    const cancel = new AbortController();
    let listeners = 0;
    const signal = cancel.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof signal.removeEventListener;
    const fetch: FetchLike = async () => response(200, async () => 'ok');
    for (let i = 0; i < 5; i++) await httpRequest(fetch, platform, 'http://x.test/', init, 1000, signal);
    const failing: FetchLike = async () => {
      throw new Error('down');
    };
    await httpRequest(failing, platform, 'http://x.test/', init, 1000, signal);
    expect(listeners).toBe(0);
  });
});
