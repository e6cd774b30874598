import { addRange, addSet, type CharSet, classEscapeSet, dotSet, emptySet, negateSet } from './charset.js';

/** Regex syntax tree. Groups carry no capture index: only match/no-match is ever needed. */
export type RegexNode =
  | { readonly kind: 'set'; readonly set: CharSet }
  | { readonly kind: 'bol' }
  | { readonly kind: 'eol' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'concat'; readonly items: readonly RegexNode[] }
  | { readonly kind: 'alt'; readonly items: readonly RegexNode[] }
  | { readonly kind: 'repeat'; readonly item: RegexNode; readonly min: number; readonly max: number };

/**
 * Parse outcome. `invalid` means JavaScript (without flags) rejects the pattern; `unsupported` means it parses
 * but a character class uses syntax whose meaning differs between engines (JS legacy class ranges, escapes that
 * strict parsing rejects), so the server must decide.
 */
export type ParseResult =
  | { readonly kind: 'ok'; readonly node: RegexNode }
  | { readonly kind: 'invalid'; readonly detail: string }
  | { readonly kind: 'unsupported'; readonly detail: string };

/** Escaped punctuation that strict (unicode-mode) class parsing accepts; the rest is a JS-only legacy escape. */
const STRICT_CLASS_IDENTITY = '^$\\.*+?()[]{}|/-';

class Invalid {
  constructor(readonly detail: string) {}
}

function controlEscape(letter: string): number {
  switch (letter) {
    case 'f':
      return 0x0c;
    case 'n':
      return 0x0a;
    case 'r':
      return 0x0d;
    case 't':
      return 0x09;
    case 'v':
      return 0x0b;
    default:
      return -1;
  }
}

/**
 * Recursive-descent parser for the portable subset, with JavaScript's (non-unicode) acceptance rules for the
 * pattern and strict rules for classes. It assumes {@link isPortablePattern} already accepted the pattern.
 */
class Parser {
  private pos = 0;
  /** Set when a class is valid JS but only under legacy rules; reported once the whole pattern parses. */
  unsupportedClass = '';
  private depth = 0;

  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const node = this.disjunction();
    if (this.pos < this.src.length) throw new Invalid(`unmatched ')' at ${this.pos}`);
    return node;
  }

  private disjunction(): RegexNode {
    const items: RegexNode[] = [this.alternative()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      items.push(this.alternative());
    }
    return items.length === 1 ? (items[0] as RegexNode) : { kind: 'alt', items };
  }

  private alternative(): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === undefined || ch === '|' || ch === ')') break;
      items.push(this.term());
    }
    if (items.length === 0) return { kind: 'empty' };
    return items.length === 1 ? (items[0] as RegexNode) : { kind: 'concat', items };
  }

  private term(): RegexNode {
    const ch = this.src[this.pos] as string;
    if (ch === '^' || ch === '$') {
      this.pos++;
      if (this.quantifierAhead()) throw new Invalid('nothing to repeat');
      return { kind: ch === '^' ? 'bol' : 'eol' };
    }
    if (this.quantifierAhead()) throw new Invalid(`nothing to repeat at ${this.pos}`);
    const atom = this.atom();
    if (!this.quantifierAhead()) return atom;
    const [min, max] = this.quantifier();
    if (this.src[this.pos] === '?') this.pos++; // lazy: irrelevant for match/no-match
    if (this.quantifierAhead()) throw new Invalid(`nothing to repeat at ${this.pos}`);
    return { kind: 'repeat', item: atom, min, max };
  }

  private quantifierAhead(): boolean {
    const ch = this.src[this.pos];
    if (ch === '*' || ch === '+' || ch === '?') return true;
    return ch === '{' && /^\{\d+(?:,\d*)?\}/.test(this.src.slice(this.pos, this.pos + 24));
  }

  private quantifier(): [number, number] {
    const ch = this.src[this.pos++];
    if (ch === '*') return [0, -1];
    if (ch === '+') return [1, -1];
    if (ch === '?') return [0, 1];
    const m = /^(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos)) as RegExpExecArray;
    this.pos += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? -1 : Number(m[3]);
    if (max !== -1 && max < min) throw new Invalid('numbers out of order in {} quantifier');
    return [min, max];
  }

  private atom(): RegexNode {
    const ch = this.src[this.pos++] as string;
    switch (ch) {
      case '.':
        return { kind: 'set', set: dotSet() };
      case '(': {
        if (this.src.startsWith('?:', this.pos)) this.pos += 2;
        if (++this.depth > 200) throw new Invalid('groups nested too deeply');
        const inner = this.disjunction();
        this.depth--;
        if (this.src[this.pos] !== ')') throw new Invalid('unterminated group');
        this.pos++;
        return inner;
      }
      case '[':
        return { kind: 'set', set: this.charClass() };
      case '\\':
        return { kind: 'set', set: this.escapeOutsideClass() };
      case '{':
        throw new Invalid('lone quantifier brackets');
      default: {
        const set = emptySet();
        addRange(set, ch.charCodeAt(0), ch.charCodeAt(0));
        return { kind: 'set', set };
      }
    }
  }

  private escapeOutsideClass(): CharSet {
    const letter = this.src[this.pos++];
    if (letter === undefined) throw new Invalid('\\ at end of pattern');
    if ('dDsSwW'.includes(letter)) return classEscapeSet(letter);
    const set = emptySet();
    const code = this.escapedCode(letter);
    addRange(set, code, code);
    return set;
  }

  /** Code unit of a single-character escape (`\n`, `\x41`, `\.`). */
  private escapedCode(letter: string): number {
    const control = controlEscape(letter);
    if (control !== -1) return control;
    if (letter === 'x') {
      const code = Number.parseInt(this.src.slice(this.pos, this.pos + 2), 16);
      this.pos += 2;
      return code;
    }
    return letter.charCodeAt(0);
  }

  private charClass(): CharSet {
    const set = emptySet();
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === undefined) throw new Invalid('unterminated character class');
      if (ch === ']') {
        this.pos++;
        break;
      }
      const lo = this.classAtom();
      if (
        this.src[this.pos] === '-' &&
        this.src[this.pos + 1] !== ']' &&
        this.src[this.pos + 1] !== undefined
      ) {
        this.pos++;
        const hi = this.classAtom();
        if (typeof lo !== 'number' || typeof hi !== 'number') {
          // Legal in JS only as a legacy "class, dash, atom" union; strict parsers reject it.
          this.unsupportedClass ||= 'character class escape used as a range bound';
          this.addAtom(set, lo);
          addRange(set, 0x2d, 0x2d);
          this.addAtom(set, hi);
        } else {
          if (lo > hi) throw new Invalid('range out of order in character class');
          addRange(set, lo, hi);
        }
      } else {
        this.addAtom(set, lo);
      }
    }
    if (negated) negateSet(set);
    return set;
  }

  private addAtom(set: CharSet, atom: number | CharSet): void {
    if (typeof atom === 'number') addRange(set, atom, atom);
    else addSet(set, atom);
  }

  /** One class member: a code unit, or a set for `\d`-style escapes. */
  private classAtom(): number | CharSet {
    const ch = this.src[this.pos++] as string;
    if (ch !== '\\') return ch.charCodeAt(0);
    const letter = this.src[this.pos++];
    if (letter === undefined) throw new Invalid('\\ at end of pattern');
    if ('dDsSwW'.includes(letter)) return classEscapeSet(letter);
    if (letter === 'b') return 0x08;
    if (letter === 'B') {
      this.unsupportedClass ||= '\\B inside a character class';
      return 0x42;
    }
    if (controlEscape(letter) !== -1 || letter === 'x') return this.escapedCode(letter);
    if (!STRICT_CLASS_IDENTITY.includes(letter))
      this.unsupportedClass ||= `escaped '${letter}' inside a character class`;
    return letter.charCodeAt(0);
  }
}

/** Parses a pattern the portability gate accepted. Never throws. */
export function parsePattern(pattern: string): ParseResult {
  const parser = new Parser(pattern);
  try {
    const node = parser.parse();
    if (parser.unsupportedClass !== '') return { kind: 'unsupported', detail: parser.unsupportedClass };
    return { kind: 'ok', node };
  } catch (e) {
    if (e instanceof Invalid) return { kind: 'invalid', detail: e.detail };
    return { kind: 'unsupported', detail: 'pattern too complex to parse' };
  }
}
