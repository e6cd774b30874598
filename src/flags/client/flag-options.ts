import { ConfigError } from '../../errors/config-error.js';
import type { FlagDefinitionCacheProvider } from './types.js';

/** Feature-flag options of the client, on top of `featureFlagsPollingInterval` and friends. */
export interface FeatureFlagOptions {
  /**
   * Never fall back to `/flags`: flags that cannot be decided from local definitions are `undefined`. This is
   * the default of every call's `onlyEvaluateLocally`. Default `false`.
   */
  strictLocalEvaluation?: boolean | undefined;
  /**
   * Poll flag definitions and evaluate locally when a `secretKey`, a `flagDefinitionCacheProvider` or
   * `flagDefinitions` is given. `false` sends every flag call to `/flags`. Default `true`.
   */
  enableLocalEvaluation?: boolean | undefined;
  /** Shares definitions between processes; see {@link FlagDefinitionCacheProvider}. */
  flagDefinitionCacheProvider?: FlagDefinitionCacheProvider | undefined;
  /**
   * Bootstrap definitions, used until the first successful fetch (or for good, without a `secretKey`): a
   * definitions body (`{ flags, group_type_mapping, cohorts }`), or on Node the path of a JSON file holding
   * one, read once at start. For offline use and serverless cold starts.
   */
  flagDefinitions?: object | string | undefined;
  /** Retries of a `/flags` request, on network errors (not connection refused) and 502/504. Default `1`. */
  featureFlagsRequestMaxRetries?: number | undefined;
  /** Distinct ids remembered to send `$feature_flag_called` once per (flag, value, groups). Default `50000`. */
  maxCacheSize?: number | undefined;
  /** Keep only flags tagged with one of these evaluation contexts (or untagged), and send them to `/flags`. */
  evaluationContexts?: readonly string[] | undefined;
  /**
   * The former name of {@link FeatureFlagOptions.evaluationContexts}, as in posthog-node: same effect, and
   * `evaluationContexts` wins when both are given. Logs a deprecation warning once.
   * @deprecated Use `evaluationContexts`.
   */
  evaluationEnvironments?: readonly string[] | undefined;
  /** Warn about `only()` keys that are not in a snapshot and empty `onlyAccessed()` slices. Default `true`. */
  featureFlagsLogWarnings?: boolean | undefined;
  /**
   * How long a `getRemoteConfigPayload()` answer is reused, in ms: calls for the same key within it make no request
   * (concurrent calls share one), and a failed refresh gives the last answer. `0` remembers nothing, as in
   * posthog-node: each call asks PostHog, sharing only a request for the same key still in flight. Default `30000`,
   * the staleness of polled flag definitions.
   */
  remoteConfigCacheTtlMs?: number | undefined;
}

/** The client options the flag layer reads besides {@link FeatureFlagOptions} (already validated by the client). */
export interface FlagBaseOptions {
  /** Definitions polling interval in ms; `0` loads once. Default `30000`. */
  featureFlagsPollingInterval?: number | null | undefined;
  /** Timeout of one `/flags` call, retries included, in ms. Default `3000`. */
  featureFlagsRequestTimeoutMs?: number | undefined;
  /** Default of `sendFeatureFlagEvents`. Default `true`. */
  sendFeatureFlagEvent?: boolean | undefined;
  /** Timeout of a definitions or remote-config request, in ms. Default `10000`. */
  requestTimeout?: number | undefined;
  /** The client's `offline` option: no flag request at all. Default `false`. */
  offline?: boolean | undefined;
}

/** Every flag option resolved, with defaults applied. */
export interface ResolvedFlagOptions {
  /** See {@link FeatureFlagOptions.strictLocalEvaluation}. */
  readonly strictLocalEvaluation: boolean;
  /** See {@link FeatureFlagOptions.enableLocalEvaluation}. */
  readonly enableLocalEvaluation: boolean;
  /** See {@link FeatureFlagOptions.flagDefinitionCacheProvider}. */
  readonly flagDefinitionCacheProvider: FlagDefinitionCacheProvider | undefined;
  /** See {@link FeatureFlagOptions.flagDefinitions}. */
  readonly flagDefinitions: object | string | undefined;
  /** See {@link FeatureFlagOptions.featureFlagsRequestMaxRetries}. */
  readonly featureFlagsRequestMaxRetries: number;
  /** See {@link FeatureFlagOptions.maxCacheSize}. */
  readonly maxCacheSize: number;
  /** See {@link FeatureFlagOptions.evaluationContexts} (or its deprecated alias `evaluationEnvironments`). */
  readonly evaluationContexts: readonly string[] | undefined;
  /** See {@link FeatureFlagOptions.featureFlagsLogWarnings}. */
  readonly featureFlagsLogWarnings: boolean;
  /** See {@link FeatureFlagOptions.remoteConfigCacheTtlMs}. */
  readonly remoteConfigCacheTtlMs: number;
  /** The client's `offline`: definitions only from bootstrap, cache provider and overrides; no flag request. */
  readonly offline: boolean;
  /**
   * `geoip_disable` of `/flags` requests without a per-call `disableGeoip`: the client's `disableGeoip` when it
   * was given, else false (GeoIP on flag calls is the server's default; events default to no GeoIP).
   */
  readonly flagsGeoipDisable: boolean;
  /** Polling interval in ms (at least 100), or 0 to load once. */
  readonly pollingInterval: number;
  /** `/flags` timeout in ms. */
  readonly requestTimeoutMs: number;
  /** Definitions and remote-config timeout in ms. */
  readonly definitionsTimeoutMs: number;
  /** Client default of `sendFeatureFlagEvents`. */
  readonly sendFeatureFlagEvent: boolean;
  /** Warnings about deprecated options that were given, logged once when the controller is created. */
  readonly deprecationWarnings: readonly string[];
}

/** Defaults of the flag options. */
export const FLAG_DEFAULTS = {
  strictLocalEvaluation: false,
  enableLocalEvaluation: true,
  featureFlagsRequestMaxRetries: 1,
  maxCacheSize: 50_000,
  featureFlagsLogWarnings: true,
  featureFlagsPollingInterval: 30_000,
  featureFlagsRequestTimeoutMs: 3000,
  requestTimeout: 10_000,
  sendFeatureFlagEvent: true,
  remoteConfigCacheTtlMs: 30_000,
} as const;

/** Polling faster than this only loads the server; posthog-node clamps the same way. */
const MIN_POLLING_INTERVAL = 100;

type AllOptions = FeatureFlagOptions & FlagBaseOptions;

/**
 * Validates the flag options and applies defaults. Throws {@link ConfigError} naming the option at fault.
 * Accepts the whole client options object; unrelated keys are ignored.
 */
export function resolveFlagOptions(options: AllOptions | undefined): ResolvedFlagOptions {
  const o: AllOptions = options ?? {};
  const offline = bool(o, 'offline', false);
  const provider = o.flagDefinitionCacheProvider;
  if (provider !== undefined) {
    for (const method of [
      'getFlagDefinitions',
      'shouldFetchFlagDefinitions',
      'onFlagDefinitionsReceived',
      'shutdown',
    ] as const) {
      if (typeof (provider as unknown as Record<string, unknown>)?.[method] !== 'function') {
        throw new ConfigError('flagDefinitionCacheProvider', `must have a ${method}() method`, provider);
      }
    }
  }
  const defs = o.flagDefinitions;
  if (defs !== undefined && typeof defs !== 'string' && (typeof defs !== 'object' || defs === null)) {
    throw new ConfigError('flagDefinitions', 'must be a definitions object or a JSON file path', defs);
  }
  if (typeof defs === 'string' && defs.trim() === '') {
    throw new ConfigError('flagDefinitions', 'must not be an empty path', defs);
  }
  const contexts = strings(o, 'evaluationContexts');
  const environments = strings(o, 'evaluationEnvironments');
  // Resolving runs before the client has a logger: the warning travels with the options to the controller.
  const deprecationWarnings: string[] = [];
  if (environments !== undefined) {
    deprecationWarnings.push(
      contexts === undefined
        ? 'evaluationEnvironments is deprecated; use evaluationContexts instead'
        : 'evaluationEnvironments is deprecated and ignored because evaluationContexts is also set',
    );
  }
  const chosen = contexts ?? environments;
  // `null` is posthog-node's way to turn polling off: definitions load once, as with 0.
  const interval =
    o.featureFlagsPollingInterval === null
      ? 0
      : integer(o, 'featureFlagsPollingInterval', FLAG_DEFAULTS.featureFlagsPollingInterval, 0);
  return {
    strictLocalEvaluation: offline || bool(o, 'strictLocalEvaluation', FLAG_DEFAULTS.strictLocalEvaluation),
    enableLocalEvaluation: bool(o, 'enableLocalEvaluation', FLAG_DEFAULTS.enableLocalEvaluation),
    flagDefinitionCacheProvider: provider,
    flagDefinitions: defs,
    featureFlagsRequestMaxRetries: integer(
      o,
      'featureFlagsRequestMaxRetries',
      FLAG_DEFAULTS.featureFlagsRequestMaxRetries,
      0,
    ),
    maxCacheSize: integer(o, 'maxCacheSize', FLAG_DEFAULTS.maxCacheSize, 1),
    evaluationContexts: chosen === undefined || chosen.length === 0 ? undefined : [...chosen],
    featureFlagsLogWarnings: bool(o, 'featureFlagsLogWarnings', FLAG_DEFAULTS.featureFlagsLogWarnings),
    offline,
    remoteConfigCacheTtlMs: integer(o, 'remoteConfigCacheTtlMs', FLAG_DEFAULTS.remoteConfigCacheTtlMs, 0),
    flagsGeoipDisable: (o as { disableGeoip?: unknown }).disableGeoip === true,
    pollingInterval: interval === 0 ? 0 : Math.max(MIN_POLLING_INTERVAL, interval),
    requestTimeoutMs: integer(
      o,
      'featureFlagsRequestTimeoutMs',
      FLAG_DEFAULTS.featureFlagsRequestTimeoutMs,
      1,
    ),
    definitionsTimeoutMs: integer(o, 'requestTimeout', FLAG_DEFAULTS.requestTimeout, 1),
    sendFeatureFlagEvent: bool(o, 'sendFeatureFlagEvent', FLAG_DEFAULTS.sendFeatureFlagEvent),
    deprecationWarnings,
  };
}

function strings(
  o: AllOptions,
  key: 'evaluationContexts' | 'evaluationEnvironments',
): readonly string[] | undefined {
  const value = o[key];
  if (value !== undefined && (!Array.isArray(value) || value.some((c: unknown) => typeof c !== 'string'))) {
    throw new ConfigError(key, 'must be an array of strings', value);
  }
  return value;
}

function integer(o: AllOptions, key: keyof AllOptions, fallback: number, min: number): number {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ConfigError(key, 'must be an integer', value);
  }
  if (value < min) throw new ConfigError(key, `must be at least ${min}`, value);
  return value;
}

function bool(o: AllOptions, key: keyof AllOptions, fallback: boolean): boolean {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(key, 'must be true or false', value);
  return value;
}
