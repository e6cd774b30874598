/** Small statistics helpers over arrays of numbers. */

export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export function min(values) {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values) {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Formats a number with a fixed number of significant-looking digits for tables. */
export function fmt(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `min–max` of the samples, formatted, for the spread column. */
export function spread(values, digits = 0) {
  if (values.length < 2) return '';
  return `${fmt(min(values), digits)}–${fmt(max(values), digits)}`;
}
