import { PostHogError } from '../../errors/posthog-error.js';
import { messageOf } from '../../utils/safe-string.js';

/**
 * What a {@link FeatureFlagError} reports:
 * - `definitions_unauthorized`: the definitions endpoint answered 401/403 (bad or under-privileged key);
 * - `definitions_rate_limited`: it answered 429;
 * - `definitions_quota_limited`: it answered 402; local flags were cleared;
 * - `definitions_invalid`: it answered 200 with a body that has no `flags`;
 * - `cache_provider`: a `FlagDefinitionCacheProvider` method threw or rejected;
 * - `bootstrap`: the bootstrap definitions file could not be read;
 * - `flags_request`: a `/flags` call failed;
 * - `remote_config`: a remote-config request failed;
 * - `flag_call`: a flag call failed on arguments it could not use (a proxy that throws, say); it returned no value.
 */
export type FeatureFlagErrorKind =
  | 'definitions_unauthorized'
  | 'definitions_rate_limited'
  | 'definitions_quota_limited'
  | 'definitions_invalid'
  | 'cache_provider'
  | 'bootstrap'
  | 'flags_request'
  | 'remote_config'
  | 'flag_call';

/** An error of the feature-flag layer, reported on the client's `error` event; flag calls never throw it. */
export class FeatureFlagError extends PostHogError {
  // The `$feature_flag_error` values of `$feature_flag_called` events, under the names posthog-node exports them
  // by (there `FeatureFlagError` is this set of constants), so code that compares against them keeps compiling.
  /** `/flags` reported errors while computing flags. */
  static readonly ERRORS_WHILE_COMPUTING = 'errors_while_computing_flags';
  /** The flag is not defined. */
  static readonly FLAG_MISSING = 'flag_missing';
  /** Local definitions could not decide the flag. */
  static readonly LOCAL_EVALUATION_INCONCLUSIVE = 'local_evaluation_inconclusive';
  /** The project is over its feature-flag quota. */
  static readonly QUOTA_LIMITED = 'quota_limited';
  /** `/flags` did not answer in time. */
  static readonly TIMEOUT = 'timeout';
  /** `/flags` could not be reached. */
  static readonly CONNECTION_ERROR = 'connection_error';
  /** Any other failure. */
  static readonly UNKNOWN_ERROR = 'unknown_error';
  /** The value for an error status of `/flags`: `api_error_<status>`. */
  static apiError(status: number): string {
    return `api_error_${status}`;
  }

  /** What failed. */
  readonly kind: FeatureFlagErrorKind;

  /** `message` gets the `posthog-ts: ` prefix; `options.cause` is the failure behind it, if any. */
  constructor(kind: FeatureFlagErrorKind, message: string, options?: { cause?: unknown }) {
    super('feature_flags', `posthog-ts: ${message}`, options);
    this.name = 'FeatureFlagError';
    this.kind = kind;
  }
}

/**
 * Reports a flag call that failed unexpectedly and gives the value it returns instead: flag calls never throw
 * nor reject, whatever their arguments.
 */
export function flagCallFailed<T>(
  deps: {
    logger: { once(level: 'error', key: string, message: string): void };
    emit(event: 'error', payload: Error): void;
  },
  method: string,
  error: unknown,
  fallback: T,
): T {
  const failure = new FeatureFlagError(
    'flag_call',
    `${method}() failed and returned no value: ${messageOf(error)}`,
    { cause: error },
  );
  deps.logger.once('error', `flags:call:${method}`, failure.message);
  deps.emit('error', failure);
  return fallback;
}
