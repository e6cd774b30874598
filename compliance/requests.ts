import type { EventMessage, PostHogOptions } from '../src/index.js';
import { HttpError, type JsonObject } from './http-util.js';
import {
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  requiredString,
} from './validate.js';

/** What `/init` asks for, already mapped to SDK option names. Only options the harness sent are set. */
export interface InitRequest {
  apiKey: string;
  options: PostHogOptions;
}

/** Parses `/init`: each contract option maps to one SDK option; unsent ones are left to the SDK's defaults. */
export function parseInit(body: JsonObject): InitRequest {
  const apiKey = requiredString(body, 'api_key');
  const options: PostHogOptions = { host: requiredString(body, 'host') };
  const flushAt = optionalInteger(body, 'flush_at', 1);
  if (flushAt !== undefined) options.flushAt = flushAt;
  const flushInterval = optionalInteger(body, 'flush_interval_ms', 0);
  if (flushInterval !== undefined) options.flushInterval = flushInterval;
  const maxRetries = optionalInteger(body, 'max_retries', 0);
  if (maxRetries !== undefined) options.fetchRetryCount = maxRetries;
  const compression = optionalBoolean(body, 'enable_compression');
  if (compression !== undefined) options.disableCompression = !compression;
  const disableGeoip = optionalBoolean(body, 'disable_geoip');
  if (disableGeoip !== undefined) options.disableGeoip = disableGeoip;
  const historicalMigration = optionalBoolean(body, 'historical_migration');
  if (historicalMigration !== undefined) options.historicalMigration = historicalMigration;
  return { apiKey, options };
}

/**
 * The contract's V1 EventOptions and the properties the SDK reads them from. The SDK moves these properties
 * into the event's `options` object in v1 mode; on /batch/ they stay properties, which PostHog reads there.
 */
const EVENT_OPTIONS: Readonly<Record<string, string>> = {
  cookieless_mode: '$cookieless_mode',
  disable_skew_correction: '$ignore_sent_at',
  process_person_profile: '$process_person_profile',
  product_tour_id: '$product_tour_id',
};

/** Parses `/capture` and `/capture_ai` into the SDK's message. */
export function parseCapture(body: JsonObject): EventMessage {
  const distinctId = requiredString(body, 'distinct_id');
  const event = requiredString(body, 'event');
  const properties: Record<string, unknown> = { ...optionalObject(body, 'properties') };
  const options = optionalObject(body, 'options');
  if (options) {
    for (const [name, value] of Object.entries(options)) {
      const property = EVENT_OPTIONS[name];
      if (property === undefined) {
        throw new HttpError(
          400,
          `"options.${name}" is not a known event option (${Object.keys(EVENT_OPTIONS).join(', ')})`,
        );
      }
      // null means "not set", as for every other optional field.
      if (value !== null && value !== undefined) properties[property] = value;
    }
  }
  const message: EventMessage = { distinctId, event, properties };
  const timestamp = optionalString(body, 'timestamp');
  if (timestamp !== undefined) message.timestamp = timestamp;
  const uuid = optionalString(body, 'uuid');
  if (uuid !== undefined) message.uuid = uuid;
  return message;
}
