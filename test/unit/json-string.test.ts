import { describe, expect, it } from 'vitest';
import { jsonEventName, jsonString } from '../../src/utils/json-string.js';

describe('jsonString / jsonEventName', () => {
  it('equal JSON.stringify for every kind of character', () => {
    const samples = [
      '',
      'user-1',
      'a"b',
      'back\\slash',
      'tab\t',
      'nul\u0000',
      'é ✓',
      '😀',
      'lone \ud800',
      '\udfff',
      '\u2028',
      '\u007f',
    ];
    for (let c = 0; c < 0x10000; c += 7) samples.push(`x${String.fromCharCode(c)}y`);
    for (const s of samples) {
      expect(jsonString(s)).toBe(JSON.stringify(s));
      expect(jsonEventName(s)).toBe(JSON.stringify(s));
      expect(jsonEventName(s)).toBe(JSON.stringify(s)); // from the cache
    }
  });
});
