import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExceptionFrame } from '../../src/api/messages.js';
import { trimLine } from '../../src/exceptions/line-window.js';
import { LruCache } from '../../src/exceptions/lru-cache.js';
import { createNodeSourceReader } from '../../src/exceptions/node-source-reader.js';
import {
  addSourceContext,
  addSourceContextToList,
  SourceCache,
} from '../../src/exceptions/source-context.js';
import type { SourceReader } from '../../src/exceptions/source-reader.js';

let dir = '';
let file = '';
const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posthog-ts-ctx-'));
  file = join(dir, 'app.js');
  await writeFile(file, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const frame = (over: Partial<ExceptionFrame> = {}): ExceptionFrame => ({
  platform: 'node:javascript',
  function: 'f',
  filename: file,
  lineno: 10,
  colno: 3,
  in_app: true,
  ...over,
});

describe('addSourceContext', () => {
  it('adds 7 lines either side from a file on disk', async () => {
    const [out] = await addSourceContext([frame()], createNodeSourceReader(), { cache: new SourceCache() });
    expect(out?.context_line).toBe('line 10');
    expect(out?.pre_context).toEqual(lines.slice(2, 9));
    expect(out?.post_context).toEqual(lines.slice(10, 17));
  });

  it('clips context at the start and end of the file, without a trailing empty line', async () => {
    const [first, last] = await addSourceContext(
      [frame({ lineno: 1 }), frame({ lineno: 30 })],
      createNodeSourceReader(),
      {
        cache: new SourceCache(),
      },
    );
    expect(first?.pre_context).toEqual([]);
    expect(first?.post_context).toHaveLength(7);
    expect(last?.context_line).toBe('line 30');
    expect(last?.post_context).toEqual([]);
  });

  it('does not change the input frames', async () => {
    const input = [frame()];
    await addSourceContext(input, createNodeSourceReader(), { cache: new SourceCache() });
    expect(input[0]).not.toHaveProperty('context_line');
  });

  it.each<[string, Partial<ExceptionFrame>]>([
    ['not in_app (and not a dependency)', { in_app: false }],
    ['node: file', { filename: 'node:fs' }],
    ['data: file', { filename: 'data:text/javascript,1' }],
    ['minified file', { filename: '/srv/app/dist/app.min.js' }],
    ['lineno over 10000', { lineno: 10_001 }],
    ['colno over 1000', { colno: 1_001 }],
    ['no lineno', { lineno: undefined as unknown as number }],
    ['line past the end of the file', { lineno: 500 }],
  ])('skips a frame that is %s', async (_label, over) => {
    const requested: string[] = [];
    const reader: SourceReader = async (path) => {
      requested.push(path);
      return lines.join('\n');
    };
    const input = frame(over);
    if (input.lineno === undefined) delete input.lineno;
    const [out] = await addSourceContext([input], reader, { cache: new SourceCache() });
    expect(out).not.toHaveProperty('context_line');
    if (over.lineno !== 500) expect(requested).toEqual([]);
  });

  it("reads a dependency's frames too, as posthog-node does: a library's line often says why it threw", async () => {
    const reader: SourceReader = async () => lines.join('\n');
    const dependency = frame({ in_app: false, filename: '/srv/app/node_modules/pg/lib/client.js' });
    const [out] = await addSourceContext([dependency], reader, { cache: new SourceCache() });
    expect(out?.context_line).toBe('line 10');
  });

  it('gives no context for a missing file, a file over the size limit, or a reader that throws', async () => {
    const big = join(dir, 'big.js');
    await writeFile(big, 'x\n'.repeat(64));
    const reader = createNodeSourceReader({ maxBytes: 16 });
    const out = await addSourceContext(
      [frame({ filename: join(dir, 'missing.js') }), frame({ filename: big, lineno: 1 })],
      reader,
      {
        cache: new SourceCache(),
      },
    );
    expect(out.map((f) => f.context_line)).toEqual([undefined, undefined]);

    const throwing: SourceReader = () => {
      throw new Error('sync throw');
    };
    const rejecting: SourceReader = () => Promise.reject(new Error('async'));
    for (const bad of [throwing, rejecting]) {
      await expect(addSourceContext([frame()], bad, { cache: new SourceCache() })).resolves.toEqual([
        frame(),
      ]);
    }
  });

  it('returns within the time bound when the reader hangs, and uses the file once it arrives', async () => {
    let release: (text: string) => void = () => undefined;
    const slow: SourceReader = () =>
      new Promise((resolve) => {
        release = resolve;
      });
    const cache = new SourceCache();
    const started = Date.now();
    const [out] = await addSourceContext([frame()], slow, { cache, timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(out).not.toHaveProperty('context_line');

    release(lines.join('\n'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const [later] = await addSourceContext([frame()], slow, { cache, timeoutMs: 50 });
    expect(later?.context_line).toBe('line 10');
  });

  it('reads each file once, sharing concurrent reads and caching results (including misses)', async () => {
    let reads = 0;
    const counting: SourceReader = async (path) => {
      reads++;
      return path === file ? lines.join('\n') : undefined;
    };
    const cache = new SourceCache();
    const frames = [frame(), frame({ lineno: 12 }), frame({ filename: '/nope.js' })];
    await Promise.all([
      addSourceContext(frames, counting, { cache }),
      addSourceContext(frames, counting, { cache }),
    ]);
    await addSourceContext(frames, counting, { cache });
    expect(reads).toBe(2);
  });

  it('keeps a default cache per reader', async () => {
    let reads = 0;
    const reader: SourceReader = async () => {
      reads++;
      return lines.join('\n');
    };
    await addSourceContext([frame()], reader);
    await addSourceContext([frame()], reader);
    expect(reads).toBe(1);
  });

  it('trims long lines around the column', async () => {
    const long = `${'a'.repeat(300)}THROW${'b'.repeat(300)}`;
    const reader: SourceReader = async () => [long, long].join('\n');
    const [out] = await addSourceContext([frame({ lineno: 1, colno: 301 })], reader, {
      cache: new SourceCache(),
    });
    expect(out?.context_line).toContain('THROW');
    expect(out?.context_line?.startsWith('...')).toBe(true);
    expect(out?.context_line?.endsWith('...')).toBe(true);
    expect(out?.context_line?.length).toBe(146);
    expect(out?.post_context?.[0]).toBe(out?.context_line);
  });

  it('adds context across an exception list and keeps entries without stacks', async () => {
    const items = [
      {
        type: 'Error',
        value: 'a',
        stacktrace: { type: 'raw' as const, frames: [frame(), frame({ lineno: 2 })] },
      },
      { type: 'Error', value: 'b' },
      { type: 'Error', value: 'c', stacktrace: { type: 'raw' as const, frames: [frame({ lineno: 20 })] } },
    ];
    const out = await addSourceContextToList(items, createNodeSourceReader(), { cache: new SourceCache() });
    expect(out[0]?.stacktrace?.frames.map((f) => f.context_line)).toEqual(['line 10', 'line 2']);
    expect(out[1]).toBe(items[1]);
    expect(out[2]?.stacktrace?.frames[0]?.context_line).toBe('line 20');
  });
});

describe('trimLine', () => {
  it.each([
    ['short', 1, 'short'],
    ['x'.repeat(140), 1, 'x'.repeat(140)],
    [`${'a'.repeat(200)}`, 1, `${'a'.repeat(140)}...`],
    [`${'a'.repeat(200)}`, 200, `...${'a'.repeat(140)}`],
  ])('%#', (line, colno, expected) => {
    expect(trimLine(line, colno)).toBe(expected);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.size).toBe(2);
  });
});
