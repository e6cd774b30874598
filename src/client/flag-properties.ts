import type { EventMessage, PropertiesInput } from '../api/messages.js';
import { MINIMAL_FLAG_CALLED_PROPERTIES } from '../flags/client/index.js';
import { Properties } from './builders.js';

/** The plain record behind event properties given as a {@link Properties} builder or a plain object. */
export function toPlain(properties: PropertiesInput | undefined): Record<string, unknown> | undefined {
  return properties instanceof Properties
    ? properties.values
    : (properties as Record<string, unknown> | undefined);
}

/** The message with flag properties under its own (the caller's `$feature/*` values win). */
export function withFlagProperties(message: EventMessage, flagProps: Record<string, unknown>): EventMessage {
  return { ...message, properties: { ...flagProps, ...toPlain(message.properties) } };
}

/**
 * A flag snapshot's event properties; undefined for anything that is not a snapshot (`null`, a plain object) or
 * whose properties cannot be read, so the event goes out without them, as posthog-node sends it.
 */
export function snapshotProperties(flags: unknown): Record<string, unknown> | undefined {
  try {
    if (typeof (flags as { eventProperties?: unknown } | null | undefined)?.eventProperties !== 'function') {
      return undefined;
    }
    return (flags as { eventProperties(): Record<string, unknown> }).eventProperties();
  } catch {
    return undefined; // reading the value threw (a proxy, a getter): it is no snapshot
  }
}

/** The properties a minimal `$feature_flag_called` event keeps: only the allowlisted ones. */
export function minimalFlagCalledProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key of MINIMAL_FLAG_CALLED_PROPERTIES) if (key in properties) kept[key] = properties[key];
  return kept;
}
