/**
 * A linear-time regular-expression engine for flag `regex` / `not_regex` filters.
 *
 * Why our own engine: flag patterns come from whoever edits flags in PostHog, and the context values come from
 * end users. JavaScript's backtracking `RegExp` takes exponential time on patterns like `(a+)+$`, which would let
 * one flag definition stall every request of the host process. This engine compiles to a Thompson NFA and
 * simulates it breadth-first (Pike VM without captures), so matching costs O(pattern size × input length) in
 * every case, with no recursion and no allocation per match.
 *
 * Why a subset: the flags service evaluates with Rust's `regex` crate, whose syntax and semantics differ from
 * JavaScript's outside a common core (Unicode classes, word boundaries, inline flags, lookaround, backreferences,
 * `{` as a literal, class set operations, ...). Locally we only evaluate the portable ASCII core that both engines
 * read the same way; everything else is reported `unsupported` so the caller defers to the server, and a pattern
 * JavaScript itself rejects is `invalid` (the spec makes both `regex` and `not_regex` false for it). The
 * acceptance rules mirror posthog-node, so both SDKs defer exactly the same patterns.
 */

import { parsePattern } from './parser.js';
import { isPortablePattern } from './portable.js';
import { compileProgram, MAX_INSTRUCTIONS, type Program } from './program.js';

/** A compiled, ready-to-run pattern. */
export interface CompiledRegex {
  /** Discriminant. */
  readonly kind: 'ok';
  /** The source pattern. */
  readonly pattern: string;
  /**
   * Unanchored search like `RegExp.prototype.test`. Returns `null` when the input is outside the portable domain
   * (non-ASCII or a carriage return, where the engines disagree), meaning the server must decide.
   */
  test(input: string): boolean | null;
}

/** Why a pattern cannot be run locally. */
export interface RegexRejection {
  /** `invalid`: JavaScript rejects the syntax. `unsupported`: outside the portable subset. */
  readonly kind: 'invalid' | 'unsupported';
  /** The source pattern. */
  readonly pattern: string;
  /** Human-readable reason. */
  readonly detail: string;
}

/** Outcome of {@link compileRegex}. */
export type RegexCompileResult = CompiledRegex | RegexRejection;

/** True when a value can be matched locally: ASCII only and no carriage return. */
function isPortableInput(input: string): boolean {
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c > 0x7f || c === 0x0d) return false;
  }
  return true;
}

const MATCH_EVERYTHING: (input: string) => boolean | null = () => true;

function makeCompiled(pattern: string, program: Program | null): CompiledRegex {
  // The empty pattern matches every value, even ones outside the portable domain.
  if (program === null) return { kind: 'ok', pattern, test: MATCH_EVERYTHING };
  return {
    kind: 'ok',
    pattern,
    test: (input) => (isPortableInput(input) ? program.test(input) : null),
  };
}

/** Compiles without consulting the cache. */
export function compileRegexUncached(pattern: string): RegexCompileResult {
  if (pattern === '') return makeCompiled(pattern, null);
  if (!isPortablePattern(pattern)) {
    return { kind: 'unsupported', pattern, detail: 'regex syntax outside the portable subset' };
  }
  const parsed = parsePattern(pattern);
  if (parsed.kind !== 'ok') return { kind: parsed.kind, pattern, detail: parsed.detail };
  const program = compileProgram(parsed.node);
  if (program === null) {
    return { kind: 'unsupported', pattern, detail: `regex larger than ${MAX_INSTRUCTIONS} NFA instructions` };
  }
  return makeCompiled(pattern, program);
}

/** Maximum number of compiled patterns kept by {@link compileRegex}. */
export const REGEX_CACHE_SIZE = 512;
const cache = new Map<string, RegexCompileResult>();

/**
 * Compiles `pattern`, memoised in a bounded LRU ({@link REGEX_CACHE_SIZE} entries) so repeated definitions
 * loads reuse programs. Never throws.
 */
export function compileRegex(pattern: string): RegexCompileResult {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    // Re-insert to mark as most recently used (Map keeps insertion order).
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const result = compileRegexUncached(pattern);
  cache.set(pattern, result);
  if (cache.size > REGEX_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return result;
}

/**
 * One-shot helper: `true`/`false` for a match, or the rejection kind (`invalid`, `unsupported`) or
 * `unsupported-input` when the input is outside the portable domain.
 */
export function regexTest(
  pattern: string,
  input: string,
): boolean | 'invalid' | 'unsupported' | 'unsupported-input' {
  const compiled = compileRegex(pattern);
  if (compiled.kind !== 'ok') return compiled.kind;
  const r = compiled.test(input);
  return r === null ? 'unsupported-input' : r;
}
