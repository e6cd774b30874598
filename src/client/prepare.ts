import type { BeforeSendFn, OutgoingEvent } from '../api/messages.js';
import { BeforeSendError, EventTooLargeError, ValidationError } from '../errors/capture-errors.js';
import type { PostHogError } from '../errors/posthog-error.js';
import type { Route } from '../transport/routes.js';
import { isJsonSafe, normalize } from '../utils/normalize.js';
import { isoFromMs, toUtcIso } from '../utils/timestamp.js';
import { isUuid } from '../utils/uuid.js';
import { LIB_NAME, VERSION } from '../version.js';
import type { EventDraft } from './event-factory.js';

/** What prepare needs from the client. */
export interface PrepareContext {
  beforeSend: readonly BeforeSendFn[];
  isServer: boolean;
  disableGeoip: boolean;
  now(): number;
  newUuid(): string;
  utf8Length(text: string): number;
}

/** A serialised event ready for the queue. */
export interface PreparedEvent {
  json: string;
  size: number;
  event: OutgoingEvent;
}

/** `before_send` returned null: not an error, but the event is not sent. */
export const FILTERED = 'filtered' as const;

/**
 * Turns a draft into the bytes that will be sent: assigns the uuid and UTC timestamp, runs `before_send`,
 * stamps the library properties, normalises values, serialises once and checks the size. The JSON built here
 * is what every retry sends, so the uuid and timestamp never change after capture.
 */
export function prepare(
  draft: EventDraft,
  route: Route,
  ctx: PrepareContext,
): PreparedEvent | PostHogError | typeof FILTERED {
  let timestamp: string;
  if (draft.timestamp === undefined) {
    timestamp = isoFromMs(ctx.now());
  } else {
    const iso = toUtcIso(draft.timestamp);
    if (iso === undefined)
      return new ValidationError('timestamp', 'must be a valid Date, ISO-8601 string or epoch ms');
    timestamp = iso;
  }
  let distinctId = draft.distinctId;
  if (distinctId === undefined) {
    // Personless: a fresh id per event, and no person profile is created or updated for it.
    distinctId = ctx.newUuid();
    if (!('$process_person_profile' in draft.properties)) draft.properties.$process_person_profile = false;
  }
  let event: OutgoingEvent = {
    type: draft.type,
    event: draft.event,
    distinctId,
    properties: draft.properties,
    timestamp,
    uuid: isUuid(draft.uuid) ? draft.uuid.toLowerCase() : ctx.newUuid(),
  };

  for (const hook of ctx.beforeSend) {
    let result: OutgoingEvent | null | undefined;
    try {
      result = hook(event);
    } catch (error) {
      return new BeforeSendError(event.event, error);
    }
    if (result === null || result === undefined) return FILTERED;
    event = result;
  }
  if (ctx.beforeSend.length > 0) {
    const invalid = checkHookOutput(event, ctx);
    if (invalid) return invalid;
  }

  const properties = event.properties;
  properties.$lib = LIB_NAME;
  properties.$lib_version = VERSION;
  if (ctx.isServer) properties.$is_server = true;
  if (draft.disableGeoip ?? ctx.disableGeoip) properties.$geoip_disable = true;

  const json = route.serialize(
    {
      uuid: event.uuid,
      event: event.event,
      distinct_id: event.distinctId,
      properties,
      timestamp: event.timestamp,
    },
    serializeProperties,
  );
  // Counting UTF-8 bytes costs a scan, so only do it when the length alone cannot rule the limit out.
  const size = json.length * 3 <= route.maxEventBytes ? json.length : ctx.utf8Length(json);
  if (size > route.maxEventBytes) return new EventTooLargeError(event.event, size, route.maxEventBytes);
  return { json, size, event };
}

function serializeProperties(properties: unknown): string {
  let safe: boolean;
  try {
    safe = isJsonSafe(properties);
  } catch {
    safe = false; // a throwing getter: the slow path records it as "[Unserializable]"
  }
  if (safe) {
    try {
      return JSON.stringify(properties);
    } catch {
      // fall through to the normalising path
    }
  }
  return JSON.stringify(normalize(properties));
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
  if (!isUuid(event.uuid)) event.uuid = ctx.newUuid();
  const iso = toUtcIso(event.timestamp);
  if (iso === undefined) return new ValidationError('before_send', 'returned an invalid timestamp');
  event.timestamp = iso;
  return undefined;
}
