const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

let cachedMs = Number.NaN;
let cachedIso = '';

/**
 * ISO-8601 UTC string of `ms`, cached for the current millisecond: a burst of captures formats the clock once.
 */
export function isoFromMs(ms: number): string {
  if (ms !== cachedMs) {
    cachedMs = ms;
    cachedIso = new Date(ms).toISOString();
  }
  return cachedIso;
}

/**
 * Converts a caller's timestamp to an ISO-8601 UTC string, or `undefined` when it is not a valid time.
 *
 * Strings keep their instant: an offset is applied, sub-millisecond digits are kept, and a string without an
 * offset is read as UTC (never as the host's local time, which would make the result depend on the server).
 */
export function toUtcIso(value: Date | string | number): string | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= 8.64e15 ? new Date(value).toISOString() : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = ISO_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = match;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return undefined; // e.g. February 30th
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    ms -= sign * offsetMinutes * 60_000;
  }
  const iso = new Date(ms).toISOString(); // always ends in ".000Z" here
  const digits = fraction ? fraction.slice(1) : '000';
  return iso.slice(0, 20) + (digits.length >= 3 ? digits : digits.padEnd(3, '0')) + 'Z';
}
