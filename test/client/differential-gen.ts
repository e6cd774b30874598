import { prng } from '../flags/random-defs.js';

/**
 * Seeded inputs for differential-node.test.ts: posthog-node's capture-style calls with realistic and hostile
 * values of the classes both SDKs are expected to write alike. `genCall(seed)` is pure: called twice with one
 * seed it gives two equal, independent argument sets, one per SDK. Classes where the README documents a
 * deliberate difference are never generated: Map / Set, BigInt, cycles, nesting deeper than 64, `__proto__` keys,
 * throwing getters, numeric or blank distinct ids and group keys, uppercase uuids, numeric timestamps, timestamp
 * strings without an offset or that no parser reads, and input that posthog-ts refuses (non-string event names,
 * non-object properties, empty group keys). Errors are generated; only their `stack` differs (see the test).
 */

type Rand = () => number;
export interface FuzzCall {
  method: string;
  arg: unknown;
}
type Hookable = { event: string; properties?: Record<string, unknown> | null | undefined };

/** The message of every generated Error: the test knows a `stack` beside it is posthog-node's, and only there. */
export const ERROR_MARK = 'fuzz error';

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)] as T;
const maybe = <T>(r: Rand, p: number, f: () => T): T | undefined => (r() < p ? f() : undefined);
const list = (...parts: string[]) => parts.join('|').split('|');

const STRINGS = list('plain||Max Mustermann|max@example.com|日本語テキスト|e\u0301 combining| ');
STRINGS.push('ctl \u0000\u0001\u0007\b\f\n\r\t\u001f\u007f', 'line\u2028sep\u2029', 'emoji 😀👩‍👩‍👧');
STRINGS.push('lone \ud800 high', 'lone low \udfff', '\ud83d', '\ude00\ud83d', '\ufeffbom', '\uffff\ufffe');
STRINGS.push('"q" \\ </script>', '{"json":true}', '__proto__', 'null', 'x'.repeat(5000), 'é'.repeat(20000));
// Code point ranges of random strings: control characters, surrogates (mostly lone), emoji, Latin-1 to Arabic, ASCII.
const RANGES = [0, 32, 0xd800, 0x800, 0x1f600, 50, 0x80, 0x700, 0x20, 95, 0x20, 95];
function text(r: Rand): string {
  if (r() < 0.6) return pick(r, STRINGS);
  let s = '';
  for (let n = int(r, 12); n > 0; n--) {
    const i = 2 * int(r, RANGES.length / 2);
    s += String.fromCodePoint((RANGES[i] as number) + int(r, RANGES[i + 1] as number));
  }
  return s;
}

const NUMBERS = [0, -0, 1, -1, 1.5, -2.25, 1e21, 1e-7, 123456789012, Number.MAX_VALUE, Number.MIN_VALUE];
NUMBERS.push(0.1 + 0.2, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
const KEYS = list('a|b|name|email|plan|count|| |1|0|constructor|toString|événement|k\u0000|lone\ud800|uuid');
KEYS.push('k😀');
KEYS.push(...list('$current_url|$session_id|$set|$set_once|$unset|$groups|$group_set|$anon_distinct_id|$ip'));
KEYS.push(...list('$lib|$is_server|$geoip_disable|distinct_id|timestamp|event|properties|alias'));

class Money {
  amount = 12.5;
  currency = 'EUR';
}
const hidden = () => Object.defineProperty({ v: 1 }, 'hidden', { value: 2, enumerable: false });
const getter = () => Object.defineProperty({ plain: 1 }, 'g', { get: () => 'got', enumerable: true });
const sparse = (r: Rand) => Object.assign([value(r, 4)], { 3: value(r, 4) });
const shared = (r: Rand) => ((s) => ({ first: s, second: s, list: [s, s] }))(object(r, 3));
const error = (r: Rand) => new (pick(r, [Error, TypeError, RangeError]))(`${ERROR_MARK} ${int(r, 9)}`);
const EXOTIC: ReadonlyArray<(r: Rand) => unknown> = [
  (r) => new Date(pick(r, [Date.UTC(2024, 1, 29, 12, 34, 56, 789), Number.NaN, 8.64e15])),
  (r) => pick(r, [new String(text(r)), new Number(pick(r, NUMBERS)), new Boolean(r() < 0.5)]),
  () => new Money(),
  (r) => ({ toJSON: ((v) => () => ({ wrapped: v }))(value(r, 3)) }),
  () => new URL('https://example.com/a?b=1#h'),
  () => Buffer.from('hi'),
  () => new Uint8Array([1, 2, 3]),
  () => /ab+c/gi,
  () => Object.assign(Object.create(null) as object, { np: 1 }),
  () => ({ [Symbol('k')]: 1, visible: 2 }),
  getter,
  hidden,
  () => () => 1,
  () => Symbol('s'),
  sparse,
  shared,
  (r) => Object.assign(error(r), { code: 7 }),
];

function value(r: Rand, depth = 0): unknown {
  const k = int(r, depth > 4 ? 8 : 13);
  if (k < 3) return text(r);
  if (k < 5) return r() < 0.7 ? pick(r, NUMBERS) : (r() - 0.5) * 10 ** int(r, 12);
  if (k === 5) return r() < 0.5;
  if (k === 6) return pick(r, [null, undefined, int(r, 1000)]);
  if (k === 7) return pick(r, ['x', 'y', 'z']);
  if (k < 10) return object(r, depth + 1);
  if (k < 12) return Array.from({ length: int(r, 4) }, () => value(r, depth + 1));
  return pick(r, EXOTIC)(r);
}

function object(r: Rand, depth: number, size = 4): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let n = int(r, size); n > 0; n--) o[r() < 0.5 ? `p${int(r, 6)}` : pick(r, KEYS)] = value(r, depth);
  return o;
}

/** Top-level properties: mostly a plain object, sometimes what posthog-node also reads as an object or none. */
function properties(r: Rand): unknown {
  const containers = [null, undefined, new Money(), { toJSON: () => ({ viaToJSON: 1 }) }];
  return r() < 0.1 ? pick(r, containers) : object(r, 0, 7);
}

const hex = (r: Rand, n: number) => Array.from({ length: n }, () => int(r, 16).toString(16)).join('');
const uuid = (r: Rand) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`;
const BAD_UUIDS = list('not-a-uuid||{f47ac10b-58cc-4372-a567-0e02b2c3d479}|f47ac10b58cc4372a5670e02b2c3d479');
BAD_UUIDS.push(' f47ac10b-58cc-4372-a567-0e02b2c3d479 ', 'f47ac10b-58cc-4372-a567-0e02b2c3d479\n');
BAD_UUIDS.push('00000000-0000-0000-0000-000000000000', 'zzzzzzzz-58cc-4372-a567-0e02b2c3d479');

/** A Date, or an ISO 8601 / RFC 2822 string that names its offset: both SDKs read it alike in every time zone. */
function timestamp(r: Rand): Date | string {
  const ms = Date.UTC(1971 + int(r, 129), int(r, 12), 1 + int(r, 28), int(r, 24), int(r, 60), int(r, 60));
  if (r() < 0.2) return new Date(ms + int(r, 1000));
  if (r() < 0.1) return pick(r, [new Date(0), new Date(8.64e15), 'Sat, 01 Jun 2024 08:00:00 GMT']);
  const date = new Date(ms)
    .toISOString()
    .slice(0, 19)
    .replace('T', pick(r, ['T', 't', ' ']));
  const digits = String(int(r, 1e9))
    .padStart(9, '0')
    .slice(0, 1 + int(r, 9));
  const [hh, mm] = [String(int(r, 15)).padStart(2, '0'), pick(r, ['00', '30', '45'])];
  const offset = `${pick(r, ['+', '-'])}${hh}`;
  const zone = pick(r, ['Z', 'z', `${offset}:${mm}`, `${offset}${mm}`, offset]);
  return `${date}${r() < 0.6 ? `.${digits}` : ''}${zone}`;
}

const ids = (r: Rand) => pick(r, ['user-1', `user-${int(r, 1e6)}`, 'max@example.com', uuid(r), 'uñí😀']);
/** A distinct id both SDKs read as one: never blank, never a number. */
const distinctId = (r: Rand) =>
  r() < 0.7 ? ids(r) : pick(r, ['lone\ud800', 'x'.repeat(300), 'undefined', 'null', 'user\u0000nul']);
const GROUP_TYPES = list('company|project|ünï|$x|a b');
const groupKey = (r: Rand) => pick(r, ['acme', 'k😀', 'lone\udc00', `org-${int(r, 100)}`, ' padded ']);
const GROUPS = [undefined, null, {}, { company: '' }, { '': 'x' }];
const someGroups = (r: Rand) =>
  Object.fromEntries(GROUP_TYPES.filter(() => r() < 0.4).map((t) => [t, groupKey(r)]));
const groups = (r: Rand) => (r() < 0.3 ? pick(r, GROUPS) : someGroups(r));
const geoip = (r: Rand) => maybe(r, 0.2, () => ({ disableGeoip: r() < 0.5 }));

/** The optional fields of capture(): timestamp, uuid, per-event geoip. */
function options(r: Rand): Record<string, unknown> {
  const extra: Record<string, unknown> = { ...geoip(r) };
  if (r() < 0.4) extra.timestamp = timestamp(r);
  if (r() < 0.3) extra.uuid = r() < 0.7 ? uuid(r) : pick(r, BAD_UUIDS);
  return extra;
}

const METHODS = list('capture|capture|capture|capture|identify|identify|alias|groupIdentify|groupIdentify');
METHODS.push('setPersonProperties', 'unsetPersonProperties', 'register', 'unregister');
const EVENTS = list('order created|$pageview|$identify|$set|ünïcode 😀|ctl\u0000\n|lone\udc00|drop me');
EVENTS.push('$feature_flag_called', 'e'.repeat(1000));
const UNSET = [['a', 'b'], 'a', [], ['', ' ', 'x'], [' a '], [null, 'b'], [1, 'c'], '', ['$set'], ['a', 'a']];

/** One call: `{ method, arg }` for `client[method](arg)`. */
export function genCall(seed: number): FuzzCall {
  const r = prng(seed);
  const method = pick(r, METHODS);
  const id = distinctId(r);
  switch (method) {
    case 'capture': {
      const who = r() < 0.85 ? id : pick(r, [undefined, null, '']);
      const event = r() < 0.5 ? 'order created' : pick(r, EVENTS);
      const arg = { distinctId: who, event, properties: properties(r), groups: groups(r), ...options(r) };
      return { method, arg };
    }
    case 'identify': {
      const p = properties(r) as Record<string, unknown> | null | undefined;
      if (p && Object.getPrototypeOf(p) === Object.prototype && !('toJSON' in p) && r() < 0.5) {
        if (r() < 0.5) p.$set = object(r, 1);
        if (r() < 0.5) p.$set_once = object(r, 1);
        if (r() < 0.3) p.$anon_distinct_id = pick(r, ['anon-1', null, undefined]);
      }
      return { method, arg: { distinctId: id, properties: p, ...geoip(r) } };
    }
    case 'alias':
      return { method, arg: { distinctId: id, alias: distinctId(r), ...geoip(r) } };
    case 'groupIdentify': {
      const arg = { groupType: pick(r, GROUP_TYPES), groupKey: groupKey(r), properties: properties(r) };
      return { method, arg: { ...arg, ...maybe(r, 0.3, () => ({ distinctId: pick(r, [id, '', null]) })) } };
    }
    case 'setPersonProperties': {
      const [set, once] = [
        maybe(r, 0.8, () => properties(r)),
        maybe(r, 0.5, () => pick(r, [object(r, 1), {}, null])),
      ];
      return { method, arg: { distinctId: id, properties: set, propertiesOnce: once } };
    }
    case 'unsetPersonProperties':
      return { method, arg: { distinctId: id, properties: pick(r, UNSET) } };
    case 'register':
      return { method, arg: object(r, 1, 3) };
    default:
      return { method, arg: r() < 0.7 ? `p${int(r, 6)}` : pick(r, KEYS) };
  }
}

const added = (e: Hookable): Hookable => ({ ...e, properties: { ...e.properties, hook_added: 1 } });
const renamed = (e: Hookable): Hookable => ({ ...e, event: `${e.event} (renamed)` });
const dropped = (e: Hookable) => (e.event === 'drop me' ? null : e);
function movePlan(e: Hookable): Hookable {
  const { plan, ...rest } = e.properties ?? {};
  return { ...e, properties: plan === undefined ? rest : { ...rest, plan_was: plan } };
}
const HOOKS = [added, renamed, dropped, movePlan, [added, movePlan, renamed]];

/** Client options both SDKs take, the same for both: geoip, isServer and a before_send hook or chain. */
export function sessionOptions(r: Rand): object {
  const o: Record<string, unknown> = {};
  if (r() < 0.4) o.disableGeoip = r() < 0.5;
  if (r() < 0.15) o.isServer = false;
  if (r() < 0.4) o.before_send = pick(r, HOOKS);
  return o;
}
