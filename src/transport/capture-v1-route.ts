import { eventHead, MAX_EVENT_BYTES, type Route, USER_AGENT, uuidOf } from './routes.js';

/** Properties capture v1 carries outside `properties`, and where they go. */
const V1_OPTIONS: ReadonlyArray<readonly [property: string, option: string]> = [
  ['$cookieless_mode', 'cookieless_mode'],
  ['$ignore_sent_at', 'disable_skew_correction'],
  ['$process_person_profile', 'process_person_profile'],
  ['$product_tour_id', 'product_tour_id'],
];

/** `POST /i/v1/analytics/events`: capture v1, with Bearer auth and per-event results. */
export const captureV1Route: Route = {
  path: '/i/v1/analytics/events',
  perEventResults: true,
  maxEventBytes: MAX_EVENT_BYTES,
  serialize(event, props) {
    let properties = event.properties;
    let root = '';
    let options = '';
    if (
      '$session_id' in properties ||
      '$window_id' in properties ||
      V1_OPTIONS.some(([p]) => p in properties)
    ) {
      properties = { ...properties };
      for (const [key, field] of [
        ['$session_id', 'session_id'],
        ['$window_id', 'window_id'],
      ] as const) {
        if (key in properties) {
          if (typeof properties[key] === 'string') root += `,"${field}":${JSON.stringify(properties[key])}`;
          delete properties[key];
        }
      }
      for (const [key, option] of V1_OPTIONS) {
        if (!(key in properties)) continue;
        const value = properties[key];
        delete properties[key];
        if (value === undefined || value === null) continue;
        options += `${options ? ',' : ''}"${option}":${JSON.stringify(value)}`;
      }
    }
    return (
      eventHead(event) +
      ',"timestamp":"' +
      event.timestamp +
      '"' +
      root +
      ',"options":{' +
      options +
      '},"properties":' +
      props(properties) +
      '}'
    );
  },
  envelope(context) {
    const migration = context.historicalMigration ? ',"historical_migration":true' : '';
    return { head: `{"created_at":"${context.nowIso}"${migration},"batch":[`, tail: ']}' };
  },
  headers(context) {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      Authorization: `Bearer ${context.apiKey}`,
      'PostHog-Sdk-Info': USER_AGENT,
      'PostHog-Attempt': String(context.attempt + 1),
      'PostHog-Request-Id': context.requestId,
      'PostHog-Request-Timestamp': context.nowIso,
    };
    if (context.compressed) headers['Content-Encoding'] = 'gzip';
    return headers;
  },
};

/** Per-event outcome of a capture v1 answer, by batch position. */
export type V1Outcome = 'ok' | 'retry' | 'drop';

/**
 * Reads capture v1's `{"results": {uuid: {result}}}`. `ok` and `warning` are delivered, `retry` is sent again,
 * anything else (`drop`, `limited`, results this SDK does not know yet) is final. An event missing from the
 * map was accepted with the request. A body that is not that shape yields `undefined`.
 */
export function readV1Results(batch: readonly string[], body: string): V1Outcome[] | undefined {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : {};
  } catch {
    return undefined;
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (results === undefined) return batch.map(() => 'ok');
  if (typeof results !== 'object' || results === null) return undefined;
  return batch.map((json) => {
    const entry = (results as Record<string, { result?: unknown } | undefined>)[uuidOf(json)];
    const result = entry?.result;
    if (result === undefined || result === 'ok' || result === 'warning') return 'ok';
    return result === 'retry' ? 'retry' : 'drop';
  });
}
