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

/**
 * The "bare" cost of one event with no SDK: the same input, a wire object with a random uuid, an ISO
 * timestamp and $lib/$lib_version properties, serialised once.
 */
export function bareEventJson(i) {
  const e = eventAt(i);
  return JSON.stringify({
    uuid: randomUUID(),
    event: e.event,
    distinct_id: e.distinctId,
    properties: { ...e.properties, $lib: 'bench-bare', $lib_version: '0.0.0' },
    timestamp: new Date().toISOString(),
  });
}
