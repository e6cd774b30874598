import type {
  AliasMessage,
  EventMessage,
  GroupIdentifyMessage,
  IdentifyMessage,
  OutgoingEventType,
  SetPersonPropertiesMessage,
  TimestampInput,
  UnsetPersonPropertiesMessage,
} from '../api/messages.js';
import type { PostHogContext } from '../context/context-store.js';
import { ValidationError } from '../errors/capture-errors.js';
import {
  asRecord,
  describe,
  groupRecord,
  isObject,
  optionalId,
  props,
  propsRecord,
  requiredId,
} from './input-checks.js';

/**
 * An event before `before_send` and stamping. `properties` is always a fresh object the SDK owns, so later
 * steps may change it without touching the caller's data.
 */
export interface EventDraft {
  type: OutgoingEventType;
  event: string;
  distinctId: string | undefined;
  properties: Record<string, unknown>;
  /**
   * False when `properties` is the caller's own object, passed through uncopied because nothing needs to be
   * merged into it; prepare() then serialises it as is and appends the library properties to the JSON.
   */
  owned: boolean;
  timestamp: TimestampInput | undefined;
  uuid: string | undefined;
  disableGeoip: boolean | undefined;
}

/** Properties every ordinary event starts from (`register()`); request context comes on top of them. */
export interface BaseProperties {
  superProperties: Record<string, unknown> | undefined;
}

type Built = EventDraft | ValidationError;

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export function captureDraft(
  message: EventMessage,
  base: BaseProperties,
  type: OutgoingEventType,
  context: PostHogContext | undefined,
): Built {
  if (!isObject(message))
    return new ValidationError('message', 'must be an object like { distinctId, event }');
  if (typeof message.event !== 'string' || message.event.trim() === '') {
    return new ValidationError('event', `must be a non-empty string (got ${describe(message.event)})`);
  }
  let distinctId = optionalId('distinctId', message.distinctId);
  if (distinctId === undefined) distinctId = optionalId('distinctId', context?.distinctId);
  if (distinctId instanceof ValidationError) return distinctId;
  const own = props('properties', message.properties);
  if (own instanceof ValidationError) return own;
  const groups = groupRecord(message.groups);
  if (groups instanceof ValidationError) return groups;
  const { superProperties } = base;
  if (!superProperties && !context && !groups && distinctId !== undefined) {
    // The hot path: nothing to merge, so no copy; the caller's object is serialised right away, at capture.
    const passThrough = draft(type, message.event, distinctId, own ?? EMPTY, message);
    passThrough.owned = false;
    return passThrough;
  }
  // Merging copies own keys: a Map or an object with toJSON must first become the object its JSON would be.
  const ownRecord = own === undefined ? own : asRecord('properties', own);
  if (ownRecord instanceof ValidationError) return ownRecord;
  const properties: Record<string, unknown> = { ...superProperties, ...context?.properties, ...ownRecord };
  if (context?.sessionId !== undefined && !('$session_id' in properties))
    properties.$session_id = context.sessionId;
  if (groups) properties.$groups = groups;
  return draft(type, message.event, distinctId, properties, message);
}

export function identifyDraft(message: IdentifyMessage): Built {
  if (!isObject(message))
    return new ValidationError('message', 'must be an object like { distinctId, properties }');
  const distinctId = requiredId('distinctId', message.distinctId);
  if (distinctId instanceof ValidationError) return distinctId;
  const own = propsRecord('properties', message.properties);
  if (own instanceof ValidationError) return own;
  const { $set, $set_once, $anon_distinct_id, ...rest } = own ?? {};
  // A falsy $set / $set_once reads as none, as in posthog-node: the other properties are the ones to set.
  const properties: Record<string, unknown> = {
    $set: $set || rest,
    $set_once: $set_once || {},
  };
  // posthog-node leaves a null anonymous id out too: there is nothing to merge.
  if ($anon_distinct_id !== undefined && $anon_distinct_id !== null)
    properties.$anon_distinct_id = $anon_distinct_id;
  return draft('identify', '$identify', distinctId, properties, message);
}

export function aliasDraft(message: AliasMessage): Built {
  if (!isObject(message))
    return new ValidationError('message', 'must be an object like { distinctId, alias }');
  const distinctId = requiredId('distinctId', message.distinctId);
  if (distinctId instanceof ValidationError) return distinctId;
  const alias = requiredId('alias', message.alias);
  if (alias instanceof ValidationError) return alias;
  return draft('alias', '$create_alias', distinctId, { distinct_id: distinctId, alias }, message);
}

export function groupIdentifyDraft(message: GroupIdentifyMessage): Built {
  if (!isObject(message))
    return new ValidationError('message', 'must be an object like { groupType, groupKey }');
  if (typeof message.groupType !== 'string' || message.groupType.trim() === '') {
    return new ValidationError(
      'groupType',
      `must be a non-empty string (got ${describe(message.groupType)})`,
    );
  }
  const groupKey = requiredId('groupKey', message.groupKey);
  if (groupKey instanceof ValidationError) return groupKey;
  const own = propsRecord('properties', message.properties);
  if (own instanceof ValidationError) return own;
  const distinctId = optionalId('distinctId', message.distinctId);
  if (distinctId instanceof ValidationError) return distinctId;
  const properties = { $group_type: message.groupType, $group_key: groupKey, $group_set: { ...own } };
  return draft(
    'groupIdentify',
    '$groupidentify',
    distinctId ?? `$${message.groupType}_${groupKey}`,
    properties,
    message,
  );
}

/**
 * The `$set` event of `setPersonProperties`, as a capture message: it then takes super properties and the request
 * context like any captured event, as posthog-node's (which calls `capture()`) does.
 */
export function setPersonPropertiesMessage(
  message: SetPersonPropertiesMessage,
): EventMessage | ValidationError {
  if (!isObject(message))
    return new ValidationError('message', 'must be an object like { distinctId, properties }');
  const distinctId = requiredId('distinctId', message.distinctId);
  if (distinctId instanceof ValidationError) return distinctId;
  const set = propsRecord('properties', message.properties);
  if (set instanceof ValidationError) return set;
  const once = propsRecord('propertiesOnce', message.propertiesOnce);
  if (once instanceof ValidationError) return once;
  const properties: Record<string, unknown> = {};
  if (set && Object.keys(set).length) properties.$set = { ...set };
  if (once && Object.keys(once).length) properties.$set_once = { ...once };
  if (!properties.$set && !properties.$set_once)
    return new ValidationError('properties', 'are empty; nothing to set');
  return { distinctId, event: '$set', properties };
}

/** The `$set` event with `$unset` of `unsetPersonProperties`, as a capture message (see above). */
export function unsetPersonPropertiesMessage(
  message: UnsetPersonPropertiesMessage,
): EventMessage | ValidationError {
  if (!isObject(message))
    return new ValidationError('message', 'must be an object like { distinctId, properties }');
  const distinctId = requiredId('distinctId', message.distinctId);
  if (distinctId instanceof ValidationError) return distinctId;
  const list = typeof message.properties === 'string' ? [message.properties] : message.properties;
  if (!Array.isArray(list))
    return new ValidationError('properties', 'must be a property name or an array of them');
  const names = list.filter((name): name is string => typeof name === 'string' && name.trim() !== '');
  if (names.length === 0) return new ValidationError('properties', 'name no property to unset');
  return { distinctId, event: '$set', properties: { $unset: names } };
}

function draft(
  type: OutgoingEventType,
  event: string,
  distinctId: string | undefined,
  properties: Record<string, unknown>,
  message: {
    timestamp?: TimestampInput | undefined;
    uuid?: string | undefined;
    disableGeoip?: boolean | undefined;
  },
): EventDraft {
  return {
    type,
    event,
    distinctId,
    properties,
    owned: true,
    timestamp: message.timestamp,
    uuid: message.uuid,
    disableGeoip: message.disableGeoip,
  };
}
