import type { Groups, Properties } from '../client/builders.js';
import type { SendFeatureFlagsOption } from '../flags/client/controller.js';
import type { FeatureFlagEvaluations } from '../flags/client/snapshot.js';

/**
 * A snapshot from `evaluateFlags()`, as the calls that take one read it: by its `eventProperties()`. A typed client's
 * snapshot fits as an untyped one does.
 */
export type FlagSnapshot = Pick<FeatureFlagEvaluations, 'eventProperties'>;

/** Event or person properties: a plain object or a {@link Properties} builder. */
export type PropertiesInput = Readonly<Record<string, unknown>> | Properties;

/** Groups an event belongs to, `{ groupType: groupKey }`: a plain object or a {@link Groups} builder. */
export type GroupsInput = Readonly<Record<string, string | number>> | Groups;

/** When an event happened: a `Date`, an ISO-8601 string (any offset; sent in UTC) or epoch milliseconds. */
export type TimestampInput = Date | string | number;

/** An ordinary event, as passed to `capture()`. */
export interface EventMessage {
  /** Who did it. Without one the event is personless: a generated id and `$process_person_profile: false`. */
  distinctId?: string | number | undefined;
  /** The event name, e.g. `user signed up`. */
  event: string;
  /** Event properties. `$set` / `$set_once` objects update the person. */
  properties?: PropertiesInput | undefined;
  /** Groups the event belongs to; sent as `$groups`. */
  groups?: GroupsInput | undefined;
  /** When it happened. Default: now. */
  timestamp?: TimestampInput | undefined;
  /** The event's UUID. A valid caller UUID is kept; otherwise a UUIDv7 is assigned. */
  uuid?: string | undefined;
  /** Override the client's `disableGeoip` for this event. */
  disableGeoip?: boolean | undefined;
  /**
   * A snapshot from `evaluateFlags()`: adds `$feature/<key>` for its flags and the sorted `$active_feature_flags`,
   * the exact values the code branched on, with no network call. The event's own properties win. Typed as the one
   * method it reads, so that a typed client's snapshot (`TypedFeatureFlagEvaluations`) fits too.
   */
  flags?: FlagSnapshot | undefined;
  /**
   * Evaluate flags for this event and add them as `$feature/<key>` / `$active_feature_flags`: from local
   * definitions when they answer, otherwise with one `/flags` call before the event is queued (never with
   * `onlyEvaluateLocally`). Prefer `flags` with a snapshot.
   */
  sendFeatureFlags?: SendFeatureFlagsOption | undefined;
}

/** `identify()`: sets person properties with a `$identify` event. */
export interface IdentifyMessage {
  /** The person whose properties are set, usually your user id. */
  distinctId: string | number;
  /** Person properties. `$set` / `$set_once` keys are used as given; otherwise all of them go to `$set`. */
  properties?: PropertiesInput | undefined;
  /** When it happened. Default: now. */
  timestamp?: TimestampInput | undefined;
  /** The event's UUID. A valid caller UUID is kept; otherwise a UUIDv7 is assigned. */
  uuid?: string | undefined;
  /** Override the client's `disableGeoip` for this event. */
  disableGeoip?: boolean | undefined;
}

/** `alias()`: links `alias` to `distinctId` with a `$create_alias` event. */
export interface AliasMessage {
  /** The person's distinct id, e.g. your user id after sign-up. */
  distinctId: string | number;
  /**
   * Another id of the same person, e.g. the anonymous id used before sign-up; events under either id then
   * belong to one person.
   */
  alias: string | number;
  /** When it happened. Default: now. */
  timestamp?: TimestampInput | undefined;
  /** The event's UUID. A valid caller UUID is kept; otherwise a UUIDv7 is assigned. */
  uuid?: string | undefined;
  /** Override the client's `disableGeoip` for this event. */
  disableGeoip?: boolean | undefined;
}

/** `groupIdentify()`: sets a group's properties with a `$groupidentify` event. */
export interface GroupIdentifyMessage {
  /** The group type, e.g. `company`. */
  groupType: string;
  /** The group's key, e.g. its id in your database. */
  groupKey: string | number;
  /** Group properties; `name` is shown as the group's name in PostHog. */
  properties?: PropertiesInput | undefined;
  /** Who set them. Default: `$<groupType>_<groupKey>`. */
  distinctId?: string | number | undefined;
  /** When it happened. Default: now. */
  timestamp?: TimestampInput | undefined;
  /** The event's UUID. A valid caller UUID is kept; otherwise a UUIDv7 is assigned. */
  uuid?: string | undefined;
  /** Override the client's `disableGeoip` for this event. */
  disableGeoip?: boolean | undefined;
}

/** `setPersonProperties()`: a `$set` event. */
export interface SetPersonPropertiesMessage {
  /** The person whose properties are set. */
  distinctId: string | number;
  /** Sent as `$set`. */
  properties?: PropertiesInput | undefined;
  /** Sent as `$set_once`. */
  propertiesOnce?: PropertiesInput | undefined;
}

/** `unsetPersonProperties()`: a `$set` event with `$unset`. */
export interface UnsetPersonPropertiesMessage {
  /** The person whose properties are removed. */
  distinctId: string | number;
  /** The person property names to remove. */
  properties: string | readonly string[];
}

/** One stack frame of an exception, as PostHog error tracking reads it. */
export interface ExceptionFrame {
  /**
   * The file's path. On Node, files under the working directory get a path relative to it, so frames match
   * across machines that deploy to different directories; `node:…` for Node internals.
   */
  filename?: string;
  /** The function's name, `?` for an anonymous one. */
  function?: string;
  /** 1-based line number. */
  lineno?: number;
  /** 1-based column number. */
  colno?: number;
  /** Whether the file is the application's own code, not a dependency or Node's; PostHog highlights these. */
  in_app?: boolean;
  /** The runtime that produced the frame: `node:javascript` for frames parsed by this SDK. */
  platform?: string;
  /** The dotted module name PostHog shows next to the frame, e.g. `pkg.sub:file` for a dependency. */
  module?: string;
  /** The source line the frame points at, when the file could be read. */
  context_line?: string;
  /** The source lines before `context_line` (the SDK reads up to 7). */
  pre_context?: string[];
  /** The source lines after `context_line` (the SDK reads up to 7). */
  post_context?: string[];
  [key: string]: unknown;
}

/** One entry of `$exception_list`. */
export interface ExceptionItem {
  /** The error type, shown as the title. */
  type: string;
  /** The error message, shown as the description. */
  value: string;
  /**
   * How the exception reached the SDK (see {@link MechanismType}); `handled: false` marks a crash rather than
   * a reported error, and `synthetic: true` a type, message or stack the SDK made up.
   */
  mechanism?: { type?: string; handled?: boolean; synthetic?: boolean; [key: string]: unknown };
  /** The stack, outermost caller first and the throwing frame last; absent when there is none. */
  stacktrace?: { type: 'raw'; frames: ExceptionFrame[] };
}

/** An exception event: `$exception` with `$exception_list`. */
export interface ExceptionMessage {
  /** Who hit it. Default: the request context's (`withContext`); without either the event is personless. */
  distinctId?: string | number | undefined;
  /** Root exception first, then its causes. Must not be empty. */
  exceptionList: readonly ExceptionItem[];
  /** Groups issues together; PostHog fingerprints server-side when absent. */
  fingerprint?: string | undefined;
  /** `$exception_level`. Default `error`. */
  level?: string | undefined;
  /** More event properties. A non-empty `$exception_list` array here wins over `exceptionList`. */
  properties?: PropertiesInput | undefined;
  /** When it happened. Default: now. */
  timestamp?: TimestampInput | undefined;
  /** The event's UUID. A valid caller UUID is kept; otherwise a UUIDv7 is assigned. */
  uuid?: string | undefined;
  /** Override the client's `disableGeoip` for this event. */
  disableGeoip?: boolean | undefined;
}

/**
 * A message for `enqueue()`, the Go SDK's call style: the `type` field says which kind it is.
 */
export type Message =
  | ({ type: 'capture' } & EventMessage)
  | ({ type: 'identify' } & IdentifyMessage)
  | ({ type: 'alias' } & AliasMessage)
  | ({ type: 'groupIdentify' } & GroupIdentifyMessage)
  | ({ type: 'exception' } & ExceptionMessage);

/** Which call produced an outgoing event. */
export type OutgoingEventType = 'capture' | 'identify' | 'alias' | 'groupIdentify' | 'exception' | 'ai';

/**
 * An event on its way out, as `before_send` hooks and `on('capture')` listeners see it. Hooks may change any
 * field; `$lib`, `$lib_version`, `$is_server` and `$geoip_disable` are stamped after the hooks run.
 */
export interface OutgoingEvent {
  /** Which call produced the event (`capture`, `identify`, …); hooks cannot change it. */
  readonly type: OutgoingEventType;
  /** The event name: the one given to `capture()`, or `$identify`, `$exception`, … */
  event: string;
  /** Who did it: the caller's id as a string, or the generated id of a personless event. */
  distinctId: string;
  /** Every property sent, super and context properties merged in. */
  properties: Record<string, unknown>;
  /** ISO-8601 in UTC. */
  timestamp: string;
  /**
   * The event's uuid. A hook that sets another valid UUID sends the event under it, and `capture()` returns it;
   * an invalid one is replaced by a new UUIDv7.
   */
  uuid: string;
}

/**
 * What a `before_send` hook returns to send the event: the event it was given (changed or not), or a new object,
 * an {@link EventMessage} included (so a hook typed `(e: EventMessage) => EventMessage | null`, as written for
 * posthog-node, fits). Every field but `event` may be left out (it keeps its value).
 */
export interface BeforeSendResult {
  /** The event name to send; the one field a hook must return. */
  event: string;
  /** Left out: the event's. A number is sent as its string. */
  distinctId?: string | number | undefined;
  /** Left out: the event's. A plain object or a {@link Properties} builder. */
  properties?: PropertiesInput | undefined;
  /** ISO-8601 (any offset; sent in UTC), a Date or epoch ms. */
  timestamp?: TimestampInput | undefined;
  /** Left out: the event's. */
  uuid?: string | undefined;
}

/** A `before_send` hook: return the event (changed or not) to send it, or `null` (any falsy value) to drop it. */
export type BeforeSendFn = (event: OutgoingEvent) => BeforeSendResult | null | undefined | false;
