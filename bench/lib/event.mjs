import { randomUUID } from 'node:crypto';

/**
 * The realistic event every scenario captures: a distinct id from a pool of 5,000 users, a fixed event name
 * and 8 properties of mixed types (strings, integer, float, boolean, null, array, nested object). The
 * properties object is built per call, as application code would.
 */
export const EVENT_NAME = 'order completed';
export const API_KEY = 'phc_bench_0123456789abcdef';

export function eventAt(i) {
  return {
    distinctId: `user-${i % 5000}`,
    event: EVENT_NAME,
    properties: {
      plan: i % 3 === 0 ? 'enterprise' : 'pro',
      seats: 3 + (i % 17),
      amount: 129.99 + (i % 100) / 100,
      currency: 'EUR',
      path: '/checkout/confirm',
      first_purchase: i % 5 === 0,
      coupon: i % 4 === 0 ? null : { code: 'SPRING24', percent_off: 15 },
      items: ['sku-1042', 'sku-2210'],
    },
  };
}

/** The properties posthog-ts adds to every event by default; the reference loops add the same ones. */
const LIB_PROPERTIES = Object.freeze({
  $lib: 'bench-bare',
  $lib_version: '0.0.0',
  $is_server: true,
  $geoip_disable: true,
});

/**
 * The "bare" cost of one event with no SDK: the same input, a wire object with a random uuid, an ISO
 * timestamp and the properties posthog-ts adds to every event by default ($lib, $lib_version, $is_server,
 * $geoip_disable), serialised once: the same event, byte for byte the same size give or take the uuid version.
 * The properties are copied with Object.assign, not `{ ...e.properties, $lib: … }`: on Node 20 a literal property
 * after a spread takes a slow path (about 1 µs per event on the build machine, against 0.16 µs), which would make
 * this reference, and the throughput floor built on it, slower than the least work it stands for.
 */
export function bareEventJson(i) {
  const e = eventAt(i);
  return JSON.stringify({
    uuid: randomUUID(),
    event: e.event,
    distinct_id: e.distinctId,
    properties: Object.assign({}, e.properties, LIB_PROPERTIES),
    timestamp: new Date().toISOString(),
  });
}

/**
 * A queue that keeps events as JSON, written by hand for this one event shape: the same input, a UUIDv7-shaped
 * id from pooled random bytes, a timestamp formatted once per millisecond, the properties JSON.stringify'd once
 * with the library properties appended to the text, the event JSON concatenated and kept (flattened 64 events at
 * a time). No validation, no options, no hooks. Returns a `keep(i)` function and the array the JSON is kept in.
 */
export function createKeptFloor() {
  const hex = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
  const pool = new Uint8Array(4096);
  let poolAt = pool.length;
  const byte = () => {
    if (poolAt === pool.length) {
      crypto.getRandomValues(pool);
      poolAt = 0;
    }
    return pool[poolAt++];
  };
  let lastMs = -1;
  let iso = '';
  let prefix = '';
  const suffix = ',"$lib":"bench-bare","$lib_version":"0.0.0","$is_server":true,"$geoip_disable":true}';
  const chunks = [];
  let loose = [];
  const keep = (i) => {
    const e = eventAt(i);
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      iso = new Date(ms).toISOString();
      const h = ms.toString(16).padStart(12, '0');
      prefix = `${h.slice(0, 8)}-${h.slice(8)}-7`;
    }
    let id =
      prefix + hex[byte()].slice(1) + hex[byte()] + '-' + hex[0x80 | (byte() & 0x3f)] + hex[byte()] + '-';
    for (let k = 0; k < 6; k++) id += hex[byte()];
    const props = JSON.stringify(e.properties);
    loose.push(
      '{"uuid":"' +
        id +
        '","event":"' +
        e.event +
        '","distinct_id":"' +
        e.distinctId +
        '","properties":' +
        props.slice(0, -1) +
        suffix +
        ',"timestamp":"' +
        iso +
        '"}',
    );
    if (loose.length === 64) {
      chunks.push(loose.join(''));
      loose = [];
    }
  };
  return { keep, chunks };
}
