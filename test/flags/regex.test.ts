import { matchFeatureFlagProperty } from '@posthog/core';
import { describe, expect, it } from 'vitest';
import { compileRegex, regexTest } from '../../src/flags/index.js';
import { prng } from './random-defs.js';

describe('regex engine: subset semantics', () => {
  it.each([
    ['abc', 'xxabcxx', true],
    ['^abc$', 'abc', true],
    ['^abc$', 'abcd', false],
    ['a.c', 'a\nc', false],
    ['a.c', 'abc', true],
    ['[a-c]+$', 'zzcab', true],
    ['[^a-c]', 'abc', false],
    ['\\d{3}-\\d{2,}', 'tel 123-4567', true],
    ['\\d{3}-\\d{2,}', 'tel 123-4', false],
    ['(?:ab|cd)+e', 'xcdabe', true],
    ['colou?r', 'color', true],
    ['a{2}', 'a', false],
    ['a{0}b', 'b', true],
    ['\\w+@\\w+\\.com$', 'me@site.com', true],
    ['\\s', 'no-space', false],
    ['\\S+', '   ', false],
    ['\\.', 'a.b', true],
    ['a|', 'zzz', true],
    ['x*?y', 'xxy', true],
    ['\\x41', 'A', true],
    ['[\\d-]', '-', true],
    ['a}', 'a}', true],
    ['', 'anything', true],
  ] as const)('%j on %j -> %s', (pattern, input, expected) => {
    expect(regexTest(pattern, input)).toBe(expected);
  });

  it.each([
    ['(?i)abc', 'unsupported'],
    ['(?=a)', 'unsupported'],
    ['(?<n>a)', 'unsupported'],
    ['(a)\\1', 'unsupported'],
    ['\\bword', 'unsupported'],
    ['\\p{L}', 'unsupported'],
    ['é', 'unsupported'],
    ['a{', 'unsupported'],
    ['a++', 'unsupported'],
    ['^*', 'unsupported'],
    ['[[:alpha:]]', 'unsupported'],
    ['[\\w-z]', 'unsupported'],
    ['[\\:]', 'unsupported'],
    ['a{100000}', 'unsupported'],
    ['(', 'invalid'],
    ['a)', 'invalid'],
    ['[abc', 'invalid'],
    ['*a', 'invalid'],
    ['a**', 'invalid'],
    ['[z-a]', 'invalid'],
    ['a{3,2}', 'invalid'],
    ['abc\\', 'invalid'],
  ] as const)('%j is %s', (pattern, kind) => {
    expect(compileRegex(pattern).kind).toBe(kind);
  });

  it('defers non-ASCII and carriage-return input to the server', () => {
    expect(regexTest('a', 'héllo a')).toBe('unsupported-input');
    expect(regexTest('a', 'a\rb')).toBe('unsupported-input');
  });
});

describe('regex engine: linear time', () => {
  // Cost is O(NFA size x input); the bound scales with the NFA (the 12-fold repetition is ~10x larger).
  it.each([
    ['(a+)+$', 50],
    ['(a|aa)*b', 50],
    ['^(\\w+\\s?)*$', 50],
    ['(x+x+)+y', 50],
    ['(.*a){12}$', 400],
  ] as const)('%j on 100k chars finishes under %d ms (no backtracking blow-up)', (pattern, bound) => {
    const compiled = compileRegex(pattern);
    if (compiled.kind !== 'ok') throw new Error('expected ok');
    const input = 'a'.repeat(100_000) + '!';
    compiled.test(input); // warm up
    const start = performance.now();
    compiled.test(input);
    expect(performance.now() - start).toBeLessThan(bound);
  });
});

describe('regex engine: differential', () => {
  const atoms = [
    'a',
    'b',
    'c',
    '.',
    '\\d',
    '\\w',
    '\\s',
    '\\D',
    '[abc]',
    '[^a]',
    '[a-c]',
    '[\\d-]',
    'x',
    '(',
    ')',
    '(?:',
    '|',
    '*',
    '+',
    '?',
    '{2}',
    '{1,3}',
    '{2,}',
    '*?',
    '^',
    '$',
    '\\.',
    '\\-',
    '[-a]',
    '\\n',
    '()',
    '(a|)',
    '}',
    ']',
  ];
  const inputs = [
    '',
    'a',
    'abc',
    'aaab',
    'xyz',
    'a.b',
    'A1 b_',
    'cab\n',
    '123',
    'a-b',
    'b\tc',
    'zzz}]',
    'ccc',
    'abcabc',
  ];
  const r = prng(7);
  const patterns = Array.from({ length: 4000 }, () => {
    let p = '';
    for (let j = 0, n = 1 + Math.floor(r() * 7); j < n; j++) p += atoms[Math.floor(r() * atoms.length)];
    return p;
  });

  it('agrees with JS RegExp on every pattern it accepts', () => {
    let checked = 0;
    for (const p of patterns) {
      const c = compileRegex(p);
      if (c.kind !== 'ok') continue;
      const js = new RegExp(p);
      for (const input of inputs) {
        checked++;
        if (c.test(input) !== js.test(input)) expect.fail(`${JSON.stringify(p)} on ${JSON.stringify(input)}`);
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('classifies exactly like posthog-node (match / no match / server)', () => {
    const hostile = [
      ...atoms,
      '(?=',
      '\\b',
      '[\\b]',
      '[\\B]',
      '{',
      'é',
      '[z-a]',
      '\\',
      '[\\:]',
      '\\x41',
      '[\\w-z]',
    ];
    for (let i = 0; i < 3000; i++) {
      let p = '';
      for (let j = 0, n = 1 + Math.floor(r() * 6); j < n; j++) p += hostile[Math.floor(r() * hostile.length)];
      for (const input of ['abc', 'a1 b', 'é', 'x\ry', '']) {
        let ref: string;
        try {
          ref = String(matchFeatureFlagProperty({ key: 'k', value: p, operator: 'regex' }, { k: input }));
        } catch {
          ref = 'server';
        }
        const m = regexTest(p, input);
        const mine = m === true ? 'true' : m === false || m === 'invalid' ? 'false' : 'server';
        if (mine !== ref) expect.fail(`${JSON.stringify(p)} on ${JSON.stringify(input)}: ${mine} vs ${ref}`);
      }
    }
  });
});
