import type { BeforeSendFn, BeforeSendResult, OutgoingEvent } from '../api/messages.js';
import { BeforeSendError, EventTooLargeError, ValidationError } from '../errors/capture-errors.js';
import { PostHogError } from '../errors/posthog-error.js';
import type { Route } from '../transport/routes.js';
import { TooLargeToSendError } from '../utils/array-limit.js';
import { writeProperties } from '../utils/json-writer.js';
import { isoFromMs, toUtcIso } from '../utils/timestamp.js';
import { isUuid } from '../utils/uuid.js';
import { LIB_NAME, VERSION } from '../version.js';
import type { EventDraft } from './event-factory.js';
import { toPlain } from './flag-properties.js';
import { normalizedRecord } from './input-checks.js';
import { asSdkCallback } from './sdk-callbacks.js';

/** What prepare needs from the client. */
export interface PrepareContext {
  beforeSend: readonly BeforeSendFn[];
  isServer: boolean;
  disableGeoip: boolean;
  now(): number;
  /** A new UUIDv7 for the clock reading `nowMs`. */
  newUuid(nowMs: number): string;
  utf8Length(text: string): number;
}

/** A serialised event ready for the queue. */
export interface PreparedEvent {
  json: string;
  size: number;
  uuid: string;
  event: string;
  distinctId: string;
}

/** `before_send` returned null: not an error, but the event is not sent. */
export const FILTERED = 'filtered' as const;

/**
 * Turns a draft into the bytes that will be sent: assigns the uuid and UTC timestamp, runs `before_send`,
 * stamps the library properties, normalises values, serialises once and checks the size. The JSON built here
 * is what every retry sends, so the uuid and timestamp never change after capture, and later changes to the
 * caller's objects cannot leak into an event already captured.
 */
export function prepare(
  draft: EventDraft,
  route: Route,
  ctx: PrepareContext,
): PreparedEvent | PostHogError | typeof FILTERED {
  // Read once: the uuid needs the time of capture even when the event carries its own timestamp.
  const nowMs = ctx.now();
  let timestamp: string;
  if (draft.timestamp === undefined) {
    timestamp = isoFromMs(nowMs);
  } else {
    const iso = toUtcIso(draft.timestamp);
    if (iso === undefined)
      return new ValidationError('timestamp', 'must be a valid Date, ISO-8601 string or epoch ms');
    timestamp = iso;
  }
  let distinctId = draft.distinctId;
  if (distinctId === undefined) {
    // Personless: a fresh id per event, and no person profile is created or updated for it.
    distinctId = ctx.newUuid(nowMs);
    if (!('$process_person_profile' in draft.properties)) draft.properties.$process_person_profile = false;
  }
  let uuid = draft.uuid !== undefined && isUuid(draft.uuid) ? draft.uuid.toLowerCase() : ctx.newUuid(nowMs);
  let name = draft.event;
  let properties = draft.properties;

  if (ctx.beforeSend.length > 0) {
    const event = runBeforeSend(draft, { event: name, distinctId, properties, timestamp, uuid }, ctx);
    if (event === FILTERED || event instanceof PostHogError) return event;
    ({ uuid, event: name, distinctId, properties } = event);
    timestamp = event.timestamp as string;
  }

  const geoipDisabled = draft.disableGeoip ?? ctx.disableGeoip;
  let serializeProps: (value: unknown) => string;
  if (draft.owned || ctx.beforeSend.length > 0 || hasLibraryKeys(properties)) {
    // Never stamp the caller's own object (it may be frozen, or reused by the caller).
    if (!draft.owned && ctx.beforeSend.length === 0) properties = { ...properties };
    properties.$lib = LIB_NAME;
    properties.$lib_version = VERSION;
    if (ctx.isServer) properties.$is_server = true;
    if (geoipDisabled) properties.$geoip_disable = true;
    serializeProps = serializeProperties;
  } else {
    // The caller's object, uncopied: serialise it and append the library properties to the JSON text.
    serializeProps = libraryAppender(ctx.isServer, geoipDisabled);
  }

  let json: string;
  try {
    json = route.serialize(
      { uuid, event: name, distinct_id: distinctId, properties, timestamp },
      serializeProps,
    );
  } catch (error) {
    // Only propertiesJson throws here: for properties that cannot be read at all, or an array too long to send.
    if (error instanceof ValidationError) return error;
    if (error instanceof TooLargeToSendError)
      return new EventTooLargeError(name, error.minBytes, route.maxEventBytes);
    throw error;
  }
  // Counting UTF-8 bytes costs a scan, so only do it when the length alone cannot rule the limit out.
  const size = json.length * 3 <= route.maxEventBytes ? json.length : ctx.utf8Length(json);
  if (size > route.maxEventBytes) return new EventTooLargeError(name, size, route.maxEventBytes);
  return { json, size, uuid, event: name, distinctId };
}

/**
 * Runs the `before_send` hooks over an event object built for them (without hooks none is built). Kept out of
 * {@link prepare}, which every capture runs, so that a client without hooks compiles none of this into it.
 */
function runBeforeSend(
  draft: EventDraft,
  fields: Pick<OutgoingEvent, 'event' | 'distinctId' | 'properties' | 'timestamp' | 'uuid'>,
  ctx: PrepareContext,
): OutgoingEvent | PostHogError | typeof FILTERED {
  let event: OutgoingEvent = {
    type: draft.type,
    event: fields.event,
    distinctId: fields.distinctId,
    // Hooks may change it; never the caller's.
    properties: draft.owned ? fields.properties : { ...fields.properties },
    timestamp: fields.timestamp,
    uuid: fields.uuid,
  };
  for (const hook of ctx.beforeSend) {
    let result: BeforeSendResult | null | undefined | false;
    try {
      result = asSdkCallback(hook, event);
      if (isThenable(result)) {
        // An async hook: the event is serialised now, so it cannot wait. Its rejection is handled here, or it
        // would end the process.
        result.then(undefined, () => {});
        const reason = new TypeError('before_send hooks must be synchronous; this one returned a promise');
        return new BeforeSendError(event.event, reason, 'returned a promise (hooks must be synchronous)');
      }
    } catch (error) {
      return new BeforeSendError(event.event, error);
    }
    // Any falsy value drops the event, as in posthog-node (a hook returning `false`, say).
    if (!result) return FILTERED;
    // A hook may return a new object with only some fields (posthog-node's hooks leave out the timestamp and
    // uuid): what it leaves out keeps its value, so the event keeps the uuid capture() returned.
    event = {
      ...result,
      type: event.type,
      distinctId: (result.distinctId ?? event.distinctId) as string, // a number is made a string below
      properties: ownProperties(toPlain(result.properties), event.properties),
      timestamp: (result.timestamp ?? event.timestamp) as string,
      uuid: result.uuid ?? event.uuid,
    };
  }
  return checkHookOutput(event, ctx) ?? event;
}

/**
 * The properties to send after a hook: its own object is copied (it may be frozen, shared or a builder's, and the
 * library properties are written into what is sent), the SDK's copy it was handed is kept as is.
 */
function ownProperties(
  returned: Record<string, unknown> | undefined,
  handed: Record<string, unknown>,
): Record<string, unknown> {
  return returned === undefined || returned === handed ? handed : { ...returned };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

function hasLibraryKeys(properties: Record<string, unknown>): boolean {
  return (
    '$lib' in properties ||
    '$lib_version' in properties ||
    '$is_server' in properties ||
    '$geoip_disable' in properties
  );
}

/** One appender per combination of the two flags, indexed by {@link libraryAppender}. */
const appenders: Array<((value: unknown) => string) | undefined> = [
  undefined,
  undefined,
  undefined,
  undefined,
];

/** A properties serialiser that adds `$lib`, `$lib_version`, `$is_server` and `$geoip_disable` to the text. */
function libraryAppender(isServer: boolean, geoipDisabled: boolean): (value: unknown) => string {
  const key = (isServer ? 2 : 0) + (geoipDisabled ? 1 : 0);
  let appender = appenders[key];
  if (!appender) {
    const suffix =
      `"$lib":${JSON.stringify(LIB_NAME)},"$lib_version":${JSON.stringify(VERSION)}` +
      (isServer ? ',"$is_server":true' : '') +
      (geoipDisabled ? ',"$geoip_disable":true' : '');
    const tail = `,${suffix}}`;
    appender = (value) => propertiesJson(value, tail);
    appenders[key] = appender;
  }
  return appender;
}

function serializeProperties(properties: unknown): string {
  return propertiesJson(properties, '}');
}

/**
 * JSON of a properties object closed by `tail` (see writeProperties): written directly, else normalised first.
 * Throws a ValidationError when the object itself cannot be read (a proxy whose traps throw, a throwing `toJSON`):
 * sending `{}` in its place would lose every property without a word.
 */
function propertiesJson(properties: unknown, tail: string): string {
  const json = writeProperties(properties, tail);
  if (json !== undefined) return json;
  const normalized = normalizedRecord('properties', properties);
  if (normalized instanceof ValidationError) throw normalized;
  const text = JSON.stringify(normalized);
  if (tail === '}') return text;
  return text.length === 2 ? `{${tail.slice(1)}` : text.slice(0, -1) + tail;
}

function checkHookOutput(event: OutgoingEvent, ctx: PrepareContext): PostHogError | undefined {
  if (typeof event !== 'object' || event === null) {
    return new ValidationError('before_send', 'must return the event object or null');
  }
  if (typeof event.event !== 'string' || event.event === '') {
    return new ValidationError('before_send', 'returned an event without a name');
  }
  if (typeof event.distinctId !== 'string' || event.distinctId === '') {
    event.distinctId = String(event.distinctId ?? '');
    if (!event.distinctId)
      return new ValidationError('before_send', 'returned an event without a distinctId');
  }
  if (typeof event.properties !== 'object' || event.properties === null) event.properties = {};
  if (!isUuid(event.uuid)) event.uuid = ctx.newUuid(ctx.now());
  const iso = toUtcIso(event.timestamp);
  if (iso === undefined) return new ValidationError('before_send', 'returned an invalid timestamp');
  event.timestamp = iso;
  return undefined;
}
