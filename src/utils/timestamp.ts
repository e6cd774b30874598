// RFC 3339 allows a lower-case `t` and `z`; ISO 8601's expanded years (`+275760-…`) are what `toISOString` writes
// for a Date beyond 9999, so a hook handing such a timestamp back must not be refused.
const ISO_PATTERN =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

// RFC 2822 / HTTP dates (`Sat, 01 Jun 2024 08:00:00 GMT`, `1 Jun 2024 10:00 +0200`): always with a zone, so the
// instant is unambiguous and `Date.parse` reads them the same on every engine.
const RFC2822_PATTERN =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UTC?|[+-]\d{4})$/;

const MAX_EPOCH_MS = 8.64e15;

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
    return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS
      ? new Date(value).toISOString()
      : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = ISO_PATTERN.exec(text);
  if (!match) return RFC2822_PATTERN.test(text) ? toUtcIso(Date.parse(text)) : undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = match;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const midnight = new Date(0).setUTCFullYear(Number(y), month - 1, day);
  if (new Date(midnight).getUTCDate() !== day) return undefined; // e.g. February 30th
  let ms = midnight + ((hour * 60 + minute) * 60 + second) * 1000;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    ms -= sign * offsetMinutes * 60_000;
  }
  const fractionMs = fraction ? Number(`0${fraction}`) * 1000 : 0;
  if (!(Math.abs(ms + fractionMs) <= MAX_EPOCH_MS)) return undefined;
  const iso = new Date(ms).toISOString(); // always ends in ".000Z" here
  const digits = fraction ? fraction.slice(1) : '000';
  return iso.slice(0, -4) + (digits.length >= 3 ? digits : digits.padEnd(3, '0')) + 'Z';
}
