/** How an exception reached the SDK; PostHog shows it and uses `handled` to tell crashes from reported errors. */
export type MechanismType =
  | 'generic'
  | 'onuncaughtexception'
  | 'onunhandledrejection'
  | 'middleware'
  | 'chained';

/** Where a chained exception came from: an `Error.cause`, or a member of an `AggregateError`. */
export type ChainSource = 'cause' | 'member';

/**
 * The mechanism the caller gives for the root exception: `{ type: 'generic', handled: true }` for an explicit
 * `captureException`, `handled: false` with `onuncaughtexception` / `onunhandledrejection` for autocapture, and
 * `{ type: 'middleware', handled: false }` for framework error handlers.
 */
export interface RootMechanism {
  /** How the exception reached the SDK; `chained` is for causes only, which the SDK marks itself. */
  type: Exclude<MechanismType, 'chained'>;
  /** `false` for an exception the application did not catch, so PostHog can tell crashes from reports. */
  handled: boolean;
}

/** `mechanism` as written on each `$exception_list` entry. */
export interface ExceptionMechanism {
  type: MechanismType;
  /** Only on the root entry: a chained exception was handled or not together with its root. */
  handled?: boolean;
  /** True when the SDK made up the type, message or stack rather than reading them from a real `Error`. */
  synthetic: boolean;
  /** Position in the list; the root is 0. */
  exception_id: number;
  /** `exception_id` of the entry this one hangs off; absent on the root. */
  parent_id?: number;
  /** Absent on the root. */
  source?: ChainSource;
  [key: string]: unknown;
}
