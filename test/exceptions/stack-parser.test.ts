import { describe, expect, it } from 'vitest';
import type { ExceptionFrame } from '../../src/api/messages.js';
import { collapseRecursion } from '../../src/exceptions/recursion.js';
import { parseStackLine } from '../../src/exceptions/stack-line.js';
import { MAX_FRAMES, parseStack } from '../../src/exceptions/stack-parser.js';

type Expected = Pick<ExceptionFrame, 'function' | 'filename' | 'lineno' | 'colno' | 'in_app'>;

const lineTable: Array<[string, Expected]> = [
  [
    'at fn (/app/src/a.js:10:5)',
    { function: 'fn', filename: '/app/src/a.js', lineno: 10, colno: 5, in_app: true },
  ],
  ['at /app/src/a.js:10:5', { function: '?', filename: '/app/src/a.js', lineno: 10, colno: 5, in_app: true }],
  [
    'at async fn (/app/src/a.js:3:1)',
    { function: 'fn', filename: '/app/src/a.js', lineno: 3, colno: 1, in_app: true },
  ],
  [
    'at async /app/src/a.mjs:3:1',
    { function: '?', filename: '/app/src/a.mjs', lineno: 3, colno: 1, in_app: true },
  ],
  [
    'at new Foo (/app/src/a.js:1:2)',
    { function: 'new Foo', filename: '/app/src/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at Foo.bar [as baz] (/app/src/a.js:1:2)',
    { function: 'Foo.bar', filename: '/app/src/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at Object.<anonymous> (/app/src/a.js:1:2)',
    { function: 'Object.?', filename: '/app/src/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at <anonymous> (/app/a.js:1:2)',
    { function: '?', filename: '/app/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at eval (eval at <anonymous> (/app/src/a.js:4:9), <anonymous>:1:1)',
    { function: 'eval', filename: '/app/src/a.js', lineno: 4, colno: 9, in_app: true },
  ],
  [
    'at eval (eval at outer (eval at inner (/app/b.js:7:3), <anonymous>:1:1), <anonymous>:2:2)',
    { function: 'eval', filename: '/app/b.js', lineno: 7, colno: 3, in_app: true },
  ],
  [
    'at eval (eval at <anonymous> (<anonymous>), <anonymous>:1:1)',
    { function: 'eval', filename: '<anonymous>', in_app: false },
  ],
  ['at Array.map (native)', { function: 'Array.map', in_app: false }],
  ['at JSON.parse (<anonymous>)', { function: 'JSON.parse', filename: '<anonymous>', in_app: false }],
  ['at new Promise (<anonymous>)', { function: 'new Promise', filename: '<anonymous>', in_app: false }],
  [
    'at Module._compile (node:internal/modules/cjs/loader:1105:14)',
    {
      function: 'Module._compile',
      filename: 'node:internal/modules/cjs/loader',
      lineno: 1105,
      colno: 14,
      in_app: false,
    },
  ],
  [
    'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    {
      function: 'process.processTicksAndRejections',
      filename: 'node:internal/process/task_queues',
      lineno: 95,
      colno: 5,
      in_app: false,
    },
  ],
  [
    'at readFile (node:fs:10:1)',
    { function: 'readFile', filename: 'node:fs', lineno: 10, colno: 1, in_app: false },
  ],
  [
    'at Module._compile (internal/modules/cjs/loader.js:1:2)',
    {
      function: 'Module._compile',
      filename: 'internal/modules/cjs/loader.js',
      lineno: 1,
      colno: 2,
      in_app: false,
    },
  ],
  [
    'at file:///home/u/a%20b/x.mjs:1:2',
    { function: '?', filename: '/home/u/a b/x.mjs', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at fn (file:///C:/a/b.js:3:4)',
    { function: 'fn', filename: 'C:/a/b.js', lineno: 3, colno: 4, in_app: true },
  ],
  [
    'at fn (file:///bad%E0%A4%A.js:3:4)',
    { function: 'fn', filename: '/bad%E0%A4%A.js', lineno: 3, colno: 4, in_app: true },
  ],
  ['at fn (C:\\a\\b.js:3:4)', { function: 'fn', filename: 'C:\\a\\b.js', lineno: 3, colno: 4, in_app: true }],
  ['at C:\\a\\b.js:3:4', { function: '?', filename: 'C:\\a\\b.js', lineno: 3, colno: 4, in_app: true }],
  [
    'at fn (\\\\server\\share\\a.js:1:2)',
    { function: 'fn', filename: '\\\\server\\share\\a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at fn (C:\\app\\node_modules\\x\\i.js:1:2)',
    { function: 'fn', filename: 'C:\\app\\node_modules\\x\\i.js', lineno: 1, colno: 2, in_app: false },
  ],
  ['at Promise.all (index 0)', { function: 'Promise.all', filename: 'node:internal/promise', in_app: false }],
  [
    'at async Promise.any (index 3)',
    { function: 'Promise.any', filename: 'node:internal/promise', in_app: false },
  ],
  [
    'at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)',
    {
      function: 'Layer.handle',
      filename: '/app/node_modules/express/lib/router/layer.js',
      lineno: 95,
      colno: 5,
      in_app: false,
    },
  ],
  ['at fn (./src/a.js:1:2)', { function: 'fn', filename: './src/a.js', lineno: 1, colno: 2, in_app: true }],
  [
    'at fn (webpack:///./src/a.js:1:2)',
    { function: 'fn', filename: 'webpack:///./src/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at fn (data:text/javascript,x:1:2)',
    { function: 'fn', filename: 'data:text/javascript,x', lineno: 1, colno: 2, in_app: false },
  ],
  [
    'at fn (/app/with (parens)/a.js:1:2)',
    { function: 'fn', filename: '/app/with (parens)/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  [
    'at /app/with (parens)/a.js:1:2',
    { function: '?', filename: '/app/with (parens)/a.js', lineno: 1, colno: 2, in_app: true },
  ],
  ['at fn (/app/a.js:12)', { function: 'fn', filename: '/app/a.js', lineno: 12, in_app: true }],
  [
    'at fn (evalmachine.<anonymous>:1:2)',
    { function: 'fn', filename: 'evalmachine.<anonymous>', lineno: 1, colno: 2, in_app: false },
  ],
];

describe('parseStackLine', () => {
  it.each(lineTable)('%s', (line, expected) => {
    const frame = parseStackLine(`    ${line}`);
    expect(frame).toBeDefined();
    const { platform, module: _module, ...rest } = frame ?? {};
    expect(platform).toBe('node:javascript');
    expect(rest).toEqual(expected);
  });

  it.each([
    'Error: boom',
    'TypeError: Cannot read properties of undefined (reading "x")',
    '',
    '    ',
    'some message line',
    '    at',
  ])('ignores a non-frame line: %j', (line) => {
    expect(parseStackLine(line)).toBeUndefined();
  });
});

const stack = (...lines: string[]): string => ['Error: boom', ...lines.map((l) => `    at ${l}`)].join('\n');

describe('parseStack', () => {
  it('puts the outermost caller first and the throwing frame last', () => {
    const frames = parseStack(
      stack('inner (/app/a.js:1:1)', 'middle (/app/a.js:2:1)', 'outer (/app/a.js:3:1)'),
    );
    expect(frames.map((f) => f.function)).toEqual(['outer', 'middle', 'inner']);
  });

  it('handles CRLF line endings', () => {
    const frames = parseStack('Error: x\r\n    at a (/app/a.js:1:2)\r\n    at b (/app/b.js:3:4)\r\n');
    expect(frames.map((f) => [f.function, f.filename])).toEqual([
      ['b', '/app/b.js'],
      ['a', '/app/a.js'],
    ]);
  });

  it('ignores multi-line messages and lines over 1 KB', () => {
    const long = `x${'y'.repeat(1100)} (/app/a.js:1:1)`;
    const text = `Error: line one\nline two\n    at a (/app/a.js:1:1)\n    at ${long}\n    at b (/app/b.js:2:2)`;
    expect(parseStack(text).map((f) => f.function)).toEqual(['b', 'a']);
  });

  it(`keeps the ${MAX_FRAMES} frames nearest the throw`, () => {
    const lines = Array.from({ length: 120 }, (_, i) => `f${i} (/app/a.js:${i + 1}:1)`);
    const frames = parseStack(stack(...lines));
    expect(frames).toHaveLength(50);
    expect(frames[0]?.function).toBe('f49');
    expect(frames.at(-1)?.function).toBe('f0');
    expect(parseStack(stack(...lines), { maxFrames: 3 }).map((f) => f.function)).toEqual(['f2', 'f1', 'f0']);
  });

  it('drops innermost frames with skipFrames', () => {
    const frames = parseStack(stack('sdk (/app/sdk.js:1:1)', 'user (/app/a.js:1:1)'), { skipFrames: 1 });
    expect(frames.map((f) => f.function)).toEqual(['user']);
  });

  it('adds module names, using moduleBaseDir when given', () => {
    const frames = parseStack(
      stack('a (/srv/app/lib/db/query.js:1:1)', 'b (/srv/app/node_modules/pg/lib/client.js:1:1)'),
      {
        moduleBaseDir: '/srv/app',
      },
    );
    expect(frames.map((f) => f.module)).toEqual(['pg.lib:client', 'lib.db:query']);
  });

  it('collapses a deep recursion to one cycle, so depth does not change the frames', () => {
    const deep = (depth: number): string[] => [
      'leaf (/app/a.js:1:1)',
      ...Array.from({ length: depth }, () => ['even (/app/a.js:5:1)', 'odd (/app/a.js:9:1)']).flat(),
      'main (/app/a.js:20:1)',
    ];
    const shallow = parseStack(stack(...deep(3)));
    expect(shallow.map((f) => f.function)).toEqual(['main', 'odd', 'even', 'leaf']);
    expect(parseStack(stack(...deep(400)))).toEqual(shallow);
  });
});

describe('collapseRecursion', () => {
  const f = (name: string, lineno = 1): ExceptionFrame => ({
    function: name,
    filename: '/a.js',
    lineno,
    colno: 1,
  });
  const names = (frames: ExceptionFrame[]): string => frames.map((x) => x.function).join('');

  it.each([
    ['AAAA', 'A'],
    ['ABABAB', 'AB'],
    ['XABCABCABCY', 'XABCY'],
    ['ABCDEFGHIJABCDEFGHIJ', 'ABCDEFGHIJ'],
    ['ABCDEFGHIJKABCDEFGHIJK', 'ABCDEFGHIJKABCDEFGHIJK'],
    ['ABCA', 'ABCA'],
  ])('%s -> %s', (input, output) => {
    expect(names(collapseRecursion([...input].map((c) => f(c))))).toBe(output);
  });

  it('only collapses exact repeats (same line and column)', () => {
    expect(collapseRecursion([f('A', 1), f('A', 2), f('A', 1)])).toHaveLength(3);
  });
});

describe('real V8 stacks', () => {
  const here = import.meta.url.startsWith('file://') ? decodeURI(new URL(import.meta.url).pathname) : '';

  it('parses a thrown Error, innermost last, with this file in_app', () => {
    function thrower(): never {
      throw new Error('real');
    }
    let caught: unknown;
    try {
      thrower();
    } catch (error) {
      caught = error;
    }
    const frames = parseStack((caught as Error).stack ?? '');
    const last = frames.at(-1);
    expect(last?.function).toBe('thrower');
    expect(last?.filename).toBe(here);
    expect(last?.in_app).toBe(true);
    expect(last?.lineno).toBeGreaterThan(0);
    expect(frames.some((frame) => frame.in_app === false)).toBe(true);
  });

  it('parses an async function stack with `async` frames', async () => {
    async function leaf(): Promise<never> {
      await Promise.resolve();
      throw new Error('async');
    }
    async function branch(): Promise<void> {
      await leaf();
    }
    const error = await branch().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // Depending on the transform, V8 prints `at async branch` or (for lowered async) a task-queue frame between.
    const functions = parseStack(error?.stack ?? '')
      .filter((frame) => frame.in_app)
      .map((frame) => frame.function);
    expect(functions.slice(-2)).toEqual(['branch', 'leaf']);
  });

  it('parses a class constructor frame', () => {
    class Widget {
      constructor() {
        throw new Error('ctor');
      }
    }
    let stackText = '';
    try {
      new Widget();
    } catch (error) {
      stackText = (error as Error).stack ?? '';
    }
    expect(parseStack(stackText).at(-1)?.function).toBe('new Widget');
  });

  it('parses an eval frame to the file that called eval', () => {
    let stackText = '';
    try {
      // biome-ignore lint/security/noGlobalEval: the test needs a real eval frame from V8
      const indirectEval = globalThis.eval;
      indirectEval('throw new Error("evaluated")');
    } catch (error) {
      stackText = (error as Error).stack ?? '';
    }
    expect(stackText).toMatch(/at eval \(eval at /);
    const last = parseStack(stackText).at(-1);
    expect(last?.function).toBe('eval');
    expect(last?.filename).toBe(here);
  });

  it('parses a Promise.all index frame', async () => {
    const error = await Promise.all([
      (async () => {
        await null;
        throw new Error('in all');
      })(),
    ]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    const frames = parseStack(error?.stack ?? '');
    expect(frames.find((frame) => frame.function === 'Promise.all')).toMatchObject({
      filename: 'node:internal/promise',
      in_app: false,
    });
  });
});
