/**
 * Value pools for the fuzz generators (differential-fuzz.test.ts): strings with case, Unicode and whitespace
 * traps, numbers and booleans as strings, semver and date spellings, relative dates, regexes (a fixed list and
 * a small random grammar). Pools are written on one line each and split on a separator no entry contains.
 */
import { chance, pick, type Rnd } from './random-defs.js';

/** Splits a pool written on one line; `sep` appears in no entry. */
export const pool = (s: string, sep = ' '): string[] => s.split(sep);
export const int = (r: Rnd, n: number): number => Math.floor(r() * n);

export const STR = [
  ...pool('pro Pro PRO free a@example.com A@Example.COM example true TRUE False false 1 1.0 1.5 01'),
  ...pool('10 9.5 -3 1e3 0x10 null NULL undefined héllo HÉLLO ß SS İ i ı ǅ k user-1 abc ABC bc é'),
  ...['日本', '😀', 'İstanbul', 'Straße', '\u212a', 'e\u0301', 'x\ry', 'a\nb', '\ud800', 'a\u0000b', '\t'],
  ...['', ' ', ' 5 '],
];
export const SEMVERS: unknown[] = [
  ...pool('1.2.3|v1.2.3|V2| v1.2.3|v 1.2.3|1.2|1|1.02|01.2.3|1.2.3-beta|1.2.3+build|1.2.3-', '|'),
  ...pool('-1.2.3|1.2.3\n|1.2.4|1.10.0|0.0.3|0.2.3|0.0.0|0.0|0|2.0.0|10.0.0|1.2.3.4|1..2|.1|1.|1.2.', '|'),
  ...pool('1.*|1.2.*|*|1.x|1.2.x|x||١.٢.٣|99999999999999999999.0.0|1.2.3-rc.1+b|+1.2.3|1.2.3+b-c', '|'),
  ...pool('1.-2.3| 1.2.3 |1.2.3 4|1e2.0.0|0x1.0.0', '|'),
  ...[1.5, 2, 0, true, null],
];
export const DATES: unknown[] = [
  ...pool('2024-01-01|2024-01-01T10:00:00Z|2024-01-01T10:00:00+05:30|2024-01-01T10:00:00.123-08:00', '|'),
  ...pool('2024-01-01T10:00:00|2024-01-01 10:00:00|2024-01-01T10:00Z|2024-1-1|20240101|2024|2024-06', '|'),
  ...pool('01/02/2024|1/2/24|2024/01/02|Jan 2, 2024|Mon, 01 Jan 2024 00:00:00 GMT|Tue Mar 05 2024', '|'),
  ...pool('2024-13-01|2024-02-30|2024-01-01T25:00:00Z|+002024-01-01T00:00:00Z|-000001-01-01T00:00:00Z', '|'),
  ...pool('2099-01-01|1969-12-31T23:59:59.999Z|1970-01-01|2024-02-29|2023-02-29|not a date||now', '|'),
  ...pool('12:00|-1|1e3|1700000000000|T|2024-01-01T10:00:00.1234567Z|2024-01-01t10:00:00z', '|'),
  ...pool('1999-12-31T23:59:59Z|2024-01-01T10:00:00+0530|2024-01-01T10:00:00 +05:30|2024-03-31', '|'),
  ...['2024-01-01T10:00:00GMT+2', ' ', 1700000000000, 1700000000, 0, -1, 1.5, 8.64e15, 8.64e15 + 1],
];
export const RELATIVE = pool(
  '-7d|7d|-1h|48h|1w|-2w|-3m|1m|13m|25m|1y|-1y|0d|-10000d|9999d|-07d|-7D|- 7d|-1x|7|d|-1.5d|+7d|-0h|100y|' +
    '-9999y|-1200m|7 d|7d |-7dd|-30d',
  '|',
);
export const NUMSTR: unknown[] = [
  ...pool('10|2.5|m|M|1e3|abc| 5|5abc|0x10|.5|5.|-.5e1|Infinity|-Infinity|NaN|1_000||-1|0|1e21', '|'),
  ...['2024-01-01', '９', 10, 2.5, -1, 0, -0, 1.5, 1e21, true, false, null, [5]],
];
export const NUMS = [0, 1, -1, 5, 10, 42, 1.5, 9.75, -0.25, 2.5, 1e21, 0.1, -0, 1e-7, 0.1 + 0.2, 1e300];
export const ARRAYS: unknown[] = [
  ...[[], ['pro', 'free'], ['true', 'false'], [true], [false, 'FALSE'], [1, 2], [1.5, 2.5], ['Pro'], [null]],
  ...[[['pro']], ['PRO', 'x'], ['1.5', 2.5], ['a@example.com'], [{ a: 1.5 }], ['true'], [true, 'TRUE'], ['']],
];
const OBJECTS = [{}, { a: 1.5 }, { b: 'x', a: 'y' }, { z: [1.5, 'q'] }, { é: 1.5, e: 2.5 }, { B: 1.5 }];

/** Any context or filter value, of any JSON type. */
export function anyValue(r: Rnd): unknown {
  switch (int(r, 11)) {
    case 0:
      return pick(r, NUMS);
    case 1:
      return pick(r, [true, false]);
    case 2:
      return null;
    case 3:
      return pick(r, ARRAYS);
    case 4:
      return pick(r, OBJECTS);
    case 5:
      return pick(r, SEMVERS);
    case 6:
      return pick(r, DATES);
    case 7:
      return pick(r, NUMSTR);
    default:
      return pick(r, STR);
  }
}

/** Hand-picked patterns, including syntax only some engines accept (`(?i)`, `\p{L}`, POSIX classes, `\Z`). */
const REGEXES = [
  ...pool(
    '^pro$ pro PRO example\\.com$ @ (a+)+$ [0-9]+ ^\\d+$ ^\\d+\\.\\d+ (?i)pro (?i:pro) \\bpro [\\b] a{2,}',
  ),
  ...pool(
    'a{,3} {2} [ ( p(r|x)o [\\w-]+@ ^$ .* . é ü [^a-z] [^] []a] \\p{L} [[:alpha:]] a++ a*? (a)\\1 \\x41',
  ),
  ...pool(
    '\\u0041 \\. \\- \\/ (?:a|b) (?P<n>a) (?<n>a) () ()* ^* a| |a \\ \\d{1,3} [a-z&&b] \\Z \\z \\A $^ x\\',
  ),
  ...pool('[\\d-z] \\s (?=a) a{1}{2} true ^1 [A-Z] \\n a\\r'),
  '',
];
const ATOMS = [
  ...pool(
    'a b c A 1 . \\d \\w \\s \\D \\W \\S [a-c] [^ab] [A-Z0-9] [\\d.] [-a] [a-] \\. \\- \\\\ \\t \\n \\x41',
  ),
  ...pool('\\/ @ _ [\\w-] \\$ \\^ [.] [\\]] [\\[] [] [^] \\b \\B [\\b] \\0 \\1 \\u0041 \\p{L} \\Q \\e \\a'),
  ...pool('[[:alpha:]] \\z \\A \\h \\v \\f \\r # % " \' ~ ` \\~ \\# \\% \\& \\<'),
  ' ',
];
const QUANTIFIERS = [
  '',
  '',
  '',
  ...pool('* + ? {2} {1,} {0,2} *? +? ?? {2}? {,2} {2,1} *+ ++ {1}{2} **'),
  '{ 2}',
];
const GROUP_OPENERS = pool('(?i) (?= (?! (?<n> (?P<n> (?s) (?m)');
const BROKEN = pool('( ) [ * a** \\ a{ a{1 { } ] x{2}{3} ^* $+ ()+ (|a) | (?:)* (a|)+ a{,}');

function regexNode(r: Rnd, depth: number): string {
  const k = r();
  if (depth < 2 && k < 0.15) return `(${regexSeq(r, depth + 1)})${pick(r, QUANTIFIERS)}`;
  if (depth < 2 && k < 0.22) return `(?:${regexSeq(r, depth + 1)})${pick(r, QUANTIFIERS)}`;
  if (depth < 2 && k < 0.25) return `${pick(r, GROUP_OPENERS)}${regexSeq(r, depth + 1)})`;
  return pick(r, ATOMS) + pick(r, QUANTIFIERS);
}

function regexSeq(r: Rnd, depth: number): string {
  let s = chance(r, 0.25) ? '^' : '';
  const n = 1 + int(r, 4);
  for (let i = 0; i < n; i++) s += regexNode(r, depth);
  if (chance(r, 0.15)) s += `|${regexNode(r, depth)}`;
  return chance(r, 0.25) ? `${s}$` : s;
}

/** A regex: from the fixed list, deliberately broken, or from a small random ASCII grammar. */
export function randomRegex(r: Rnd): string {
  const k = r();
  if (k < 0.25) return pick(r, REGEXES);
  if (k < 0.3) return pick(r, BROKEN);
  return regexSeq(r, 0);
}

const SUBJECT_CHARS = 'abcABC019 _-.@\n\t\\$^[]{}()/';

/** A subject for a regex: mostly short strings over the characters regexes care about. */
export function regexSubject(r: Rnd): unknown {
  if (chance(r, 0.05)) return pick(r, ['héllo', 'x\ry', 'a\u2028b', 12, 1.5, true, null, ['a'], { a: 1.5 }]);
  let s = '';
  for (let i = int(r, 8); i > 0; i--) s += SUBJECT_CHARS[int(r, SUBJECT_CHARS.length)];
  return s;
}
