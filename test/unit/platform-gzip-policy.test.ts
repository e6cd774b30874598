import * as zlib from 'node:zlib';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:zlib', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:zlib')>();
  return { ...actual, gzip: vi.fn(actual.gzip), gzipSync: vi.fn(actual.gzipSync) };
});

const { createNodePlatform, SYNC_GZIP_MAX_BYTES, SYNC_GZIP_MAX_LEVEL } = await import(
  '../../src/platform/node.js'
);

const body = (bytes: number, fill: string) =>
  '{"batch":[' + fill.repeat((bytes - 12) / Buffer.byteLength(fill)) + ']}';

describe('node platform: where a batch is gzipped', () => {
  const platform = createNodePlatform();
  afterEach(() => {
    vi.mocked(zlib.gzip).mockClear();
    vi.mocked(zlib.gzipSync).mockClear();
  });
  afterAll(() => platform.close());

  it.each([
    ['a 40 KB body at the default level 1', 40_000, 1, 'event loop', 'x'],
    ['a body at the size limit, level 6', SYNC_GZIP_MAX_BYTES, SYNC_GZIP_MAX_LEVEL, 'event loop', 'x'],
    ['a body one byte over the limit', SYNC_GZIP_MAX_BYTES + 1, 1, 'thread pool', 'x'],
    ['a small body at a slow level', 4_000, SYNC_GZIP_MAX_LEVEL + 1, 'thread pool', 'x'],
    ['40,000 characters that are 120,000 bytes of UTF-8', 120_012, 1, 'thread pool', '€'],
  ])('%s goes to the %s, and is standard gzip either way', async (_name, bytes, level, where, fill) => {
    const text = body(bytes, fill);
    expect(Buffer.byteLength(text)).toBe(bytes);
    const out = await platform.gzip(Buffer.from(text), level);
    expect(gunzipSync(out).toString('utf8')).toBe(text);
    expect(vi.mocked(zlib.gzipSync).mock.calls.length).toBe(where === 'event loop' ? 1 : 0);
    expect(vi.mocked(zlib.gzip).mock.calls.length).toBe(where === 'thread pool' ? 1 : 0);
  });

  it('a compression error on the event-loop path rejects the promise instead of throwing', async () => {
    vi.mocked(zlib.gzipSync).mockImplementationOnce(() => {
      throw new Error('zlib exploded');
    });
    const result = platform.gzip(Buffer.from(body(1_000, 'x')), 1);
    await expect(result).rejects.toThrow('zlib exploded');
  });
});
