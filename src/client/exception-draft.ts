import type { ExceptionMessage } from '../api/messages.js';
import type { PostHogContext } from '../context/context-store.js';
import { ValidationError } from '../errors/capture-errors.js';
import { type BaseProperties, captureDraft, type EventDraft } from './event-factory.js';
import { isObject } from './input-checks.js';

/**
 * The draft of a `$exception` event from a message with a ready `exceptionList` (see ExceptionCapture for the
 * path from a thrown value): a capture draft with the exception properties on top of the caller's.
 */
export function exceptionDraft(
  message: ExceptionMessage,
  base: BaseProperties,
  context: PostHogContext | undefined,
): EventDraft | ValidationError {
  if (!isObject(message)) return new ValidationError('message', 'must be an object like { exceptionList }');
  const list = message.exceptionList;
  if (!Array.isArray(list) || list.length === 0)
    return new ValidationError('exceptionList', 'must be a non-empty array');
  for (const item of list) {
    if (!isObject(item) || typeof item.type !== 'string' || !item.type || typeof item.value !== 'string') {
      return new ValidationError('exceptionList', 'entries need a non-empty string type and a string value');
    }
  }
  const built = captureDraft(
    { distinctId: message.distinctId, event: '$exception', properties: message.properties },
    base,
    'exception',
    context,
  );
  if (built instanceof ValidationError) return built;
  if (!built.owned) {
    built.properties = { ...built.properties };
    built.owned = true;
  }
  const props = built.properties;
  // The caller's own `$exception_list` in the properties wins, as additional properties do in posthog-node.
  const own = props.$exception_list;
  props.$exception_list = Array.isArray(own) && own.length > 0 ? own : list;
  // Explicit message fields win, then what the caller put in properties, then the default level.
  props.$exception_level = message.level ?? props.$exception_level ?? 'error';
  if (message.fingerprint !== undefined) props.$exception_fingerprint = message.fingerprint;
  built.timestamp = message.timestamp;
  built.uuid = message.uuid;
  built.disableGeoip = message.disableGeoip;
  return built;
}
