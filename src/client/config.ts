import type { Logger } from '../api/logger.js';
import type { BeforeSendFn } from '../api/messages.js';
import type { CaptureMode, PostHogOptions } from '../api/options.js';
import type { FetchLike } from '../api/transport.js';
import { ConfigError } from '../errors/config-error.js';
import type { PipelineSettings } from '../queue/pipeline.js';
import type { SenderSettings } from '../transport/sender.js';

/** Every option resolved to its value, with defaults applied. */
export interface ResolvedConfig extends PipelineSettings, Omit<SenderSettings, 'apiKey'> {
  captureMode: CaptureMode;
  isServer: boolean;
  disableGeoip: boolean;
  disabled: boolean;
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
  disableGeoip: true,
  isServer: true,
  historicalMigration: false,
  captureMode: 'v0',
  disabled: false,
  featureFlagsPollingInterval: 30_000,
  featureFlagsRequestTimeoutMs: 3000,
  sendFeatureFlagEvent: true,
  enableExceptionAutocapture: false,
  exceptionRateLimiterBucketSize: 10,
  exceptionRateLimiterRefillRate: 1,
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
    host: host(o.host),
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
    disableCompression: bool(o, 'disableCompression', DEFAULTS.disableCompression),
    disableGeoip: bool(o, 'disableGeoip', DEFAULTS.disableGeoip),
    isServer: bool(o, 'isServer', DEFAULTS.isServer),
    historicalMigration: bool(o, 'historicalMigration', DEFAULTS.historicalMigration),
    captureMode: oneOf(o, 'captureMode', DEFAULTS.captureMode, ['v0', 'v1']),
    disabled: bool(o, 'disabled', DEFAULTS.disabled),
    beforeSend: hooks(o.before_send),
    fetch: fn(o, 'fetch') as FetchLike | undefined,
    logger: logger(o.logger),
    secretKey,
    featureFlagsPollingInterval: integer(
      o,
      'featureFlagsPollingInterval',
      DEFAULTS.featureFlagsPollingInterval,
      0,
    ),
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
  };
}

type Key = keyof PostHogOptions;

function integer(o: PostHogOptions, key: Key, fallback: number, min: number): number {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ConfigError(key, 'must be an integer', value);
  }
  if (value < min) throw new ConfigError(key, `must be at least ${min}`, value);
  return value;
}

function bool(o: PostHogOptions, key: Key, fallback: boolean): boolean {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(key, 'must be true or false', value);
  return value;
}

function oneOf<T extends string>(o: PostHogOptions, key: Key, fallback: T, allowed: readonly T[]): T {
  const value = o[key];
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw new ConfigError(key, `must be one of ${allowed.join(', ')}`, value);
  return value as T;
}

function fn(o: PostHogOptions, key: Key): unknown {
  const value = o[key];
  if (value !== undefined && typeof value !== 'function')
    throw new ConfigError(key, 'must be a function', value);
  return value;
}

function host(value: unknown): string {
  if (value === undefined) return DEFAULTS.host;
  if (typeof value !== 'string') throw new ConfigError('host', 'must be a string URL', value);
  const trimmed = value.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ConfigError('host', 'must be an absolute http(s) URL, e.g. https://us.i.posthog.com', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('host', 'must use http or https', value);
  }
  return trimmed;
}

function secret(o: PostHogOptions): string | undefined {
  for (const key of ['secretKey', 'personalApiKey'] as const) {
    const value = o[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ConfigError(key, 'must be a string', value);
    const trimmed = value.trim();
    if (trimmed.startsWith('phc_')) {
      throw new ConfigError(
        key,
        'is a project API key (phc_…); give a project secret key (phs_…) or a personal API key (phx_…)',
        value,
      );
    }
    if (trimmed) return trimmed;
  }
  return undefined;
}

function hooks(value: unknown): readonly BeforeSendFn[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const hook of list) {
    if (typeof hook !== 'function')
      throw new ConfigError('before_send', 'must be a function or an array of functions', value);
  }
  return list as BeforeSendFn[];
}

function logger(value: unknown): Logger | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Record<string, unknown>;
  for (const level of ['debug', 'info', 'warn', 'error']) {
    if (typeof candidate?.[level] !== 'function') {
      throw new ConfigError(
        'logger',
        `must have debug, info, warn and error methods (missing ${level})`,
        value,
      );
    }
  }
  return value as Logger;
}
