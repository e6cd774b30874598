/**
 * Date handling for `is_date_before` / `is_date_after`. Relative filter values (`-7d`, `3m`, `1y`...) are
 * resolved against the caller's clock (`EvaluationContext.now`) in UTC; everything else goes through the
 * `Date` constructor, like the reference SDK.
 */

/** A pre-parsed filter date: absolute epoch ms, relative amount and unit, or unusable. */
export type DateFilter =
  | { readonly kind: 'absolute'; readonly ms: number }
  | { readonly kind: 'relative'; readonly amount: number; readonly unit: 'h' | 'd' | 'w' | 'm' | 'y' }
  | { readonly kind: 'unsupported' };

const RELATIVE = /^-?([0-9]+)([a-z])$/;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Epoch ms of a context or filter value via `new Date`, or NaN when it is not a date. */
export function toEpochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' || typeof value === 'number') return new Date(value).getTime();
  return Number.NaN;
}

/** Parses a filter value once per definitions load. */
export function parseDateFilter(value: unknown): DateFilter {
  if (typeof value === 'boolean') return { kind: 'unsupported' };
  const m = RELATIVE.exec(String(value));
  if (m !== null) {
    const amount = Number.parseInt(m[1] as string, 10);
    const unit = m[2];
    if (amount < 10000 && (unit === 'h' || unit === 'd' || unit === 'w' || unit === 'm' || unit === 'y')) {
      return { kind: 'relative', amount, unit };
    }
  }
  const ms = toEpochMs(value);
  if (value instanceof Date || !Number.isNaN(ms)) return { kind: 'absolute', ms };
  return { kind: 'unsupported' };
}

/** Days in a month given as (year, zero-based month), tolerating out-of-range months. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Resolves a filter date against `now` (epoch ms). */
export function resolveDateFilter(filter: DateFilter, now: number): number {
  if (filter.kind === 'absolute') return filter.ms;
  if (filter.kind === 'unsupported') return Number.NaN;
  const n = filter.amount;
  switch (filter.unit) {
    case 'h':
      return now - n * HOUR;
    case 'd':
      return now - n * DAY;
    case 'w':
      return now - n * 7 * DAY;
    case 'm': {
      // Months go back one at a time with the day clamped at each step (Mar 31 - 2m = Jan 28, not Jan 31).
      const d = new Date(now);
      const year = d.getUTCFullYear();
      const month = d.getUTCMonth();
      let day = d.getUTCDate();
      for (let step = 1; step <= n && day > 28; step++) day = Math.min(day, daysInMonth(year, month - step));
      d.setUTCFullYear(year, month - n, day);
      return d.getTime();
    }
    case 'y': {
      const d = new Date(now);
      const month = d.getUTCMonth();
      // Feb 29 minus a year is Feb 28 (the previous year is never a leap year).
      const day = n > 0 && month === 1 && d.getUTCDate() === 29 ? 28 : d.getUTCDate();
      d.setUTCFullYear(d.getUTCFullYear() - n, month, day);
      return d.getTime();
    }
  }
}
