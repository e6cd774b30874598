import { describe, expect, it } from 'vitest';
import type { FetchLike, FetchResponse } from '../../src/api/transport.js';
import { createNodePlatform } from '../../src/platform/node.js';
import { type Exchanger, fetchExchanger } from '../../src/transport/exchange.js';
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
    const outcome = await httpRequest(fetchExchanger(fetch), platform, 'http://x.test/batch/', init, 1000);
    expect(outcome).toMatchObject({ ok: true, status: 202, body: 'body text' });
    expect(outcome.ok && outcome.headers.get('x-test')).toBe('yes');
  });

  it('passes the method, headers, body and an abort signal to fetch', async () => {
    let seen: Parameters<FetchLike>[1] | undefined;
    const fetch: FetchLike = async (_url, request) => {
      seen = request;
      return response(200, async () => '');
    };
    await httpRequest(fetchExchanger(fetch), platform, 'http://x.test/', init, 1000);
    expect(seen).toMatchObject(init);
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.signal.aborted).toBe(false);
  });

  it('reports a fetch rejection as an error, not a timeout', async () => {
    const fetch: FetchLike = async () => {
      throw new Error('ECONNRESET');
    };
    const outcome = await httpRequest(fetchExchanger(fetch), platform, 'http://x.test/', init, 1000);
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
    const outcome = await httpRequest(fetchExchanger(fetch), platform, 'http://x.test/', init, 50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ ok: false, timedOut: true });
    expect(!outcome.ok && outcome.error).toBeInstanceOf(RequestTimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('counts reading the body against the same timeout', async () => {
    const fetch: FetchLike = async () => response(200, never);
    const outcome = await httpRequest(fetchExchanger(fetch), platform, 'http://x.test/', init, 50);
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
    const early = await httpRequest(
      fetchExchanger(fetch),
      platform,
      'http://x.test/',
      init,
      10_000,
      before.signal,
    );
    expect(early).toMatchObject({ ok: false, timedOut: false });
    expect(called).toBe(false);

    const during = new AbortController();
    const pending = httpRequest(
      fetchExchanger(fetch),
      platform,
      'http://x.test/',
      init,
      10_000,
      during.signal,
    );
    setTimeout(() => during.abort(new Error('shutdown deadline reached')), 20);
    const started = Date.now();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(!outcome.ok && outcome.error.message).toBe('shutdown deadline reached');
  });

  it('puts one listener on a cancel signal however many attempts run under it, and still cancels each', async () => {
    const cancel = new AbortController();
    let added = 0;
    const signal = cancel.signal;
    const add = signal.addEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof signal.addEventListener;
    const fetch: FetchLike = async () => response(200, async () => 'ok');
    for (let i = 0; i < 5; i++)
      await httpRequest(fetchExchanger(fetch), platform, 'http://x.test/', init, 1000, signal);
    const failing: FetchLike = async () => {
      throw new Error('down');
    };
    await httpRequest(fetchExchanger(failing), platform, 'http://x.test/', init, 1000, signal);
    const hanging = [1, 2, 3].map(() =>
      httpRequest(
        fetchExchanger(() => never()),
        platform,
        'http://x.test/',
        init,
        10_000,
        signal,
      ),
    );
    expect(added).toBe(1);
    cancel.abort(new Error('shutdown deadline reached'));
    for (const outcome of await Promise.all(hanging))
      expect(outcome).toMatchObject({
        ok: false,
        timedOut: false,
        error: { message: 'shutdown deadline reached' },
      });
  });

  it('abandons a direct exchange through its abort function on timeout and on cancel', async () => {
    const aborted: string[] = [];
    const exchange: Exchanger = () => ({
      response: never(),
      abort: (reason) => void aborted.push(reason.message),
    });
    const timedOut = await httpRequest(exchange, platform, 'http://x.test/', init, 30);
    expect(timedOut).toMatchObject({ ok: false, timedOut: true });
    const cancel = new AbortController();
    const pending = httpRequest(exchange, platform, 'http://x.test/', init, 10_000, cancel.signal);
    cancel.abort('closing');
    expect(await pending).toMatchObject({ ok: false, timedOut: false, error: { message: 'closing' } });
    expect(aborted).toEqual(['request timed out after 30 ms', 'closing']);
  });

  it('settles every attempt under a cancelled signal even when one abort throws', async () => {
    const cancel = new AbortController();
    const throwing: Exchanger = () => ({
      response: never(),
      abort: () => {
        throw new Error('abort handler failed');
      },
    });
    const quiet: Exchanger = () => ({ response: never(), abort: () => {} });
    const first = httpRequest(throwing, platform, 'http://x.test/', init, 10_000, cancel.signal);
    const second = httpRequest(quiet, platform, 'http://x.test/', init, 10_000, cancel.signal);
    cancel.abort(new Error('shutdown deadline reached'));
    const outcomes = await Promise.all([first, second]);
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({ ok: false, error: { message: 'shutdown deadline reached' } });
  });

  it('reports a transport that throws instead of returning an exchange', async () => {
    const exchange: Exchanger = () => {
      throw new Error('no socket');
    };
    const outcome = await httpRequest(exchange, platform, 'http://x.test/', init, 1000);
    expect(outcome).toMatchObject({ ok: false, timedOut: false, error: { message: 'no socket' } });
  });
});
