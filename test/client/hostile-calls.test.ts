import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BeforeSendError, EventTooLargeError, PostHog, ValidationError } from '../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';

/**
 * Calls that must never throw, reject or stall, given what application code can hand them: values that throw
 * objects without a prototype, proxies, async hooks, huge sparse arrays, odd deadlines.
 */

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const throwsUnprintable = new Proxy(
  {},
  {
    get() {
      throw Object.create(null);
    },
  },
);

let server: LocalPostHog;
let client: PostHog;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(async () => {
  server = await startLocalPostHog();
  client = new PostHog('phc_test', { host: server.url, logger: silent, flushAt: 1000 });
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  await client.shutdown(2000);
  await server.stop();
  await new Promise((resolve) => setTimeout(resolve, 10));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('capture-style calls', () => {
  it('refuse a message that throws a value without a prototype, with a ValidationError', () => {
    for (const call of [
      () => client.capture(throwsUnprintable as never),
      () => client.identify(throwsUnprintable as never),
      () => client.enqueue(throwsUnprintable as never),
    ]) {
      const result = call();
      expect(result.ok ? undefined : result.error).toBeInstanceOf(ValidationError);
    }
    expect(() => client.register(throwsUnprintable as never)).not.toThrow();
  });

  it('refuse an array too long for any event at once, as too large, without building it', () => {
    const tags: unknown[] = [];
    tags.length = 2 ** 32 - 1;
    const started = Date.now();
    const results = [
      client.capture({ distinctId: 'u', event: 'sparse', properties: { tags } }),
      client.capture({
        distinctId: 'u',
        event: 'sparse in a map',
        properties: { m: new Map([['tags', tags]]) },
      }),
      client.capture({
        distinctId: 'u',
        event: 'big set',
        properties: { s: new Set(Array.from({ length: 10 })) },
      }),
    ];
    expect(Date.now() - started).toBeLessThan(1000);
    expect(results[0]?.ok ? undefined : results[0]?.error).toBeInstanceOf(EventTooLargeError);
    expect(results[1]?.ok ? undefined : results[1]?.error).toBeInstanceOf(EventTooLargeError);
    expect(results[2]?.ok).toBe(true);
  });

  it('refuse a value that shares one object at every level as too large, in about the work of the limit', () => {
    // Two references to one object, 40 levels deep: 2^40 paths, each written out by JSON. Shallow enough for the
    // direct writer (12 levels, still 4^12 paths with four references), and deep enough for the normalising path.
    const chain = (levels: number, refs: number): Record<string, unknown> => {
      let node: Record<string, unknown> = { v: 'x'.repeat(20) };
      for (let i = 0; i < levels; i++) {
        const next: Record<string, unknown> = {};
        for (let r = 0; r < refs; r++) next[`k${r}`] = node;
        node = next;
      }
      return node;
    };
    const started = Date.now();
    const results = [
      client.capture({ distinctId: 'u', event: 'deep dag', properties: { d: chain(40, 2) } }),
      client.capture({ distinctId: 'u', event: 'wide dag', properties: { d: chain(12, 4) } }),
    ];
    const ai = client.captureAi({
      distinctId: 'u',
      event: '$ai_generation',
      properties: { $ai_input: chain(40, 2) },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(results[0]?.ok ? undefined : results[0]?.error).toBeInstanceOf(EventTooLargeError);
    expect(results[1]?.ok ? undefined : results[1]?.error).toBeInstanceOf(EventTooLargeError);
    expect(ai).toBeUndefined();
    // A shared object referenced a sane number of times is written each time, as JSON does.
    const shallow = client.capture({ distinctId: 'u', event: 'shared', properties: { d: chain(4, 2) } });
    expect(shallow.ok).toBe(true);
  });

  it('drop an event whose async before_send hook returns a promise, with a reason, even if it rejects', async () => {
    const hooked = new PostHog('phc_test', {
      host: server.url,
      logger: silent,
      before_send: (async () => {
        throw new Error('async hook failed');
      }) as never,
    });
    const result = hooked.capture({ distinctId: 'u', event: 'e' });
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(BeforeSendError);
    expect(error?.message).toContain('returned a promise (hooks must be synchronous)');
    await hooked.shutdown();
    expect(server.events).toEqual([]);
  });

  it('captureException ignores a flags argument that cannot be read', async () => {
    const snapshot = await client.evaluateFlags('u');
    expect(client.captureException(new Error('a'), 'u', {}, undefined, throwsUnprintable as never).ok).toBe(
      true,
    );
    // A proxy over an empty object: nothing to read, so the event goes out with the snapshot's properties only.
    let result: ReturnType<PostHog['captureException']> | undefined;
    expect(() => {
      result = client.captureException(new Error('b'), 'u', throwsUnprintable as never, undefined, snapshot);
    }).not.toThrow();
    expect(result?.ok).toBe(true);
  });
});

describe('context and super properties', () => {
  it('report what they cannot read and still run the callback', () => {
    expect(() => client.unregister({ toString: () => Object.create(null) } as never)).not.toThrow();
    expect(client.withContext(throwsUnprintable as never, () => 'ran')).toBe('ran');
    expect(client.withContext({ distinctId: 'u' }, () => 'ran', throwsUnprintable as never)).toBe('ran');
    expect(client.withContext({ distinctId: 'u' }, 'not a function' as never)).toBeUndefined();
    expect(() => client.enterContext(throwsUnprintable as never)).not.toThrow();
  });
});

describe('shutdown deadlines', () => {
  it('waits for delivery with a deadline past what a timer holds (2^31 ms), instead of giving up at once', async () => {
    server.script('capture', { delayMs: 200 });
    client.capture({ distinctId: 'u', event: 'slow' });
    await client.shutdown(2 ** 31);
    expect(server.events.map((event) => event.event)).toEqual(['slow']);
    expect(client.stats().dropped.shutdown_timeout).toBe(0);
  });

  it('takes a deadline that is no number as the default, and still delivers', async () => {
    client.capture({ distinctId: 'u', event: 'queued' });
    await expect(client.shutdown(Symbol('deadline') as never)).resolves.toBeUndefined();
    expect(server.events.map((event) => event.event)).toEqual(['queued']);
  });
});
