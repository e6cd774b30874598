import { describe, expect, it } from 'vitest';
import { buildExceptionList, MAX_EXCEPTIONS } from '../../src/exceptions/exception-list.js';
import type { RootMechanism } from '../../src/exceptions/types.js';

const explicit: RootMechanism = { type: 'generic', handled: true };
const summary = (thrown: unknown, mechanism: RootMechanism = explicit) =>
  buildExceptionList(thrown, { mechanism }).map((item) => [item.value, item.mechanism]);

describe('buildExceptionList', () => {
  it('builds one root entry with the caller mechanism and a raw stack', () => {
    const error = new TypeError('boom');
    const [item, ...rest] = buildExceptionList(error, {
      mechanism: { type: 'onuncaughtexception', handled: false },
    });
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      type: 'TypeError',
      value: 'boom',
      mechanism: { type: 'onuncaughtexception', handled: false, synthetic: false, exception_id: 0 },
      stacktrace: { type: 'raw' },
    });
    expect(item?.mechanism).not.toHaveProperty('parent_id');
    expect(item?.stacktrace?.frames.at(-1)?.platform).toBe('node:javascript');
  });

  it('follows a cause chain, root first, each linked to its parent', () => {
    const error = new Error('a', { cause: new Error('b', { cause: 'string cause' }) });
    expect(summary(error, { type: 'middleware', handled: false })).toEqual([
      ['a', { type: 'middleware', handled: false, synthetic: false, exception_id: 0 }],
      ['b', { type: 'chained', source: 'cause', synthetic: false, exception_id: 1, parent_id: 0 }],
      ['string cause', { type: 'chained', source: 'cause', synthetic: true, exception_id: 2, parent_id: 1 }],
    ]);
  });

  it('gives a cause without a stack no stacktrace rather than the capture site', () => {
    const cause = new Error('no stack');
    Reflect.deleteProperty(cause, 'stack');
    const [, item] = buildExceptionList(new Error('top', { cause }), { mechanism: explicit });
    expect(item?.stacktrace).toBeUndefined();
    expect(item?.mechanism?.synthetic).toBe(false);
  });

  it('lists AggregateError members depth-first after the cause', () => {
    const agg = new AggregateError(
      [new Error('m1', { cause: new Error('m1c') }), 'm2', new TypeError('m3')],
      'agg',
      {
        cause: new Error('aggcause'),
      },
    );
    expect(
      buildExceptionList(agg, { mechanism: explicit }).map((i) => [
        i.type,
        i.value,
        i.mechanism?.source,
        i.mechanism?.parent_id,
      ]),
    ).toEqual([
      ['AggregateError', 'agg', undefined, undefined],
      ['Error', 'aggcause', 'cause', 0],
      ['Error', 'm1', 'member', 0],
      ['Error', 'm1c', 'cause', 2],
      ['Error', 'm2', 'member', 0],
      ['TypeError', 'm3', 'member', 0],
    ]);
  });

  it('handles nested AggregateErrors', () => {
    const inner = new AggregateError([new Error('x'), new Error('y')], 'inner');
    const outer = new AggregateError([inner, new Error('z')], 'outer');
    expect(
      buildExceptionList(outer, { mechanism: explicit }).map((i) => [i.value, i.mechanism?.parent_id]),
    ).toEqual([
      ['outer', undefined],
      ['inner', 0],
      ['x', 1],
      ['y', 1],
      ['z', 0],
    ]);
  });

  it(`stops at ${MAX_EXCEPTIONS} entries for long chains and large aggregates`, () => {
    let deep = new Error('e0');
    for (let i = 1; i < 80; i++) deep = new Error(`e${i}`, { cause: deep });
    const chain = buildExceptionList(deep, { mechanism: explicit });
    expect(chain).toHaveLength(50);
    expect(chain.at(-1)?.value).toBe('e30');

    const wide = buildExceptionList(
      new AggregateError(Array.from({ length: 80 }, (_, i) => new Error(`m${i}`))),
      {
        mechanism: explicit,
      },
    );
    expect(wide).toHaveLength(50);
    expect(wide.at(-1)?.value).toBe('m48');
    expect(buildExceptionList(deep, { mechanism: explicit, maxExceptions: 3 })).toHaveLength(3);
  });

  it('terminates on a self-referencing cause and on cause cycles', () => {
    const self = new Error('self');
    self.cause = self;
    expect(summary(self)).toHaveLength(1);

    const a = new Error('A');
    const b = new Error('B', { cause: a });
    a.cause = b;
    expect(buildExceptionList(a, { mechanism: explicit }).map((i) => i.value)).toEqual(['A', 'B']);

    const loop = new AggregateError([], 'loop');
    (loop as { errors: unknown[] }).errors = [loop, loop];
    expect(summary(loop)).toHaveLength(1);
  });

  it('gives a value without a stack the call-site stack and marks it synthetic', () => {
    function captureHere() {
      return buildExceptionList('just a string', { mechanism: explicit });
    }
    const [item] = captureHere();
    expect(item?.mechanism?.synthetic).toBe(true);
    const frames = item?.stacktrace?.frames ?? [];
    // The call site is the innermost frame: buildExceptionList's own frames are left out.
    expect(frames.at(-1)?.function).toBe('captureHere');
    expect(frames.some((frame) => frame.function === 'buildExceptionList')).toBe(false);
  });

  it('uses a given synthetic stack and skips the SDK frames in it', () => {
    const syntheticStack =
      'Error\n    at sdkCapture (/srv/app/node_modules/posthog-ts/x.js:1:1)\n    at handler (/srv/app/src/a.js:9:3)';
    const [item] = buildExceptionList(42, { mechanism: explicit, syntheticStack, syntheticStackSkip: 1 });
    expect(item?.stacktrace?.frames.map((frame) => frame.function)).toEqual(['handler']);
  });

  it('marks an Error without a stack synthetic and uses the call site', () => {
    const error = new Error('stackless');
    Reflect.deleteProperty(error, 'stack');
    const [item] = buildExceptionList(error, { mechanism: explicit });
    expect(item).toMatchObject({ type: 'Error', value: 'stackless', mechanism: { synthetic: true } });
    expect(item?.stacktrace?.frames.length).toBeGreaterThan(0);
  });

  it('omits stacktrace when no frames can be found at all', () => {
    const [item] = buildExceptionList('x', { mechanism: explicit, syntheticStack: 'Error: nothing here' });
    expect(item).not.toHaveProperty('stacktrace');
  });

  it('passes moduleBaseDir through to frame modules', () => {
    const error = new Error('m');
    error.stack = 'Error: m\n    at f (/srv/app/src/jobs/run.js:1:1)';
    const [item] = buildExceptionList(error, { mechanism: explicit, moduleBaseDir: '/srv/app' });
    expect(item?.stacktrace?.frames[0]?.module).toBe('src.jobs:run');
  });

  it('produces JSON-safe output for every throwable kind', () => {
    for (const thrown of [new Error('e'), 'string', { a: 1 }, null, undefined, 1n, Symbol('x'), () => 1]) {
      const list = buildExceptionList(thrown, { mechanism: explicit });
      expect(list.length).toBe(1);
      expect(JSON.parse(JSON.stringify(list))).toEqual(list);
    }
  });
});
