import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listEncoder } from '../../src/platform/encode-list.js';
import { createNodePlatform } from '../../src/platform/node.js';
import { webPlatform } from '../../src/platform/web.js';

const text = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ i, s: 'é ✓ 😀 \u0000' })).join('\n');

describe.each([
  ['node', createNodePlatform()],
  ['web', webPlatform],
])('%s platform compression', (_name, platform) => {
  it('deflate then inflate gives the text back, smaller in between', async () => {
    const packed = await platform.deflate(text);
    expect(packed.byteLength).toBeLessThan(text.length / 4);
    expect(await platform.inflate(packed)).toBe(text);
  });

  it('inflate rejects bytes it did not produce', async () => {
    await expect(platform.inflate(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).rejects.toBeDefined();
  });

  it.each([
    ['ASCII events', ['{"a":1}', '{"b":"x"}', '{}']],
    ['no events', []],
    ['3-byte characters in every event', Array.from({ length: 50 }, () => '"€€€€€€€€€€"')],
    ['one long multi-byte event after short ones', ['1', '2', `"${'😀'.repeat(5000)}"`]],
    ['lone surrogates', ['"\ud800"', '"a\udfffb"']],
  ])('encodeList writes the UTF-8 of head, items joined by commas, and tail (%s)', (_case, items) => {
    const head = '{"api_key":"phc_é","batch":[';
    const tail = '],"sent_at":"2026-01-01T00:00:00.000Z"}';
    const bytes = platform.encodeList(head, items, tail);
    expect(Buffer.from(bytes)).toEqual(Buffer.from(head + items.join(',') + tail, 'utf8'));
  });

  it.each([1, 6, 9])('gzip at level %i is standard gzip', async (level) => {
    expect(gunzipSync(await platform.gzip(Buffer.from(text), level)).toString('utf8')).toBe(text);
  });
});

describe('node platform gzip level', () => {
  it('is applied: the output is what zlib writes at that level, and levels 1 and 9 differ', async () => {
    const platform = createNodePlatform();
    const fast = await platform.gzip(Buffer.from(text), 1);
    const small = await platform.gzip(Buffer.from(text), 9);
    expect(Buffer.from(fast)).toEqual(gzipSync(text, { level: 1 }));
    expect(Buffer.from(small)).toEqual(gzipSync(text, { level: 9 }));
    expect(Buffer.from(fast)).not.toEqual(Buffer.from(small));
    platform.close();
  });
});

describe('listEncoder', () => {
  /** An encoder over Buffers that counts its allocations. */
  const counted = () => {
    const sizes: number[] = [];
    const encode = listEncoder(
      (bytes) => {
        sizes.push(bytes);
        return Buffer.alloc(bytes);
      },
      (text, into, at) => (into as Buffer).write(text, at),
    );
    return { encode, sizes };
  };

  it.each([
    ['ASCII, the usual batch', '{"batch":[', Array.from({ length: 100 }, (_, i) => `{"i":${i}}`), ']}', 1],
    [
      'a long multi-byte event fills the reserve, and the worst case of the tail grows the buffer once',
      '[',
      ['1', '€'.repeat(1000), '2'],
      ']',
      2,
    ],
    [
      '3-byte characters in every event: the buffer doubles until they fit',
      '[',
      Array.from({ length: 50 }, () => '"€€€€€€€€€€"'),
      ']',
      3,
    ],
    ['a short non-ASCII tail fits in the reserve', '[', ['1'], `]${'é'.repeat(100)}`, 1],
  ])('%s', (_case, head, items, tail, allocations) => {
    const { encode, sizes } = counted();
    const bytes = encode(head, items, tail);
    expect(Buffer.from(bytes)).toEqual(Buffer.from(head + items.join(',') + tail, 'utf8'));
    expect(sizes).toHaveLength(allocations);
  });
});
