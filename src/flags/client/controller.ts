import { httpRequest } from '../../transport/http.js';
import { evaluateFlag } from '../evaluation/evaluate.js';
import { createExplainTrace } from '../evaluation/explain.js';
import type { FlagValue, JsonValue } from '../evaluation/types.js';
import { type FeatureFlagsControllerDeps, type FlagCalledMeta, FlagEngine } from './engine.js';
import { FeatureFlagError } from './errors.js';
import { buildTrace, describeTrace, type FlagExplanation } from './explain.js';
import { type FlagOutcome, toResult } from './outcome.js';
import { FLAG_HEADERS } from './remote.js';
import { parsePayload } from './remote-parse.js';
import { FeatureFlagEvaluations, type SnapshotContext, type UnresolvedFlagCause } from './snapshot.js';
import type {
  AllFlagsOptions,
  AllFlagsRequest,
  FeatureFlagOverrides,
  FeatureFlagResult,
  FlagEvaluationOptions,
  FlagPayloadRequest,
  FlagRequest,
  FlagsAndPayloads,
} from './types.js';

export type { FeatureFlagsControllerDeps, FlagCalledMeta };

/** `capture({ sendFeatureFlags })`'s option. */
export type SendFeatureFlagsOption =
  | true
  | {
      onlyEvaluateLocally?: boolean | undefined;
      personProperties?: Readonly<Record<string, unknown>> | undefined;
      groupProperties?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
      groups?: Readonly<Record<string, string | number>> | undefined;
      flagKeys?: readonly string[] | undefined;
    };

/** Flag properties for an event: ready now, or after one `/flags` call (never rejects). */
export type CaptureFlagProperties =
  | { readonly sync: Record<string, unknown> }
  | { readonly later: Promise<Record<string, unknown>> };

/**
 * The feature-flag side of the client: remote evaluation through `/flags`, local evaluation against polled
 * definitions with a single remote fallback per call, overrides, snapshots, `$feature_flag_called` events and
 * explanations. No method throws or waits past its timeout; failures come back as `undefined` values with a
 * reason on {@link FeatureFlagsController.getFeatureFlagResult}, and are reported on `error`.
 */
export class FeatureFlagsController {
  private readonly engine: FlagEngine;
  private shutdownPromise: Promise<void> | undefined;

  constructor(private readonly deps: FeatureFlagsControllerDeps) {
    this.engine = new FlagEngine(deps);
  }

  /** Loads bootstrap definitions, reads the cache provider and starts polling. Idempotent. */
  start(): void {
    this.engine.start();
  }

  /** Whether the flag is on for the person: `true`/variant -> true, `false` -> false, unknown -> undefined. */
  isFeatureEnabled(
    key: string,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<boolean | undefined>;
  isFeatureEnabled(request: FlagRequest): Promise<boolean | undefined>;
  async isFeatureEnabled(
    a: string | FlagRequest,
    b?: string,
    c?: FlagEvaluationOptions,
  ): Promise<boolean | undefined> {
    const value = await this.getFeatureFlag(a as string, b as string, c);
    return value === undefined ? undefined : value !== false;
  }

  /** The flag's value (`true`, `false` or a variant), or `undefined` when it could not be evaluated. */
  getFeatureFlag(
    key: string,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FlagValue | undefined>;
  getFeatureFlag(request: FlagRequest): Promise<FlagValue | undefined>;
  async getFeatureFlag(
    a: string | FlagRequest,
    b?: string,
    c?: FlagEvaluationOptions,
  ): Promise<FlagValue | undefined> {
    const isPositional = typeof a === 'string';
    const key = isPositional ? a : a?.key;
    const distinctId = isPositional ? b : a?.distinctId;
    const opts = isPositional ? c : a;
    if (!this.valid(key, distinctId)) return undefined;
    return (await this.engine.read(key, String(distinctId), opts)).value;
  }

  /**
   * The flag's value with why: reason, error kind (flag missing, timeout, quota limited, server or network
   * error, inconclusive locally and its cause, not ready), ids and where it came from. `undefined` only for
   * an invalid key or distinct id.
   */
  getFeatureFlagResult(
    key: string,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FeatureFlagResult | undefined>;
  getFeatureFlagResult(request: FlagRequest): Promise<FeatureFlagResult | undefined>;
  async getFeatureFlagResult(
    a: string | FlagRequest,
    b?: string,
    c?: FlagEvaluationOptions,
  ): Promise<FeatureFlagResult | undefined> {
    const isPositional = typeof a === 'string';
    const key = isPositional ? a : a?.key;
    const distinctId = isPositional ? b : a?.distinctId;
    if (!this.valid(key, distinctId)) return undefined;
    return toResult(await this.engine.read(key, String(distinctId), isPositional ? c : a));
  }

  /**
   * The payload of the flag's value (or of `matchValue`, skipping evaluation when definitions are loaded):
   * `null` when the value has none, `undefined` when the flag could not be evaluated. Sends no event.
   */
  getFeatureFlagPayload(
    key: string,
    distinctId: string,
    matchValue?: FlagValue,
    options?: FlagEvaluationOptions,
  ): Promise<JsonValue | null | undefined>;
  getFeatureFlagPayload(request: FlagPayloadRequest): Promise<JsonValue | null | undefined>;
  async getFeatureFlagPayload(
    a: string | FlagPayloadRequest,
    b?: string,
    matchValue?: FlagValue,
    c?: FlagEvaluationOptions,
  ): Promise<JsonValue | null | undefined> {
    const isPositional = typeof a === 'string';
    const key = isPositional ? a : a?.key;
    const distinctId = isPositional ? b : a?.distinctId;
    const match = isPositional ? matchValue : a?.matchValue;
    const opts = isPositional ? c : a;
    if (!this.valid(key, distinctId)) return undefined;
    const engine = this.engine;
    const overridden = engine.overrides.payloads;
    if (overridden?.has(key)) return overridden.get(key);
    if (match !== undefined) {
      const flag = (await engine.definitions())?.compiled.flags.get(key);
      if (flag !== undefined) return match === false ? null : (flag.payloads.get(String(match)) ?? null);
    }
    return (await engine.outcome(key, String(distinctId), opts)).payload;
  }

  /** Every flag's value for the person (one `/flags` call at most). Sends no event. */
  getAllFlags(distinctId: string, options?: AllFlagsOptions): Promise<Record<string, FlagValue>>;
  getAllFlags(request: AllFlagsRequest): Promise<Record<string, FlagValue>>;
  async getAllFlags(a: string | AllFlagsRequest, b?: AllFlagsOptions): Promise<Record<string, FlagValue>> {
    return (await this.all(a, b, false)).featureFlags;
  }

  /** Every flag's value and payload for the person (one `/flags` call at most). Sends no event. */
  getAllFlagsAndPayloads(distinctId: string, options?: AllFlagsOptions): Promise<FlagsAndPayloads>;
  getAllFlagsAndPayloads(request: AllFlagsRequest): Promise<FlagsAndPayloads>;
  getAllFlagsAndPayloads(a: string | AllFlagsRequest, b?: AllFlagsOptions): Promise<FlagsAndPayloads> {
    return this.all(a, b, true);
  }

  /**
   * A snapshot of the person's flags (one `/flags` call at most; local values win over remote ones). Reads
   * on it send `$feature_flag_called`; pass it to `capture({ flags })` to tag an event.
   */
  evaluateFlags(distinctId: string, options?: AllFlagsOptions): Promise<FeatureFlagEvaluations>;
  evaluateFlags(request: AllFlagsRequest): Promise<FeatureFlagEvaluations>;
  async evaluateFlags(a: string | AllFlagsRequest, b?: AllFlagsOptions): Promise<FeatureFlagEvaluations> {
    const distinctId = String((typeof a === 'string' ? a : a?.distinctId) ?? '');
    const opts = typeof a === 'string' ? b : a;
    const context: SnapshotContext = { groups: opts?.groups, disableGeoip: opts?.disableGeoip };
    const collected =
      distinctId === ''
        ? { entries: new Map(), unresolved: {} }
        : await this.engine.collect(distinctId, opts, false);
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
    const engine = this.engine;
    const opts = sendFeatureFlags === true ? undefined : sendFeatureFlags;
    const onlyLocal = opts?.onlyEvaluateLocally ?? engine.options.strictLocalEvaluation;
    engine.start();
    const defs = engine.poller?.current;
    if (defs !== undefined && defs.count > 0) {
      const local = engine.localValues(defs, distinctId, opts, undefined);
      if (local.complete || onlyLocal) return { sync: eventFlagProperties(local.flags) };
    } else if (onlyLocal || engine.closed || distinctId === '') {
      const flags: Record<string, FlagValue> = {};
      engine.overrides.applyTo(flags, undefined);
      return { sync: eventFlagProperties(flags) };
    }
    const later = this.all(distinctId, opts, false).then(
      (r) => eventFlagProperties(r.featureFlags),
      () => ({}),
    );
    return { later: this.deps.track(later) };
  }

  /** The decrypted payload of a remote-config flag. Needs `secretKey`; `undefined` on any failure. */
  async getRemoteConfigPayload(flagKey: string): Promise<JsonValue | undefined> {
    const d = this.deps;
    if (d.secretKey === undefined) {
      d.logger.once('warn', 'flags:remote_config_key', 'getRemoteConfigPayload() needs the secretKey option');
      return undefined;
    }
    if (typeof flagKey !== 'string' || flagKey === '' || this.engine.closed) return undefined;
    const url = `${d.host}/api/projects/@current/feature_flags/${encodeURIComponent(flagKey)}/remote_config?token=${encodeURIComponent(d.apiKey)}`;
    const outcome = await httpRequest(
      d.fetch,
      d.platform,
      url,
      { method: 'GET', headers: { ...FLAG_HEADERS, Authorization: `Bearer ${d.secretKey}` } },
      d.options.definitionsTimeoutMs,
      this.engine.cancel.signal,
    );
    if (!outcome.ok || outcome.status !== 200) {
      const why = outcome.ok ? `answered ${outcome.status}` : outcome.error.message;
      this.engine.report(
        new FeatureFlagError('remote_config', `remote config for '${flagKey}' failed: ${why}`),
      );
      return undefined;
    }
    const first = parsePayload(outcome.body);
    // PostHog stores the payload as JSON text and returns that text JSON-encoded: decode twice.
    return typeof first === 'string' ? (parsePayload(first) ?? undefined) : (first ?? undefined);
  }

  /** Loads definitions now (sharing a load in flight); resolves when done. Never rejects. */
  async reloadFeatureFlags(): Promise<void> {
    const poller = this.engine.poller;
    if (poller === undefined) return;
    this.engine.start();
    await poller.reload();
  }

  /** Sets local overrides; see {@link FeatureFlagOverrides}. They win over local and remote evaluation. */
  overrideFeatureFlags(overrides: FeatureFlagOverrides): void {
    this.engine.overrides.set(overrides);
  }

  /** Definitions are loaded and hold at least one flag. */
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
  async explainFeatureFlag(
    key: string,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FlagExplanation> {
    const engine = this.engine;
    const defs = await engine.definitions();
    const onlyLocal = options?.onlyEvaluateLocally ?? engine.options.strictLocalEvaluation;
    const override = engine.overrides.flags?.get(key);
    const found = defs?.compiled.flags.has(key) ?? false;
    let result: FlagExplanation['result'];
    let trace: FlagExplanation['trace'];
    if (defs !== undefined && found) {
      const collector = createExplainTrace();
      result = evaluateFlag(defs.compiled, key, engine.context(String(distinctId), options), {
        explain: collector,
      });
      trace = buildTrace(collector.events, defs.compiled);
    }
    const inconclusive = result === undefined || result.kind === 'inconclusive';
    const wouldAskServer = override === undefined && inconclusive && !onlyLocal;
    let serverReason: string;
    if (override !== undefined) serverReason = 'the flag is overridden locally';
    else if (!inconclusive) serverReason = 'local evaluation decided';
    else {
      const why =
        defs === undefined
          ? 'no local definitions are loaded'
          : !found
            ? 'the flag is not in the local definitions'
            : result?.kind === 'inconclusive'
              ? `local evaluation is inconclusive (${result.unresolvedReason}: ${result.detail})`
              : 'unknown';
      serverReason = onlyLocal
        ? `${why}; local-only, so the value would be undefined`
        : `${why}; /flags would be asked`;
    }
    const lines = trace === undefined ? [] : describeTrace(trace);
    if (override !== undefined) lines.unshift(`override: ${String(override)}`);
    lines.push(wouldAskServer ? `server: asked (${serverReason})` : `server: not asked (${serverReason})`);
    return {
      key,
      distinctId: String(distinctId),
      definitionsLoaded: defs !== undefined,
      definitionsFetchedAt: defs?.fetchedAt,
      found,
      override,
      result,
      wouldAskServer,
      serverReason,
      trace,
      lines,
    };
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

  private readonly snapshotHost = {
    reportRead: (
      distinctId: string,
      key: string,
      outcome: FlagOutcome | undefined,
      unresolved: UnresolvedFlagCause | undefined,
      context: SnapshotContext,
      send: boolean | undefined,
    ): void => {
      const engine = this.engine;
      if (outcome !== undefined) {
        engine.flagCalled(outcome, distinctId, context.groups, context.disableGeoip, send);
        return;
      }
      engine.flagCalled(toMissing(key, unresolved), distinctId, context.groups, context.disableGeoip, send);
    },
    warn: (message: string): void => {
      if (this.engine.options.featureFlagsLogWarnings) this.deps.logger.warn(message);
    },
  };

  private all(
    a: string | AllFlagsRequest,
    b: AllFlagsOptions | undefined,
    withPayloads: boolean,
  ): Promise<FlagsAndPayloads> {
    const distinctId = String((typeof a === 'string' ? a : a?.distinctId) ?? '');
    const opts = typeof a === 'string' ? b : a;
    return this.allFor(distinctId, opts, withPayloads);
  }

  private async allFor(
    distinctId: string,
    opts: AllFlagsOptions | undefined,
    withPayloads: boolean,
  ): Promise<FlagsAndPayloads> {
    const featureFlags: Record<string, FlagValue> = {};
    const featureFlagPayloads: Record<string, JsonValue> = {};
    if (distinctId === '') return { featureFlags, featureFlagPayloads };
    const engine = this.engine;
    // Fast path: definitions answer everything, so no promise chain beyond this async function.
    const defs = engine.poller?.current;
    if (defs !== undefined && !engine.closed) {
      const local = engine.localValues(
        defs,
        distinctId,
        opts,
        withPayloads ? featureFlagPayloads : undefined,
      );
      const onlyLocal = opts?.onlyEvaluateLocally ?? engine.options.strictLocalEvaluation;
      if (local.complete || onlyLocal) return { featureFlags: local.flags, featureFlagPayloads };
    }
    const collected = await engine.collect(distinctId, opts, true);
    for (const [key, o] of collected.entries) {
      if (o.value === undefined) continue;
      featureFlags[key] = o.value;
      if (withPayloads && o.payload !== null && o.payload !== undefined) featureFlagPayloads[key] = o.payload;
    }
    return { featureFlags, featureFlagPayloads };
  }

  private valid(key: unknown, distinctId: unknown): key is string {
    if (typeof key !== 'string' || key === '') {
      this.deps.logger.once(
        'warn',
        'flags:bad_key',
        'a flag call needs a non-empty flag key; returning undefined',
      );
      return false;
    }
    if ((typeof distinctId !== 'string' && typeof distinctId !== 'number') || distinctId === '') {
      this.deps.logger.once('warn', 'flags:bad_id', 'a flag call needs a distinct id; returning undefined');
      return false;
    }
    return true;
  }
}

function toMissing(key: string, unresolved: UnresolvedFlagCause | undefined): FlagOutcome {
  const inconclusive = unresolved !== undefined;
  return {
    key,
    value: undefined,
    payload: undefined,
    locallyEvaluated: false,
    reason: inconclusive ? `unresolved: ${unresolved}` : 'the flag is not in the snapshot',
    reasonCode: unresolved ?? 'flag_missing',
    errorKind: inconclusive ? 'local_inconclusive' : 'flag_missing',
    errorCodes: inconclusive ? 'local_evaluation_inconclusive' : 'flag_missing',
    unresolvedReason: undefined,
    flagId: undefined,
    version: undefined,
    requestId: undefined,
    evaluatedAt: undefined,
    hasExperiment: undefined,
    definitionsLoadedAt: undefined,
    override: false,
  };
}

/** `$feature/<key>` for every flag and the sorted `$active_feature_flags` when any is on. */
export function eventFlagProperties(flags: Readonly<Record<string, FlagValue>>): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  const active: string[] = [];
  for (const key of Object.keys(flags)) {
    const value = flags[key] as FlagValue;
    props[`$feature/${key}`] = value;
    if (value !== false) active.push(key);
  }
  if (active.length > 0) props.$active_feature_flags = active.sort();
  return props;
}
