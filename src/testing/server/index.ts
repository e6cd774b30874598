/**
 * A local PostHog-compatible server for tests, demos and benchmarks: it speaks PostHog's capture and
 * feature-flag wire protocol on the loopback interface, records what it receives, and can be scripted to
 * answer slowly, fail, or drop connections.
 *
 * @packageDocumentation
 */

export type { FlagsResponder } from './flag-state.js';
export { LocalPostHog, startLocalPostHog } from './local-posthog.js';
export type {
  BodyEncoding,
  FaultOptions,
  FlagsRequest,
  FlagsRequestBody,
  LocalPostHogCounts,
  LocalPostHogOptions,
  ReceivedEvent,
  ReceivedRequest,
  ReceivedRoute,
  RouteGroup,
  ScriptedResponse,
  V1Result,
} from './types.js';
