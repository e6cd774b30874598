import { isDeepStrictEqual } from 'node:util';
import { PostHog as NodePostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CaptureResult, PostHog } from '../../src/index.js';
import { type LocalPostHog, type ReceivedEvent, startLocalPostHog } from '../../src/testing/index.js';
import { prng } from '../flags/random-defs.js';
import { ERROR_MARK, type FuzzCall, genCall, sessionOptions } from './differential-gen.js';

/**
 * Seeded differential fuzz of the capture-style calls against posthog-node (the reference): capture, identify,
 * alias, groupIdentify, setPersonProperties, unsetPersonProperties and register / unregister, in posthog-node's
 * calling forms, with the inputs of differential-gen.ts. Each session gives both SDKs the same client options
 * (geoip, isServer, before_send hooks); each call goes to both, both flush to their own local server, and the
 * events the call put on the wire are compared field by field: event, distinct_id, properties ($set, $set_once,
 * $unset, $groups, $group_set included), timestamp and a caller's uuid. Only SDK identity is left out ($lib,
 * $lib_version, generated uuids and distinct ids, sent_at, the time of an event without a timestamp), plus,
 * narrowly, the `stack` posthog-node writes beside a generated Error's name and message (posthog-ts writes
 * `{ name, message }`, see "How awkward values are normalised" in the README). Timestamp strings always name
 * their offset, so the result does not depend on the machine's time zone.
 *
 * Default: 4,000 calls from seed 20250607 (about 7 s). A longer or another run:
 *   CAPTURE_FUZZ_CALLS=20000 CAPTURE_FUZZ_SEED=7 npx vitest run test/client/differential-node.test.ts
 * A failure lists one example per kind of difference; `genCall(seed)` rebuilds the call.
 */
const CALLS = Number(process.env.CAPTURE_FUZZ_CALLS ?? 4000);
const SEED = Number(process.env.CAPTURE_FUZZ_SEED ?? 20250607);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const QUEUE = { flushAt: 1e6, flushInterval: 600_000, fetchRetryCount: 0, disableCompression: true };
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let tsServer: LocalPostHog;
let nodeServer: LocalPostHog;

beforeAll(async () => {
  [tsServer, nodeServer] = await Promise.all([startLocalPostHog(), startLocalPostHog()]);
  // posthog-node logs refusals and hook drops to the console.
  for (const level of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, level).mockReturnValue();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([tsServer?.stop(), nodeServer?.stop()]);
});

type Client = Record<string, (arg: unknown) => CaptureResult | undefined>;
const invoke = (client: unknown, call: FuzzCall) => (client as Client)[call.method]!(call.arg);

/** Kind of difference (method and where) → how often, and the first example. */
type Findings = Map<string, { count: number; example: string }>;
function record(findings: Findings, kind: string, example: string): true {
  const seen = findings.get(kind);
  if (seen) seen.count++;
  else findings.set(kind, { count: 1, example });
  return true;
}

/** posthog-node's `stack` beside a generated Error's name and message, and nothing else, is left out. */
function withoutErrorStacks(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withoutErrorStacks);
  const { name, message, stack } = value as Record<string, unknown>;
  if (Object.keys(value).join() === 'name,message,stack' && String(message).startsWith(ERROR_MARK) && stack)
    return { name, message };
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutErrorStacks(v)]));
}

/**
 * The calls posthog-node throws on or loses the event of, where posthog-ts reads `null` as none and sends
 * it (README, "What goes on the wire"): only that posthog-ts sent its one event is checked.
 */
function nodeFails(call: FuzzCall): boolean {
  const given = (call.arg ?? {}) as Record<string, unknown>;
  if (call.method === 'capture') return given.groups === null;
  if (call.method === 'identify') return given.properties === null;
  if (call.method === 'setPersonProperties')
    return given.properties === null || given.propertiesOnce === null;
  return false;
}

/**
 * A caller's timestamp with an hour-only offset (`+05`), which JavaScript's Date reads one way or another: posthog-node
 * sends the string as given when Date cannot read it, and the instant to the millisecond when it can; posthog-ts
 * sends the instant with every digit given (README: any offset is converted, sub-millisecond digits kept). Both
 * sides are compared as the instant to the millisecond; any other timestamp as sent.
 */
function hourOffsetInstant(given: unknown, sent: unknown): string | undefined {
  if (typeof given !== 'string' || !/[+-]\d\d$/.test(given)) return undefined;
  const ms = Date.parse(sent === given ? `${given}:00` : String(sent));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * Properties given as an object with `toJSON`: posthog-node sends the `toJSON()` result alone, posthog-ts that result
 * with what every event carries (library properties, super properties, `$groups`, context; README, "What goes on
 * the wire"). Both are compared on the result's keys only.
 */
function viaToJson(given: unknown, sent: unknown): unknown {
  const toJSON = (given as { toJSON?: unknown } | null | undefined)?.toJSON;
  if (typeof toJSON !== 'function' || typeof sent !== 'object' || sent === null) return sent;
  const keys = Object.keys(toJSON.call(given) as object);
  return Object.fromEntries(Object.entries(sent).filter(([key]) => keys.includes(key)));
}

/** The event with the fields that legitimately differ replaced by markers, once their form is checked. */
function comparable(event: ReceivedEvent, call: FuzzCall, window: [number, number], node: boolean) {
  const { properties = {}, uuid, distinct_id, timestamp, ...rest } = event;
  const { $lib, $lib_version, ...props } = properties;
  const given = (call.arg ?? {}) as Record<string, unknown>;
  const callerUuid = typeof given.uuid === 'string' && UUID.test(given.uuid);
  const personless = call.method === 'capture' && !given.distinctId;
  const at = Date.parse(String(timestamp));
  const now = given.timestamp === undefined && at >= window[0] && at <= window[1];
  return {
    ...rest,
    uuid: (callerUuid ? uuid === given.uuid && '<caller>' : UUID.test(String(uuid)) && '<new>') || uuid,
    distinct_id: (personless && UUID.test(String(distinct_id)) && '<new>') || distinct_id,
    timestamp:
      (now && ISO.test(String(timestamp)) && '<now>') ||
      hourOffsetInstant(given.timestamp, timestamp) ||
      timestamp,
    properties: viaToJson(given.properties, node ? withoutErrorStacks(props) : props),
  };
}

/** The path to the first difference, and the two values there. */
function firstDifference(a: unknown, b: unknown, path = ''): [string, string] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const [x, y] = [(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]];
      if (!isDeepStrictEqual(x, y)) return firstDifference(x, y, `${path}.${key}`);
    }
  }
  return [path, `${path || 'event'}: posthog-node ${show(a)}, posthog-ts ${show(b)}`];
}

/** A path with the generated property names left out: `.properties.$set.*`. */
function pathKind(path: string): string {
  const [, top, ...inner] = path.split('.');
  return [top, ...inner.slice(0, 2).map((s) => (s.startsWith('$') ? s : '*'))].map((s) => `.${s}`).join('');
}

function show(value: unknown, max = 300): string {
  const json = JSON.stringify(value, (_k, v) =>
    typeof v === 'function'
      ? `<${v.name}>`
      : typeof v === 'string' && v.length > 60
        ? `${v.slice(0, 40)}…(${v.length})`
        : v,
  );
  return json === undefined ? String(value) : json.length > max ? `${json.slice(0, max)}…` : json;
}

/** One session: fresh clients with the same options, then calls, the events of each compared on their own. */
async function session(seed: number, size: number, findings: Findings): Promise<number> {
  const r = prng(seed);
  const options = sessionOptions(r);
  const ts = new PostHog('phc_fuzz', { host: tsServer.url, logger: silent, ...QUEUE, ...options });
  const node = new NodePostHog('phc_fuzz', { host: nodeServer.url, ...QUEUE, ...options });
  const on = { ts, node, findings, where: `session ${seed} ${show(options, 100)}` };
  let compared = 0;
  try {
    for (let i = 0; i < size; i++) compared += await compareCall(on, Math.floor(r() * 2 ** 32));
  } finally {
    await Promise.all([ts.shutdown(), node.shutdown()]);
  }
  return compared;
}

/** One call made on both clients; the events it put on the wire are compared. Returns how many. */
async function compareCall(
  on: { ts: PostHog; node: NodePostHog; findings: Findings; where: string },
  seed: number,
) {
  const { ts, node, findings } = on;
  const call = genCall(seed);
  const { method } = call;
  const at = () => `${on.where}, genCall(${seed}) ${method}(${show(call.arg, 500)})`;
  const start = Date.now();
  const result = invoke(ts, call);
  let threw = false;
  const fails = nodeFails(call);
  try {
    invoke(node, genCall(seed));
  } catch (error) {
    if (!fails)
      threw = record(findings, `${method}: posthog-node throws`, `${at()}: posthog-node threw ${error}`);
  }
  await new Promise(setImmediate); // posthog-node prepares its events asynchronously
  await Promise.all([ts.flush(), node.flush()]);
  const window: [number, number] = [start, Date.now()];
  const [tsEvents, nodeEvents] = [tsServer.events.slice(), nodeServer.events.slice()];
  tsServer.clear();
  nodeServer.clear();
  if (fails) {
    // Sent, unless a before_send hook dropped it or there is nothing to set once null reads as none.
    const dropped =
      result?.ok === false && (result.error.code === 'filtered' || /are empty/.test(result.error.message));
    const sent = dropped ? tsEvents.length === 0 : result?.ok !== false && tsEvents.length === 1;
    if (!sent)
      record(
        findings,
        `${method}: a null posthog-node fails on`,
        `${at()}: posthog-ts sent ${tsEvents.length}`,
      );
    return 0;
  }
  if (tsEvents.length !== nodeEvents.length) {
    const refused = result?.ok === false ? ` (refused: ${result.error.message})` : '';
    const counts = `posthog-node sent ${nodeEvents.length} events, posthog-ts ${tsEvents.length}`;
    if (!threw) record(findings, `${method}: ${counts}`, `${at()}: ${counts}${refused}`);
    return 0;
  }
  tsEvents.forEach((tsEvent, k) => {
    const a = comparable(nodeEvents[k] as ReceivedEvent, call, window, true);
    const b = comparable(tsEvent, call, window, false);
    if (isDeepStrictEqual(a, b)) return;
    const [path, text] = firstDifference(a, b);
    record(findings, `${method}: ${pathKind(path)}`, `${at()}: ${text}`);
  });
  return tsEvents.length;
}

describe('differential vs posthog-node: capture-style calls on the wire', () => {
  it(`${CALLS} seeded calls put the same events on the wire`, { timeout: 30_000 + CALLS * 10 }, async () => {
    const r = prng(SEED);
    const findings: Findings = new Map();
    let compared = 0;
    for (let done = 0; done < CALLS; ) {
      const size = Math.min(CALLS - done, 10 + Math.floor(r() * 40));
      compared += await session(Math.floor(r() * 2 ** 32), size, findings);
      done += size;
    }
    const kinds = [...findings].map(([kind, { count, example }]) => `${kind} (${count}x), e.g. ${example}`);
    expect(kinds).toEqual([]);
    // Most calls send an event; the rest are register / unregister, hooks' drops and refusals both SDKs make.
    expect(compared).toBeGreaterThan(CALLS * 0.6);
  });
});
