import type { FlagStats } from '../../api/results.js';

/**
 * The counters behind `stats().flags`: the flag layer's requests to PostHog (each `/flags` and remote-config
 * request is billed) and what the caches saved. Plain fields, so counting costs an increment.
 */
export class FlagCounters {
  definitionsRequests = 0;
  definitionsNotModified = 0;
  definitionsLoaded = 0;
  flagsRequests = 0;
  remoteConfigRequests = 0;
  remoteConfigCacheHits = 0;

  /** A copy of the counters. */
  snapshot(): FlagStats {
    return {
      definitionsRequests: this.definitionsRequests,
      definitionsNotModified: this.definitionsNotModified,
      definitionsLoaded: this.definitionsLoaded,
      flagsRequests: this.flagsRequests,
      remoteConfigRequests: this.remoteConfigRequests,
      remoteConfigCacheHits: this.remoteConfigCacheHits,
    };
  }
}
