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

  it('recognises UUIDs of any version and nothing else', () => {
    expect(isUuid('0198c0de-0000-7000-8000-000000000abc')).toBe(true);
    expect(isUuid('F47AC10B-58CC-4372-A567-0E02B2C3D479')).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
