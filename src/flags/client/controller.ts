import type { FlagStats } from '../../api/results.js';
import type { FlagValue, JsonValue } from '../evaluation/types.js';
import { allFlags, collectFlags, flagKeysOf } from './all-flags.js';
import {
  type CaptureFlagProperties,
  eventFlagProperties,
  flagPropertiesFor,
  type SendFeatureFlagsOption,
} from './capture-properties.js';
import type { FeatureFlagsControllerDeps } from './controller-deps.js';
import { FeatureFlagError, flagCallFailed } from './errors.js';
import { explainFlag, type FlagExplanation } from './explain.js';
import type { FlagCalledMeta } from './flag-called.js';
import { FlagReads } from './flag-reads.js';
import { RemoteConfigCache } from './remote-config-cache.js';
import { FeatureFlagEvaluations, type SnapshotContext } from './snapshot.js';
import { createSnapshotHost } from './snapshot-host.js';
import type {
  AllFlagsOptions,
  AllFlagsRequest,
  FeatureFlagOverrides,
  FlagEvaluationOptions,
  FlagsAndPayloads,
} from './types.js';

export type { FeatureFlagsControllerDeps, FlagCalledMeta };
export { type CaptureFlagProperties, eventFlagProperties, type SendFeatureFlagsOption };

/**
 * The feature-flag side of the client: remote evaluation through `/flags`, local evaluation against polled
 * definitions with a single remote fallback per call, overrides, snapshots, `$feature_flag_called` events and
 * explanations. No method throws or waits past its timeout; failures come back as `undefined` values with a
 * reason on {@link FeatureFlagsController.getFeatureFlagResult}, and are reported on `error`. The single-flag
 * reads live in {@link FlagReads}.
 */
export class FeatureFlagsController extends FlagReads {
  private shutdownPromise: Promise<void> | undefined;
  private readonly remoteConfigs = new RemoteConfigCache(this.engine);

  /** Loads bootstrap definitions, reads the cache provider and starts polling. Idempotent. */
  start(): void {
    this.engine.start();
  }

  /** Every flag's value for the person (one `/flags` call at most). Sends no event. */
  getAllFlags(distinctId: string, options?: AllFlagsOptions): Promise<Record<string, FlagValue>>;
  getAllFlags(request: AllFlagsRequest): Promise<Record<string, FlagValue>>;
  async getAllFlags(a: string | AllFlagsRequest, b?: AllFlagsOptions): Promise<Record<string, FlagValue>> {
    try {
      return (await allFlags(this.engine, a, b, false)).featureFlags;
    } catch (error) {
      return flagCallFailed(this.deps, 'getAllFlags', error, {});
    }
  }

  /** Every flag's value and payload for the person (one `/flags` call at most). Sends no event. */
  getAllFlagsAndPayloads(distinctId: string, options?: AllFlagsOptions): Promise<FlagsAndPayloads>;
  getAllFlagsAndPayloads(request: AllFlagsRequest): Promise<FlagsAndPayloads>;
  async getAllFlagsAndPayloads(a: string | AllFlagsRequest, b?: AllFlagsOptions): Promise<FlagsAndPayloads> {
    try {
      return await allFlags(this.engine, a, b, true);
    } catch (error) {
      return flagCallFailed(this.deps, 'getAllFlagsAndPayloads', error, {
        featureFlags: {},
        featureFlagPayloads: {},
      });
    }
  }

  /**
   * A snapshot of the person's flags (one `/flags` call at most; local values win over remote ones). Reads
   * on it send `$feature_flag_called`; pass it to `capture({ flags })` to tag an event.
   */
  evaluateFlags(distinctId: string, options?: AllFlagsOptions): Promise<FeatureFlagEvaluations>;
  evaluateFlags(request: AllFlagsRequest): Promise<FeatureFlagEvaluations>;
  async evaluateFlags(a: string | AllFlagsRequest, b?: AllFlagsOptions): Promise<FeatureFlagEvaluations> {
    try {
      return await this.snapshotOf(a, b);
    } catch (error) {
      const empty = new FeatureFlagEvaluations(
        this.snapshotHost,
        '',
        new Map(),
        {},
        {
          groups: undefined,
          disableGeoip: undefined,
        },
      );
      return flagCallFailed(this.deps, 'evaluateFlags', error, empty);
    }
  }

  private async snapshotOf(
    a: string | AllFlagsRequest,
    b: AllFlagsOptions | undefined,
  ): Promise<FeatureFlagEvaluations> {
    const distinctId = String((typeof a === 'string' ? a : a?.distinctId) ?? '');
    const opts = typeof a === 'string' ? b : a;
    const context: SnapshotContext = { groups: opts?.groups, disableGeoip: opts?.disableGeoip };
    // No distinct id, or `flagKeys: []` (no flag asked for, as posthog-node reads it here): nothing to evaluate.
    const collected =
      distinctId === '' || flagKeysOf(opts)?.length === 0
        ? { entries: new Map(), unresolved: {} }
        : await collectFlags(this.engine, distinctId, opts, false);
    return new FeatureFlagEvaluations(
      this.snapshotHost,
      distinctId,
      collected.entries,
      collected.unresolved,
      context,
    );
  }

  /**
   * Flag properties for `capture({ sendFeatureFlags })`: `$feature/<key>` and sorted `$active_feature_flags`.
   * Synchronous (no network) when local definitions answer everything or `onlyEvaluateLocally` is set;
   * otherwise one `/flags` call whose failure yields `{}`.
   */
  flagPropertiesForCapture(
    distinctId: string,
    sendFeatureFlags: SendFeatureFlagsOption,
  ): CaptureFlagProperties {
    return flagPropertiesFor(this.engine, distinctId, sendFeatureFlags);
  }

  /**
   * The decrypted payload of a remote-config flag, cached for `remoteConfigCacheTtlMs`. Needs `secretKey`;
   * `undefined` when there is none or it cannot be had (and nothing was had before).
   */
  getRemoteConfigPayload(flagKey: string): Promise<JsonValue | undefined> {
    return this.remoteConfigs.get(flagKey);
  }

  /** The flag side's request counters (`stats().flags`). */
  stats(): FlagStats {
    return this.engine.counters.snapshot();
  }

  /** Loads definitions now (sharing a load in flight) and forgets remote configs; resolves when done. Never rejects. */
  async reloadFeatureFlags(): Promise<void> {
    this.remoteConfigs.clear();
    const poller = this.engine.poller;
    if (poller === undefined) return;
    this.engine.start();
    await poller.reload();
  }

  /** Sets local overrides; see {@link FeatureFlagOverrides}. They win over local and remote evaluation. */
  overrideFeatureFlags(overrides: FeatureFlagOverrides): void {
    this.engine.overrides.set(overrides);
  }

  /**
   * Where the loaded definition of `key` may be evaluated (`'server'`, `'client'` or `'all'`), or `undefined` when
   * the flag is not loaded. Reads the loaded definitions; makes no request.
   */
  getFeatureFlagEvaluationRuntime(key: string): 'server' | 'client' | 'all' | undefined {
    return this.engine.poller?.current?.compiled.flags.get(key)?.runtime;
  }

  /** Keys of the loaded flags evaluated in `runtime` (flags for `'all'` runtimes count for both). No request. */
  getFeatureFlagKeysByEvaluationRuntime(runtime: 'server' | 'client' | 'all'): string[] {
    const keys: string[] = [];
    const flags = this.engine.poller?.current?.compiled.flags;
    if (!flags) return keys;
    for (const [key, flag] of flags) {
      if (flag.runtime === runtime || (runtime !== 'all' && flag.runtime === 'all')) keys.push(key);
    }
    return keys;
  }

  /** Definitions are loaded and hold at least one flag. */
  isLocalEvaluationReady(): boolean {
    return this.engine.poller?.isReady() ?? false;
  }

  /** Resolves `true` once definitions with at least one flag are loaded, `false` after `timeoutMs`. */
  async waitForLocalEvaluationReady(timeoutMs = 30_000): Promise<boolean> {
    const poller = this.engine.poller;
    if (poller === undefined) return false;
    this.engine.start();
    return poller.waitUntilSettled(timeoutMs, true);
  }

  /**
   * How the flag's value is reached for this person: the definition version, each condition with each
   * filter's outcome, rollout and variant hashes, dependencies and cohorts, and whether `/flags` would be
   * asked. Evaluates locally only; sends nothing.
   */
  explainFeatureFlag(
    key: string,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FlagExplanation> {
    return explainFlag(this.engine, key, distinctId, options);
  }

  /**
   * Stops polling, aborts flag requests in flight, shuts the cache provider down (waiting at most
   * `timeoutMs`) and forgets which `$feature_flag_called` events were sent. Idempotent; never rejects.
   */
  shutdown(timeoutMs = 5000): Promise<void> {
    this.shutdownPromise ??= this.shutdownOnce(timeoutMs);
    return this.shutdownPromise;
  }

  private async shutdownOnce(timeoutMs: number): Promise<void> {
    const engine = this.engine;
    engine.closed = true;
    engine.poller?.stop();
    engine.cancel.abort();
    engine.dedupe.clear();
    const provider = engine.options.flagDefinitionCacheProvider;
    if (provider === undefined) return;
    let timer: ReturnType<typeof this.deps.platform.setTimer> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => provider.shutdown()),
        new Promise<void>((resolve) => {
          timer = this.deps.platform.setTimer(resolve, timeoutMs);
        }),
      ]);
    } catch (error) {
      engine.report(
        new FeatureFlagError('cache_provider', 'flagDefinitionCacheProvider.shutdown() failed', {
          cause: error,
        }),
      );
    } finally {
      if (timer !== undefined) this.deps.platform.clearTimer(timer);
    }
  }

  private readonly snapshotHost = createSnapshotHost(this.engine, this.deps.logger);
}
