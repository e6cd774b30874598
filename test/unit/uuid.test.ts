import { randomFillSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isUuid, UuidV7Generator } from '../../src/utils/uuid.js';

describe('UuidV7Generator', () => {
  it('produces RFC 9562 version 7 ids carrying the millisecond timestamp', () => {
    const ms = 1_700_000_000_123;
    const id = new UuidV7Generator(randomFillSync).next(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('keeps ids strictly increasing within one millisecond and across counter overflow', () => {
    const generator = new UuidV7Generator(randomFillSync);
    let previous = generator.next(1_700_000_000_000);
    for (let i = 0; i < 10_000; i++) {
      const next = generator.next(1_700_000_000_000);
      expect(next > previous).toBe(true);
      previous = next;
    }
  });

  it('does not repeat ids', () => {
    const generator = new UuidV7Generator(randomFillSync);
    const ids = new Set(Array.from({ length: 50_000 }, () => generator.next(Date.now())));
    expect(ids.size).toBe(50_000);
  });

  it('draws five random 16-bit words per id, in order and across pool refills, into the variant group and node part', () => {
    const drawn: number[] = [];
    const fill = (bytes: Uint8Array) => {
      // Words as the generator reads them: native byte order, whatever the platform's.
      const words = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
      for (let i = 0; i < words.length; i++) {
        words[i] = (drawn.length * 40_503 + 11) & 0xffff;
        drawn.push(words[i] as number);
      }
    };
    const generator = new UuidV7Generator(fill);
    const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
    for (let i = 0; i < 1_000; i++) {
      // A new millisecond for every id, so that each id's counter starts from its own window.
      const id = generator.next(1_700_000_000_000 + i);
      const [n0, n1, n2, variant, start] = drawn.slice(i * 5, i * 5 + 5) as [
        number,
        number,
        number,
        number,
        number,
      ];
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // RFC 9562's variant bits `10` over six random bits, then a random byte.
      expect(id.slice(19, 23)).toBe(hex(0x80 | ((variant >>> 8) & 0x3f), 2) + hex(variant & 0xff, 2));
      expect(id.slice(24)).toBe(hex(n0, 4) + hex(n1, 4) + hex(n2, 4));
      // The counter starts at the fifth word's low ten bits: the lowest quarter of its 12-bit range.
      expect(id.slice(15, 18)).toBe(hex(start & 0x3ff, 3));
    }
    expect(drawn.length).toBeGreaterThan(2 * 2048); // the pool of about 4 KiB was refilled at least twice
  });

  it('starts the counter of each new millisecond from the random window, in its lowest quarter', () => {
    let ms = 1_700_000_000_000;
    const generator = new UuidV7Generator((bytes) => bytes.fill(0xff));
    // Every word 0xffff: its low ten bits are 1023, the top of the lowest quarter.
    expect(generator.next(ms++).slice(14, 18)).toBe('73ff');
    expect(generator.next(ms++).slice(14, 18)).toBe('73ff');
  });

  it('recognises UUIDs of any version and nothing else', () => {
    expect(isUuid('0198c0de-0000-7000-8000-000000000abc')).toBe(true);
    expect(isUuid('F47AC10B-58CC-4372-A567-0E02B2C3D479')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
