import type { Logger } from '../api/logger.js';
import type { BeforeSendFn } from '../api/messages.js';
import type { CaptureMode, PostHogOptions } from '../api/options.js';
import type { FetchLike } from '../api/transport.js';
import { ConfigError } from '../errors/config-error.js';
import type { PipelineSettings } from '../queue/pipeline.js';
import type { SenderSettings } from '../transport/sender.js';
import {
  bool,
  cookieOption,
  delay,
  fn,
  hooks,
  host,
  integer,
  logger,
  oneOf,
  secret,
} from './option-checks.js';

/** Every option resolved to its value, with defaults applied. */
export interface ResolvedConfig extends PipelineSettings, Omit<SenderSettings, 'apiKey'> {
  captureMode: CaptureMode;
  isServer: boolean;
  disableGeoip: boolean;
  disabled: boolean;
  offline: boolean;
  redactAiBase64: boolean;
  beforeSend: readonly BeforeSendFn[];
  fetch: FetchLike | undefined;
  logger: Logger | undefined;
  secretKey: string | undefined;
  featureFlagsPollingInterval: number;
  featureFlagsRequestTimeoutMs: number;
  sendFeatureFlagEvent: boolean;
  enableExceptionAutocapture: boolean;
  exceptionRateLimiterBucketSize: number;
  exceptionRateLimiterRefillRate: number;
  defaultOptIn: boolean;
  waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  waitUntilDebounceMs: number;
  waitUntilMaxWaitMs: number;
  readPostHogCookie: PostHogOptions['readPostHogCookie'];
}

/** The defaults, in one place so the README table and the code cannot drift (a test compares them). */
export const DEFAULTS = {
  host: 'https://us.i.posthog.com',
  flushAt: 20,
  flushInterval: 5000,
  maxBatchSize: 100,
  maxBatchBytes: 5_000_000,
  maxQueueSize: 10_000,
  maxQueueBytes: 100_000_000,
  queueOverflow: 'drop-newest',
  compressQueueAboveBytes: 8_000_000,
  maxConcurrentRequests: 4,
  requestTimeout: 10_000,
  fetchRetryCount: 10,
  fetchRetryDelay: 500,
  fetchRetryMaxDelay: 10_000,
  maxRetryDuration: 120_000,
  disableCompression: false,
  compressionLevel: 1,
  disableGeoip: true,
  isServer: true,
  historicalMigration: false,
  captureMode: 'v0',
  disabled: false,
  offline: false,
  redactAiBase64: true,
  featureFlagsPollingInterval: 30_000,
  featureFlagsRequestTimeoutMs: 3000,
  sendFeatureFlagEvent: true,
  enableExceptionAutocapture: false,
  exceptionRateLimiterBucketSize: 10,
  exceptionRateLimiterRefillRate: 1,
  defaultOptIn: true,
  waitUntilDebounceMs: 50,
  waitUntilMaxWaitMs: 500,
} as const satisfies Partial<ResolvedConfig>;

/**
 * Validates `options` and applies defaults. Throws {@link ConfigError} naming the option for anything the
 * client could not work with; this is the only place the SDK throws.
 */
export function resolveConfig(options: PostHogOptions | undefined): ResolvedConfig {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ConfigError('options', 'must be an object', options);
  }
  const o: PostHogOptions = options ?? {};
  const flushAt = integer(o, 'flushAt', DEFAULTS.flushAt, 1);
  const secretKey = secret(o);
  return {
    host: host(o.host, DEFAULTS.host),
    flushAt,
    flushInterval: integer(o, 'flushInterval', DEFAULTS.flushInterval, 0),
    maxBatchSize: Math.max(flushAt, integer(o, 'maxBatchSize', DEFAULTS.maxBatchSize, 1)),
    maxBatchBytes: integer(o, 'maxBatchBytes', DEFAULTS.maxBatchBytes, 1024),
    maxQueueSize: integer(o, 'maxQueueSize', DEFAULTS.maxQueueSize, 1),
    maxQueueBytes: integer(o, 'maxQueueBytes', DEFAULTS.maxQueueBytes, 1024),
    queueOverflow: oneOf(o, 'queueOverflow', DEFAULTS.queueOverflow, ['drop-newest', 'drop-oldest']),
    compressQueueAboveBytes:
      o.compressQueueAboveBytes === false
        ? false
        : integer(o, 'compressQueueAboveBytes', DEFAULTS.compressQueueAboveBytes, 0),
    maxConcurrentRequests: integer(o, 'maxConcurrentRequests', DEFAULTS.maxConcurrentRequests, 1),
    requestTimeout: integer(o, 'requestTimeout', DEFAULTS.requestTimeout, 1),
    fetchRetryCount: integer(o, 'fetchRetryCount', DEFAULTS.fetchRetryCount, 0),
    fetchRetryDelay: integer(o, 'fetchRetryDelay', DEFAULTS.fetchRetryDelay, 0),
    fetchRetryMaxDelay: integer(o, 'fetchRetryMaxDelay', DEFAULTS.fetchRetryMaxDelay, 0),
    maxRetryDuration: integer(o, 'maxRetryDuration', DEFAULTS.maxRetryDuration, 0),
    // Offline bodies go to the logger, which reads them as text.
    disableCompression:
      bool(o, 'disableCompression', DEFAULTS.disableCompression) || bool(o, 'offline', DEFAULTS.offline),
    compressionLevel: integer(o, 'compressionLevel', DEFAULTS.compressionLevel, 1, 9),
    disableGeoip: bool(o, 'disableGeoip', DEFAULTS.disableGeoip),
    isServer: bool(o, 'isServer', DEFAULTS.isServer),
    historicalMigration: bool(o, 'historicalMigration', DEFAULTS.historicalMigration),
    captureMode: oneOf(o, 'captureMode', DEFAULTS.captureMode, ['v0', 'v1']),
    disabled: bool(o, 'disabled', DEFAULTS.disabled),
    offline: bool(o, 'offline', DEFAULTS.offline),
    redactAiBase64: bool(o, 'redactAiBase64', DEFAULTS.redactAiBase64),
    beforeSend: hooks(o.before_send),
    fetch: fn(o, 'fetch') as FetchLike | undefined,
    logger: logger(o.logger),
    secretKey,
    featureFlagsPollingInterval:
      o.featureFlagsPollingInterval === null
        ? 0
        : integer(o, 'featureFlagsPollingInterval', DEFAULTS.featureFlagsPollingInterval, 0),
    featureFlagsRequestTimeoutMs: integer(
      o,
      'featureFlagsRequestTimeoutMs',
      DEFAULTS.featureFlagsRequestTimeoutMs,
      1,
    ),
    sendFeatureFlagEvent: bool(o, 'sendFeatureFlagEvent', DEFAULTS.sendFeatureFlagEvent),
    enableExceptionAutocapture: bool(o, 'enableExceptionAutocapture', DEFAULTS.enableExceptionAutocapture),
    exceptionRateLimiterBucketSize: integer(
      o,
      'exceptionRateLimiterBucketSize',
      DEFAULTS.exceptionRateLimiterBucketSize,
      1,
    ),
    exceptionRateLimiterRefillRate: integer(
      o,
      'exceptionRateLimiterRefillRate',
      DEFAULTS.exceptionRateLimiterRefillRate,
      0,
    ),
    defaultOptIn: bool(o, 'defaultOptIn', DEFAULTS.defaultOptIn),
    waitUntil: fn(o, 'waitUntil') as ResolvedConfig['waitUntil'],
    // Clamped, not refused, as posthog-node does: any number is a usable delay.
    waitUntilDebounceMs: delay(o, 'waitUntilDebounceMs', DEFAULTS.waitUntilDebounceMs),
    waitUntilMaxWaitMs: delay(o, 'waitUntilMaxWaitMs', DEFAULTS.waitUntilMaxWaitMs),
    readPostHogCookie: cookieOption(o.readPostHogCookie),
  };
}
