import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
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

  it.each([1, 6, 9])('gzip at level %i is standard gzip', async (level) => {
    expect(gunzipSync(await platform.gzip(text, level)).toString('utf8')).toBe(text);
  });
});

describe('node platform gzip level', () => {
  it('is applied: the output is what zlib writes at that level, and levels 1 and 9 differ', async () => {
    const platform = createNodePlatform();
    const fast = await platform.gzip(text, 1);
    const small = await platform.gzip(text, 9);
    expect(Buffer.from(fast)).toEqual(gzipSync(text, { level: 1 }));
    expect(Buffer.from(small)).toEqual(gzipSync(text, { level: 9 }));
    expect(Buffer.from(fast)).not.toEqual(Buffer.from(small));
    platform.close();
  });
});
