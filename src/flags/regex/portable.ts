/**
 * The portability gate: decides whether a pattern lies in the syntax subset where the flags service (Rust
 * `regex`) and JavaScript agree. It follows the same rules as posthog-node, so both SDKs defer the same
 * patterns to the server. Anything it rejects must never be evaluated locally, whatever our own parser thinks.
 */

/** Escaped punctuation that both engines read as a literal (Rust's `\<` and `\>` are word boundaries). */
function isLiteralPunctuation(c: number): boolean {
  return (
    (c >= 0x20 && c <= 0x2f) ||
    c === 0x3a ||
    c === 0x3b ||
    c === 0x3d ||
    c === 0x3f ||
    c === 0x40 ||
    (c >= 0x5b && c <= 0x60) ||
    (c >= 0x7b && c <= 0x7e)
  );
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Length of a `{n}`, `{n,}` or `{n,m}` at `i`, or 0; counts above 2^32-1 count as not a quantifier (Rust rejects them). */
function countedQuantifierLength(p: string, i: number): number {
  let j = i + 1;
  const start = j;
  while (j < p.length && isDigit(p.charCodeAt(j))) j++;
  if (j === start || Number(p.slice(start, j)) > 0xffffffff) return 0;
  if (p[j] === ',') {
    const s2 = ++j;
    while (j < p.length && isDigit(p.charCodeAt(j))) j++;
    if (j > s2 && Number(p.slice(s2, j)) > 0xffffffff) return 0;
  }
  return p[j] === '}' ? j - i + 1 : 0;
}

/**
 * True when `pattern` stays inside the portable ASCII subset: no non-ASCII, no `(?` other than `(?:`, no word
 * boundaries outside classes, only a known set of escapes, no nested or set-operation classes, no empty classes,
 * no possessive-looking or stacked quantifiers, no quantified anchors or empty groups, and no literal `{`.
 */
export function isPortablePattern(pattern: string): boolean {
  let inClass = -1;
  // What the previous token was: '' (start), '|', '(', '^', '$', 'empty' (empty group), 'lit' (escape or class) or a quantifier char.
  let prev = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const code = ch.charCodeAt(0);
    if (code > 0x7f) return false;
    if (ch === '\\') {
      const escaped = pattern[++i];
      if (escaped === undefined) break;
      const e = escaped.charCodeAt(0);
      if (escaped === 'x') {
        if (!(isHex(pattern.charCodeAt(i + 1)) && isHex(pattern.charCodeAt(i + 2)))) return false;
        i += 2;
      } else if (!'dDsSwWbBfnrtv'.includes(escaped) && !isLiteralPunctuation(e)) {
        return false;
      }
      if (inClass === -1 && (escaped === 'b' || escaped === 'B')) return false;
      prev = 'lit';
      continue;
    }
    if (ch === '[') {
      if (inClass !== -1) return false;
      inClass = i;
    } else if (ch === ']' && inClass !== -1) {
      const contentStart = inClass + (pattern[inClass + 1] === '^' ? 2 : 1);
      if (i === contentStart) return false;
      inClass = -1;
      prev = 'lit';
      continue;
    } else if (inClass !== -1) {
      const pair = pattern.slice(i, i + 2);
      if (pair === '&&' || pair === '--' || pair === '~~') return false;
      continue;
    } else if (ch === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] !== ':') return false;
      i += 2;
    } else if (ch === '{') {
      if (countedQuantifierLength(pattern, i) === 0 || prev === '' || prev === '|' || prev === '(')
        return false;
    } else if ('*+?}'.includes(ch) && (pattern[i + 1] === '+' || pattern[i + 1] === '{')) {
      return false;
    }
    if ('*+?{'.includes(ch) && (prev === '^' || prev === '$' || prev === 'empty')) return false;
    prev = ch === ')' && (prev === '(' || prev === 'empty') ? 'empty' : ch;
  }
  return true;
}
