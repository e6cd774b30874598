/**
 * Context generator for differential-fuzz.test.ts: person and group properties on common, case-variant,
 * Unicode and prototype-named keys, distinct ids that are Unicode or odd (sometimes empty), group keys that are
 * empty or Unicode, and groups with no group type.
 */
import { ARRAYS, anyValue, DATES, int, pool, SEMVERS } from './fuzz-values.js';
import { chance, pick, type RandomContext, type Rnd } from './random-defs.js';

/** Property names: common ones, case variants, Unicode, prototype names, the empty string. */
export const KEYS = pool('email age plan version signup name score tags distinct_id $group_key $device_id');
KEYS.push(...pool('nope Plan ünï toString is_beta'), '');

/** Values a property usually holds, so filters on it are often conclusive. */
const TYPICAL = new Map<string, readonly unknown[]>([
  ['email', ['a@example.com', 'A@EXAMPLE.COM', 'b@other.org', 'héllo@exämple.com', '']],
  ['age', [12.5, 30, '40', 'x', 40.5, '9.5', -1, 0]],
  ['plan', ['pro', 'Pro', 'free', 'PRO ', null, 'true']],
  ['version', SEMVERS],
  ['signup', DATES],
  ['score', [1.5, '1.5', 99.9, '1e3', 'NaN', 'Infinity']],
  ['is_beta', [true, false, 'true', 'FALSE', 'yes', 1, 0, null]],
  ['tags', ARRAYS],
]);

function properties(r: Rnd): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of KEYS) {
    if (!chance(r, 0.5)) continue;
    const typical = TYPICAL.get(k);
    out[k] = typical !== undefined && chance(r, 0.6) ? pick(r, typical) : anyValue(r);
  }
  if (chance(r, 0.03)) out[pick(r, KEYS)] = undefined;
  return out;
}

/** A random context: Unicode and odd distinct ids (sometimes empty), groups (some unmapped), properties. */
export function fuzzContext(r: Rnd, i: number): RandomContext {
  const groups: Record<string, string> = {};
  if (chance(r, 0.6)) groups.company = pick(r, [`co-${int(r, 50)}`, '', 'Côté']);
  if (chance(r, 0.35)) groups.project = `pr-${int(r, 50)}`;
  if (chance(r, 0.05)) groups.unmapped = 'u1';
  const groupProperties: Record<string, Record<string, unknown>> = {};
  for (const g of ['company', 'project', 'unmapped'])
    if (chance(r, g in groups ? 0.7 : 0.1)) groupProperties[g] = chance(r, 0.1) ? {} : properties(r);
  const d = r();
  const distinctId =
    d < 0.9 ? `user-${i}-${int(r, 1e6)}` : d < 0.97 ? `üser-${int(r, 100)}` : pick(r, ['', ' ', '0']);
  return { distinctId, groups, personProperties: chance(r, 0.05) ? {} : properties(r), groupProperties };
}
