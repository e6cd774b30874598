import { LruCache } from '../../exceptions/lru-cache.js';
import type { JsonValue } from '../evaluation/types.js';
import type { FlagEngine } from './engine.js';
import { FeatureFlagError } from './errors.js';
import { fetchRemoteConfig, type RemoteConfigFetch } from './remote-config.js';

/** Remote configs remembered at most; a project has few, so this only bounds memory against unbounded keys. */
const MAX_KEYS = 1000;
/** After a failed request, calls for that key get the last answer without a request for this long (or the TTL). */
const FAILURE_HOLD_MS = 5000;

interface Entry {
  readonly value: JsonValue | undefined;
  /** When PostHog gave this answer (platform clock, ms). */
  readonly at: number;
}

/**
 * `getRemoteConfigPayload()` behind a time-to-live cache, so that a hot path reading a remote config does not
 * make one request per call (and per billed request). Within `remoteConfigCacheTtlMs` of an answer no request
 * is made; concurrent calls for one key share a request; a refresh that fails gives the last answer, if any, and
 * holds off the next request for that key for 5 s (or the TTL, when shorter), so that an outage or a wrong key
 * does not turn every call into a request. `reloadFeatureFlags()` empties it.
 */
export class RemoteConfigCache {
  private readonly entries = new LruCache<string, Entry>(MAX_KEYS);
  private readonly pending = new Map<string, Promise<JsonValue | undefined>>();
  /** Bumped by clear(), so that a request sent before it does not store an answer after it. */
  private generation = 0;

  constructor(private readonly engine: FlagEngine) {}

  /** The payload of `flagKey`, from the cache while fresh; `undefined` when there is none or it cannot be had. */
  get(flagKey: string): Promise<JsonValue | undefined> {
    const { engine } = this;
    if (engine.options.offline) return Promise.resolve(undefined);
    if (engine.deps.secretKey === undefined) {
      engine.deps.logger.once(
        'warn',
        'flags:remote_config_key',
        'getRemoteConfigPayload() needs the secretKey option',
      );
      return Promise.resolve(undefined);
    }
    if (typeof flagKey !== 'string' || flagKey === '' || engine.closed) return Promise.resolve(undefined);
    const ttl = engine.options.remoteConfigCacheTtlMs;
    const entry = this.entries.get(flagKey);
    if (entry !== undefined && engine.deps.platform.now() - entry.at < ttl) {
      engine.counters.remoteConfigCacheHits++;
      return Promise.resolve(entry.value);
    }
    const shared = this.pending.get(flagKey);
    if (shared !== undefined) {
      engine.counters.remoteConfigCacheHits++;
      return shared;
    }
    const generation = this.generation;
    const request = fetchRemoteConfig(engine, flagKey)
      .then(undefined, (error: unknown): RemoteConfigFetch => {
        // A key the URL cannot carry (a lone surrogate), or anything else unforeseen: a failed request.
        engine.report(
          new FeatureFlagError('remote_config', `remote config for '${flagKey}' failed`, { cause: error }),
        );
        return { answered: false };
      })
      .then((result) => {
        if (this.pending.get(flagKey) === request) this.pending.delete(flagKey);
        const value = result.answered ? result.value : entry?.value;
        if (ttl > 0 && generation === this.generation) {
          const now = engine.deps.platform.now();
          // A failure is stored as an answer that has only FAILURE_HOLD_MS of its TTL left.
          const at = result.answered ? now : now - ttl + Math.min(ttl, FAILURE_HOLD_MS);
          this.entries.set(flagKey, { value, at });
        }
        return value;
      });
    this.pending.set(flagKey, request);
    return request;
  }

  /** Forgets every answer; requests in flight still resolve their callers but store nothing. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
  }
}
