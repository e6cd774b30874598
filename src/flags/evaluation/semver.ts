/**
 * Semver parsing for the `semver_*` operators: trim, drop one leading `v`, drop `-prerelease` / `+build`, read up
 * to three dot-separated numeric parts (missing parts are 0, extras ignored), rejecting leading zeros.
 */

/** A (major, minor, patch) triple. */
export type SemverTuple = readonly [number, number, number];

/** Inclusive lower and exclusive upper bound of a range operator. */
export interface SemverRange {
  /** Inclusive. */
  readonly lower: SemverTuple;
  /** Exclusive. */
  readonly upper: SemverTuple;
}

function parsePart(part: string | undefined): number {
  if (part === undefined || part === '') return 0;
  if (!/^\d+$/.test(part) || (part.length > 1 && part[0] === '0')) return Number.NaN;
  return Number.parseInt(part, 10);
}

function stripPrefix(value: string): string {
  const text = value.trim();
  return text[0] === 'v' || text[0] === 'V' ? text.slice(1) : text;
}

/** Parses a version; null when invalid. */
export function parseSemver(value: string): SemverTuple | null {
  const text = stripPrefix(value);
  let end = text.indexOf('-');
  let base = end === -1 ? text : text.slice(0, end);
  end = base.indexOf('+');
  if (end !== -1) base = base.slice(0, end);
  if (base === '' || base[0] === '.') return null;
  const parts = base.split('.');
  const t: [number, number, number] = [parsePart(parts[0]), parsePart(parts[1]), parsePart(parts[2])];
  return Number.isNaN(t[0] + t[1] + t[2]) ? null : t;
}

/** -1, 0 or 1. */
export function compareSemver(a: SemverTuple, b: SemverTuple): number {
  for (let i = 0; i < 3; i++) {
    if ((a[i] as number) < (b[i] as number)) return -1;
    if ((a[i] as number) > (b[i] as number)) return 1;
  }
  return 0;
}

/** `~X.Y.Z`: `[X.Y.Z, X.(Y+1).0)`. */
export function tildeRange(value: string): SemverRange | null {
  const v = parseSemver(value);
  return v === null ? null : { lower: v, upper: [v[0], v[1] + 1, 0] };
}

/** `^X.Y.Z` with npm's rules for a zero major (and minor). */
export function caretRange(value: string): SemverRange | null {
  const v = parseSemver(value);
  if (v === null) return null;
  const [major, minor, patch] = v;
  const upper: SemverTuple =
    major > 0 ? [major + 1, 0, 0] : minor > 0 ? [0, minor + 1, 0] : [0, 0, patch + 1];
  return { lower: v, upper };
}

/** `X.*` or `X.Y.*` (a bare `X` or `X.Y` also works; parts after the minor are ignored). */
export function wildcardRange(value: string): SemverRange | null {
  let text = stripPrefix(value);
  if (text.endsWith('.*')) text = text.slice(0, -2);
  if (text.endsWith('*')) text = text.slice(0, -1);
  if (text === '') return null;
  const parts = text.split('.');
  const major = parsePart(parts[0]);
  if (parts[0] === '' || Number.isNaN(major)) return null;
  if (parts.length === 1) return { lower: [major, 0, 0], upper: [major + 1, 0, 0] };
  const minor = parsePart(parts[1]);
  if (parts[1] === '' || Number.isNaN(minor)) return null;
  return { lower: [major, minor, 0], upper: [major, minor + 1, 0] };
}
