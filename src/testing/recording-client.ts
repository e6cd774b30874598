import { gunzipSync } from 'node:zlib';
import type { PostHogOptions } from '../api/options.js';
import type { FetchLike } from '../api/transport.js';
import type { AnyFlags, AnyPayloads, FlagSchema } from '../flags/client/flag-schema.js';
import { PostHog } from '../index.js';

/** An event as the recording client received it: the wire form PostHog would get. */
export interface RecordedEvent {
  /** The event's UUID: the one `capture()` returned, unless a `before_send` hook changed it. */
  uuid: string;
  /** The event name, e.g. `signed up` or `$identify`. */
  event: string;
  /** The distinct id as sent: a personless event's is a generated UUID. */
  distinct_id: string;
  /** Every property sent, `$lib` and the other SDK properties included. */
  properties: Record<string, unknown>;
  /** ISO-8601 in UTC. */
  timestamp: string;
  [key: string]: unknown;
}

/** A request as the recording client received it. */
export interface RecordedRequest {
  /** The full URL, on the host `http://posthog.test` unless the options give another. */
  url: string;
  /** The URL's path, e.g. `/batch/` or `/flags/`. */
  path: string;
  /** The headers as sent; `Content-Encoding: gzip` tells a compressed body. */
  headers: Record<string, string>;
  /** The JSON body, decompressed and parsed; `{}` for a request without one. */
  body: Record<string, unknown>;
  /** The events of the body's `batch`; empty for requests that carry none, such as `/flags`. */
  events: RecordedEvent[];
}

/** What {@link createRecordingClient} returns; `F` and `P` type the client's flags as `new PostHog<F, P>` does. */
export interface RecordingClient<F extends FlagSchema<F> = AnyFlags, P = AnyPayloads> {
  /** A real client whose requests never leave the process. */
  client: PostHog<F, P>;
  /** Every event delivered so far, in order. Call `await client.flush()` first. */
  readonly events: RecordedEvent[];
  /** Every request made so far. */
  readonly requests: RecordedRequest[];
  /** Events with this name. */
  eventsNamed(name: string): RecordedEvent[];
  /** Forgets what was recorded. */
  clear(): void;
}

/**
 * A PostHog client for unit tests that need no server: the full pipeline runs (validation, `before_send`,
 * batching, gzip), and a fetch that answers 200 in memory records what would have been sent.
 *
 * ```ts
 * const { client, events } = createRecordingClient();
 * client.capture({ distinctId: 'u1', event: 'signed up' });
 * await client.flush();
 * expect(events[0]?.event).toBe('signed up');
 * ```
 */
export function createRecordingClient<F extends FlagSchema<F> = AnyFlags, P = AnyPayloads>(
  options: PostHogOptions = {},
  apiKey = 'phc_test',
): RecordingClient<F, P> {
  const events: RecordedEvent[] = [];
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const raw = init.body ?? '';
    const bytes =
      typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const text = (init.headers['Content-Encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const batch = Array.isArray(body.batch) ? (body.batch as RecordedEvent[]) : [];
    requests.push({ url, path: new URL(url).pathname, headers: { ...init.headers }, body, events: batch });
    events.push(...batch);
    const { status, answer } = answerFor(new URL(url).pathname);
    return { status, headers: new Headers(), text: async () => answer };
  };
  const client = new PostHog<F, P>(apiKey, { host: 'http://posthog.test', ...options, fetch });
  return {
    client,
    events,
    requests,
    eventsNamed: (name) => events.filter((event) => event.event === name),
    clear() {
      events.length = 0;
      requests.length = 0;
    },
  };
}

/**
 * What PostHog would answer on each route, with nothing configured: no flags, no definitions, no remote config.
 * A capture answer elsewhere made flag calls report invalid responses, and `$feature_flag_called` events carry
 * errors a real server would not cause.
 */
function answerFor(path: string): { status: number; answer: string } {
  if (path === '/i/v1/analytics/events') return { status: 200, answer: '{"results":{}}' };
  if (path === '/flags/' || path === '/flags')
    return { status: 200, answer: '{"flags":{},"errorsWhileComputingFlags":false}' };
  if (path === '/flags/definitions' || path === '/api/feature_flag/local_evaluation')
    return { status: 200, answer: '{"flags":[],"group_type_mapping":{},"cohorts":{}}' };
  if (path.startsWith('/api/projects/')) return { status: 404, answer: '{"detail":"Not found."}' };
  return { status: 200, answer: '{"status":"Ok"}' };
}
