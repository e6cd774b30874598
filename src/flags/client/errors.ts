import { PostHogError } from '../../errors/posthog-error.js';

/**
 * What a {@link FeatureFlagError} reports:
 * - `definitions_unauthorized`: the definitions endpoint answered 401/403 (bad or under-privileged key);
 * - `definitions_rate_limited`: it answered 429;
 * - `definitions_quota_limited`: it answered 402; local flags were cleared;
 * - `definitions_invalid`: it answered 200 with a body that has no `flags`;
 * - `cache_provider`: a `FlagDefinitionCacheProvider` method threw or rejected;
 * - `bootstrap`: the bootstrap definitions file could not be read;
 * - `flags_request`: a `/flags` call failed;
 * - `remote_config`: a remote-config request failed.
 */
export type FeatureFlagErrorKind =
  | 'definitions_unauthorized'
  | 'definitions_rate_limited'
  | 'definitions_quota_limited'
  | 'definitions_invalid'
  | 'cache_provider'
  | 'bootstrap'
  | 'flags_request'
  | 'remote_config';

/** An error of the feature-flag layer, reported on the client's `error` event; flag calls never throw it. */
export class FeatureFlagError extends PostHogError {
  /** What failed. */
  readonly kind: FeatureFlagErrorKind;

  constructor(kind: FeatureFlagErrorKind, message: string, options?: { cause?: unknown }) {
    super('feature_flags', `posthog-ts: ${message}`, options);
    this.name = 'FeatureFlagError';
    this.kind = kind;
  }
}
