import { gunzipSync } from 'node:zlib';
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

  it('gzip is standard gzip', async () => {
    expect(gunzipSync(await platform.gzip(text)).toString('utf8')).toBe(text);
  });
});
