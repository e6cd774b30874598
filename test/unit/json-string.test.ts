import { describe, expect, it } from 'vitest';
import { eventHead } from '../../src/transport/routes.js';
import { jsonString, needsEscaping } from '../../src/utils/json-string.js';

describe('jsonString, needsEscaping, eventHead', () => {
  it('write what JSON.stringify writes, for every kind of character', () => {
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
    // Every code unit on its own: the pattern must flag exactly what JSON.stringify escapes, surrogates included.
    for (let c = 0; c < 0x10000; c++) {
      const s = String.fromCharCode(c);
      expect(needsEscaping(s)).toBe(JSON.stringify(s) !== `"${s}"` || (c >= 0xd800 && c <= 0xdfff));
    }
    for (const s of samples) {
      expect(jsonString(s)).toBe(JSON.stringify(s));
      // Conservative: a well-formed surrogate pair is reported too (JSON.stringify then writes it).
      if (JSON.stringify(s) !== `"${s}"`) expect(needsEscaping(s)).toBe(true);
      const event = {
        uuid: '0190a6f0-0000-7000-8000-000000000000',
        event: s,
        distinct_id: s,
        properties: {},
        timestamp: '',
      };
      const expected = `{"uuid":"${event.uuid}","event":${JSON.stringify(s)},"distinct_id":${JSON.stringify(s)}`;
      expect(eventHead(event)).toBe(expected);
      expect(eventHead(event)).toBe(expected); // the name's members from the cache
    }
  });
});
