import { jsonString } from '../utils/json-string.js';
import { LIB_NAME, VERSION } from '../version.js';

/** An event in the wire form the SDK builds before serialising it. */
export interface WireEvent {
  uuid: string;
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
  timestamp: string;
}

/** What a route needs to know to build a request. */
export interface RequestContext {
  apiKey: string;
  nowIso: string;
  attempt: number;
  requestId: string;
  historicalMigration: boolean;
  compressed: boolean;
}

/** How one ingestion endpoint wants its events serialised, wrapped and sent. */
export interface Route {
  /** Endpoint path, e.g. `/batch/`. */
  readonly path: string;
  /** Whether a 2xx answer carries per-event results (capture v1). */
  readonly perEventResults: boolean;
  /** Largest serialised event the endpoint accepts, in bytes. */
  readonly maxEventBytes: number;
  /**
   * Serialises one event. The JSON always starts with `{"uuid":"<36 chars>"`, so {@link uuidOf} can read the
   * id back from a queued string without parsing it.
   */
  serialize(event: WireEvent, serializeProperties: (properties: unknown) => string): string;
  /**
   * What goes around a batch: the body is `head`, the events separated by commas, then `tail`. A body to be gzipped
   * is encoded from these parts straight into one buffer (Platform.encodeList), never joined into a string first;
   * one sent uncompressed is the string {@link bodyText}.
   */
  envelope(context: RequestContext): Envelope;
  headers(context: RequestContext): Record<string, string>;
}

/** The text before and after a batch's comma-separated events in a request body (see {@link Route.envelope}). */
export interface Envelope {
  head: string;
  tail: string;
}

/** A request body as one string: what is sent uncompressed (`disableCompression`, or gzip failed). */
export function bodyText(envelope: Envelope, batch: readonly string[]): string {
  return envelope.head + batch.join(',') + envelope.tail;
}

/** The uuid of a serialised event (see {@link Route.serialize}). */
export function uuidOf(json: string): string {
  return json.slice(9, 45);
}

/** `User-Agent` of every request. */
export const USER_AGENT = `${LIB_NAME}/${VERSION}`;

/** Bytes PostHog ingestion accepts for one event on /batch/ and capture v1 (it refuses events over 1 MB). */
export const MAX_EVENT_BYTES = 1_000_000;
/** The AI endpoint takes larger events (prompts and completions). */
export const MAX_AI_EVENT_BYTES = 8 * 1024 * 1024;

function legacyHeaders(context: RequestContext): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT };
  if (context.compressed) headers['Content-Encoding'] = 'gzip';
  return headers;
}

/** `","event":<name>,"distinct_id":` of recent event names: a service sends the same few names over and over. */
const nameMembers = new Map<string, string>();
const MAX_NAMES = 1024;

/**
 * `{"uuid":"…","event":…,"distinct_id":…`, the start every route's event JSON shares ({@link uuidOf} relies on
 * it). Concatenation, not join(): the queue flattens events a chunk at a time (see Segment.add), so the pieces
 * die young instead of being copied into a flat string of their own first.
 */
export function eventHead(event: WireEvent): string {
  let members = nameMembers.get(event.event);
  if (members === undefined) {
    // A service with unbounded event names (a bug, usually) must not grow this map without limit.
    if (nameMembers.size >= MAX_NAMES) nameMembers.clear();
    members = `","event":${JSON.stringify(event.event)},"distinct_id":`;
    nameMembers.set(event.event, members);
  }
  return '{"uuid":"' + event.uuid + members + jsonString(event.distinct_id);
}

/** The last `,"timestamp":"…"}` written: events captured in the same millisecond share their timestamp string. */
let lastTimestamp = '';
let lastTimestampTail = ',"timestamp":""}';

function serializeLegacy(event: WireEvent, props: (properties: unknown) => string): string {
  if (event.timestamp !== lastTimestamp) {
    lastTimestamp = event.timestamp;
    lastTimestampTail = ',"timestamp":"' + event.timestamp + '"}';
  }
  return eventHead(event) + ',"properties":' + props(event.properties) + lastTimestampTail;
}

function legacyEnvelope(context: RequestContext): Envelope {
  const migration = context.historicalMigration ? ',"historical_migration":true' : '';
  return {
    head: `{"api_key":${JSON.stringify(context.apiKey)},"batch":[`,
    tail: `],"sent_at":"${context.nowIso}"${migration}}`,
  };
}

/** `POST /batch/`: the classic server-side batch endpoint. */
export const batchRoute: Route = {
  path: '/batch/',
  perEventResults: false,
  maxEventBytes: MAX_EVENT_BYTES,
  serialize: serializeLegacy,
  envelope: legacyEnvelope,
  headers: legacyHeaders,
};

/** `POST /i/v0/ai/batch/`: AI events (`captureAi`), same body as /batch/. */
export const aiRoute: Route = {
  path: '/i/v0/ai/batch/',
  perEventResults: false,
  maxEventBytes: MAX_AI_EVENT_BYTES,
  serialize: serializeLegacy,
  envelope: legacyEnvelope,
  headers: legacyHeaders,
};
