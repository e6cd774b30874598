/**
 * Runs posthog-node@5.70.0 (the reference) on the same inputs and compares the parts that should match. The
 * deliberate differences are asserted explicitly at the bottom, each with its reason.
 */
import { PostHog } from 'posthog-node';
import { describe, expect, it } from 'vitest';
import type { ExceptionFrame, ExceptionItem } from '../../src/api/messages.js';
import { buildExceptionList } from '../../src/exceptions/exception-list.js';

async function reference(thrown: unknown): Promise<ExceptionItem[]> {
  const bodies: string[] = [];
  const client = new PostHog('phc_parity', {
    host: 'http://127.0.0.1:9',
    flushAt: 1,
    disableCompression: true,
    fetch: async (_url, options) => {
      bodies.push(String(options.body));
      return { status: 200, text: async () => '{}', json: async () => ({}) };
    },
  });
  client.captureException(thrown, 'parity-user');
  await client.shutdown();
  const batch = JSON.parse(bodies[0] ?? '{"batch":[]}') as {
    batch: Array<{ properties: Record<string, unknown> }>;
  };
  return (batch.batch[0]?.properties.$exception_list ?? []) as ExceptionItem[];
}

const ours = (thrown: unknown): ExceptionItem[] =>
  buildExceptionList(thrown, { mechanism: { type: 'generic', handled: true } });

const withStack = (stack: string): Error => {
  const error = new Error('parity');
  error.stack = `Error: parity\n${stack}`;
  return error;
};

const shape = (frames: readonly ExceptionFrame[] | undefined) =>
  (frames ?? []).map((f) => ({
    function: f.function,
    lineno: f.lineno,
    colno: f.colno,
    in_app: f.in_app,
    platform: f.platform,
  }));

describe('parity with posthog-node', () => {
  it('frame order, names, positions and in_app for a real thrown error', async () => {
    function levelTwo(): never {
      throw new RangeError('deep');
    }
    function levelOne(): never {
      return levelTwo();
    }
    let caught: unknown;
    try {
      levelOne();
    } catch (error) {
      caught = error;
    }
    const [ref] = await reference(caught);
    const [mine] = ours(caught);
    expect(mine?.type).toBe(ref?.type);
    expect(mine?.value).toBe(ref?.value);
    expect(mine?.mechanism).toEqual(ref?.mechanism);
    expect(shape(mine?.stacktrace?.frames)).toEqual(shape(ref?.stacktrace?.frames));
    expect(mine?.stacktrace?.frames.at(-1)?.function).toBe('levelTwo');
  });

  const agreeingLines = [
    '    at fn (/app/src/a.js:10:5)',
    '    at /app/src/a.js:10:5',
    '    at async fn (/app/src/a.js:10:5)',
    '    at new Foo (/app/src/a.js:10:5)',
    '    at Object.<anonymous> (/app/src/a.js:10:5)',
    '    at JSON.parse (<anonymous>)',
    '    at Array.map (native)',
    '    at Module._compile (node:internal/modules/cjs/loader:1105:14)',
    '    at file:///home/u/a%20b/x.mjs:1:2',
    '    at fn (file:///C:/a/b.js:3:4)',
    '    at fn (C:\\a\\b.js:3:4)',
    '    at Promise.all (index 0)',
    '    at async Promise.any (index 1)',
    '    at fn (/app/node_modules/express/lib/router.js:1:2)',
    '    at fn (internal/modules/cjs/loader.js:1:2)',
    '    at fn (./src/a.js:1:2)',
    '    at fn (webpack:///./src/a.js:1:2)',
    '    at fn (/app/with (parens)/a.js:1:2)',
    '    at fn (data:text/javascript,foo:1:2)',
  ];

  it.each(agreeingLines)('agrees on %s', async (line) => {
    const error = withStack(line);
    const [ref] = await reference(error);
    const [mine] = ours(error);
    expect(shape(mine?.stacktrace?.frames)).toEqual(shape(ref?.stacktrace?.frames));
  });

  it('agrees on order, the 50-frame cap and recursion collapsing', async () => {
    const lines = ['    at leaf (/app/a.js:1:1)'];
    for (let i = 0; i < 30; i++) lines.push('    at a (/app/a.js:5:1)', '    at b (/app/a.js:6:1)');
    for (let i = 0; i < 80; i++) lines.push(`    at f${i} (/app/a.js:${i + 10}:1)`);
    const error = withStack(lines.join('\n'));
    const [ref] = await reference(error);
    const [mine] = ours(error);
    expect(mine?.stacktrace?.frames).toHaveLength(50);
    expect(shape(mine?.stacktrace?.frames)).toEqual(shape(ref?.stacktrace?.frames));
  });

  it.each<[string, () => unknown]>([
    ['cause chain', () => new Error('a', { cause: new Error('b', { cause: 'c' }) })],
    [
      'aggregate',
      () =>
        new AggregateError([new Error('m1', { cause: new Error('m1c') }), 'm2'], 'agg', {
          cause: new Error('x'),
        }),
    ],
    ['string', () => 'Uncaught TypeError: s'],
    ['object with keys', () => ({ zeta: 1, alpha: 2 })],
    ['object with name and message', () => ({ name: 'Foo', message: 'bar' })],
    ['object holding an Error', () => ({ err: new TypeError('wrapped') })],
    ['number', () => 42],
    ['null', () => null],
  ])('agrees on types, values and mechanisms: %s', async (_label, make) => {
    const thrown = make();
    const strip = (items: ExceptionItem[]) =>
      items.map(({ type, value, mechanism }) => ({ type, value, mechanism }));
    expect(strip(ours(thrown))).toEqual(strip(await reference(thrown)));
  });

  describe('deliberate differences', () => {
    it('strips `[as alias]` from method names (spec: normalised to Type.method)', async () => {
      const error = withStack('    at Foo.bar [as baz] (/app/a.js:1:2)');
      expect((await reference(error))[0]?.stacktrace?.frames[0]?.function).toBe('Foo.bar [as baz]');
      expect(ours(error)[0]?.stacktrace?.frames[0]?.function).toBe('Foo.bar');
    });

    it('points eval frames at the file that called eval, instead of an unusable "eval at ..." name', async () => {
      const error = withStack('    at eval (eval at <anonymous> (/app/a.js:4:9), <anonymous>:1:1)');
      expect((await reference(error))[0]?.stacktrace?.frames[0]?.in_app).toBe(false);
      expect(ours(error)[0]?.stacktrace?.frames[0]).toMatchObject({
        filename: '/app/a.js',
        lineno: 4,
        in_app: true,
      });
    });

    it('keeps parentheses in a path of a frame without a function name', async () => {
      const error = withStack('    at /app/with (parens)/a.js:1:2');
      expect((await reference(error))[0]?.stacktrace?.frames[0]?.function).toBe('/app/with');
      expect(ours(error)[0]?.stacktrace?.frames[0]).toMatchObject({
        function: '?',
        filename: '/app/with (parens)/a.js',
      });
    });

    it('treats UNC paths as absolute, so in_app', async () => {
      const error = withStack('    at fn (\\\\server\\share\\a.js:1:2)');
      expect((await reference(error))[0]?.stacktrace?.frames[0]?.in_app).toBe(false);
      expect(ours(error)[0]?.stacktrace?.frames[0]?.in_app).toBe(true);
    });

    it('names a subclass that never set `name` after its class', async () => {
      class PaymentDeclined extends Error {}
      const error = new PaymentDeclined('card');
      expect((await reference(error))[0]?.type).toBe('Error');
      expect(ours(error)[0]?.type).toBe('PaymentDeclined');
    });

    it('does not send the source text of a thrown function', async () => {
      function handler() {
        return 'secret source';
      }
      expect((await reference(handler))[0]?.value).toContain('secret source');
      expect(ours(handler)[0]?.value).toBe('Function captured as exception: handler');
    });

    it('strips the Error prefix of a multi-line thrown string', async () => {
      expect((await reference('Error: one\ntwo'))[0]?.value).toBe('Error: one\ntwo');
      expect(ours('Error: one\ntwo')[0]?.value).toBe('one\ntwo');
    });

    it('never gives an empty key summary for an object with one very long key', async () => {
      const thrown = { ['k'.repeat(60)]: 1 };
      expect((await reference(thrown))[0]?.value).toBe('Object captured as exception with keys: ');
      expect(ours(thrown)[0]?.value).toBe(`Object captured as exception with keys: ${'k'.repeat(40)}...`);
    });
  });
});
