/**
 * posthog-ts: PostHog product analytics for Node.js backends.
 *
 * @packageDocumentation
 */
import type { PostHogOptions } from './api/options.js';
import { PostHogClient } from './client/client.js';
import type { AnyFlags, AnyPayloads, FlagSchema } from './flags/client/flag-schema.js';
import { createNodePlatform } from './platform/node.js';

export type { Logger } from './api/logger.js';
export type * from './api/messages.js';
export type { CaptureMode, PostHogOptions, QueueOverflowPolicy } from './api/options.js';
export type * from './api/posthog-node-names.js';
export type {
  CaptureResult,
  ClientSummary,
  DeliveryStats,
  DropReason,
  FlagStats,
  RequestInfo,
} from './api/results.js';
export type { BinaryBody, FetchLike, FetchRequest, FetchResponse } from './api/transport.js';
export { Groups, Properties } from './client/builders.js';
export { PostHogClient, type ThrownCaptureOptions } from './client/client.js';
export { DEFAULTS } from './client/config.js';
export type { PostHogEventMap, PostHogEventName, WildcardListener } from './client/emitter.js';
export { EventClient } from './client/event-client.js';
export type { PostHogContext, WithContextOptions } from './context/context-store.js';
export * from './errors/index.js';
export {
  type ExceptionAutocaptureOptions,
  installExceptionAutocapture,
} from './exceptions/autocapture/index.js';
export { newDefaultException } from './exceptions/default-exception.js';
export type { MechanismType, RootMechanism } from './exceptions/types.js';
export {
  type FileFlagDefinitionCacheOptions,
  fileFlagDefinitionCache,
} from './flags/client/file-definition-cache.js';
export type * from './flags/client/flag-schema.js';
export {
  FeatureFlagError,
  type FeatureFlagErrorKind,
  FeatureFlagEvaluations,
  type FeatureFlagOptions,
  type FlagEvaluationsOf,
  type FlagExplanation,
  type SendFeatureFlagsOption,
  type TypedFeatureFlagEvaluations,
} from './flags/client/index.js';
export type * from './flags/client/types.js';
export type { FlagValue, JsonValue } from './flags/evaluation/types.js';
export { type FlagTypesOptions, flagTypesSource } from './flags/typegen/flag-types-source.js';
export { type ConsoleMethod, instrumentConsole, wrapConsole } from './integrations/console.js';
export {
  setupExpressErrorHandler,
  setupExpressRequestContext,
} from './integrations/express.js';
export type { LogLevel } from './integrations/log-levels.js';
export {
  type LoggerCaptureOptions,
  type LogRecord,
  logFieldsAsProperties,
} from './integrations/logger-capture.js';
export {
  type CookieStore,
  cookieStateToProperties,
  cookieStoreFromHeader,
  getPostHogCookieName,
  type PostHogCookieState,
  parsePostHogCookie,
  readPostHogCookie,
  serializePostHogCookie,
} from './integrations/posthog-cookie.js';
export { uuidv7 } from './utils/uuid.js';
export { VERSION } from './version.js';

/**
 * The PostHog client for Node.js: `new PostHog('phc_…', { host })`.
 *
 * Same constructor and method names as posthog-node; see {@link PostHogClient} for every method.
 * `new PostHog<MyFlags, MyPayloads>(…)` types flag keys, values and payloads (see {@link FlagSchema}).
 */
export class PostHog<F extends FlagSchema<F> = AnyFlags, P = AnyPayloads> extends PostHogClient<F, P> {
  /**
   * `apiKey` is the project API key (`phc_…`); without one the client is disabled and logs why. Throws a
   * `ConfigError` for an unusable option: the one place the client throws.
   */
  constructor(apiKey: string, options?: PostHogOptions) {
    super(apiKey, options, createNodePlatform());
  }
}

/** posthog-node's name for the client's interface: its public members, so a test double can implement it. */
export type IPostHog = { [K in keyof PostHogClient]: PostHogClient[K] };
