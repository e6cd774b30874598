import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isUuid, UuidV7Generator } from '../../src/utils/uuid.js';

describe('UuidV7Generator', () => {
  it('produces RFC 9562 version 7 ids carrying the millisecond timestamp', () => {
    const ms = 1_700_000_000_123;
    const id = new UuidV7Generator(randomFillSync, () => ms).next();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('keeps ids strictly increasing within one millisecond and across counter overflow', () => {
    const generator = new UuidV7Generator(randomFillSync, () => 1_700_000_000_000);
    let previous = generator.next();
    for (let i = 0; i < 10_000; i++) {
      const next = generator.next();
      expect(next > previous).toBe(true);
      previous = next;
    }
  });

  it('does not repeat ids', () => {
    const generator = new UuidV7Generator(randomFillSync, Date.now);
    const ids = new Set(Array.from({ length: 50_000 }, () => generator.next()));
    expect(ids.size).toBe(50_000);
  });

  it('draws nine random bytes per id, in order and across pool refills, into the variant group and node part', () => {
    const drawn: number[] = [];
    const fill = (bytes: Uint8Array) => {
      for (let i = 0; i < bytes.length; i++) {
        bytes[i] = (drawn.length * 37 + 11) & 0xff;
        drawn.push(bytes[i] as number);
      }
    };
    const generator = new UuidV7Generator(fill, () => 1_700_000_000_000);
    const hex = (b: number) => b.toString(16).padStart(2, '0');
    for (let i = 0; i < 1_000; i++) {
      const id = generator.next();
      const w = drawn.slice(i * 9, i * 9 + 9);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // RFC 9562's variant bits `10` over the low six bits of the window's first byte.
      expect(id.slice(19, 23)).toBe(hex(0x80 | ((w[0] as number) & 0x3f)) + hex(w[1] as number));
      expect(id.slice(24)).toBe(w.slice(2, 8).map(hex).join(''));
    }
    expect(drawn.length).toBeGreaterThan(2 * 4096); // the pool was refilled at least twice
  });

  it('starts the counter of each new millisecond from the random window, in its lowest quarter', () => {
    let ms = 1_700_000_000_000;
    const generator = new UuidV7Generator(
      (bytes) => bytes.fill(0xff),
      () => ms++,
    );
    // Every byte 0xff: (0xff << 2) | (0xff >>> 6) = 1023, the top of the lowest quarter.
    expect(generator.next().slice(14, 18)).toBe('73ff');
    expect(generator.next().slice(14, 18)).toBe('73ff');
  });

  it('recognises UUIDs of any version and nothing else', () => {
    expect(isUuid('0198c0de-0000-7000-8000-000000000abc')).toBe(true);
    expect(isUuid('F47AC10B-58CC-4372-A567-0E02B2C3D479')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
