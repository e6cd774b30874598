import { evaluateAll, evaluateFlag } from '../evaluation/evaluate.js';
import type { EvaluationContext, FlagValue, JsonValue } from '../evaluation/types.js';
import { flagKeysOf } from './all-flags.js';
import type { FeatureFlagsControllerDeps } from './controller-deps.js';
import { FlagCalledDedupe } from './dedupe.js';
import type { LoadedDefinitions } from './definitions.js';
import { flagCalled } from './flag-called.js';
import { FlagCounters } from './flag-counters.js';
import type { ResolvedFlagOptions } from './flag-options.js';
import { localOutcome, notReady } from './local-outcome.js';
import { type FlagOutcome, failedOutcome, overrideOutcome } from './outcome.js';
import { FlagOverrides } from './overrides.js';
import { DefinitionsPoller } from './poller.js';
import { RemoteFlags } from './remote.js';
import { remoteOutcome } from './remote-fallback.js';
import type { AllFlagsOptions, FlagCallOptions, FlagEvaluationOptions } from './types.js';

/**
 * The mechanics behind the public controller: local evaluation against the poller's definitions, the remote
 * fallback (one `/flags` call per request, in `remote-fallback.ts` and `all-flags.ts`), overrides, and
 * `$feature_flag_called` reporting (`flag-called.ts`).
 */
export class FlagEngine {
  readonly remote: RemoteFlags;
  readonly poller: DefinitionsPoller | undefined;
  readonly overrides = new FlagOverrides();
  readonly dedupe: FlagCalledDedupe;
  readonly cancel = new AbortController();
  readonly options: ResolvedFlagOptions;
  /** Requests made and cache hits, for `stats().flags`. */
  readonly counters = new FlagCounters();
  closed = false;
  private started = false;
  /** Minimal `$feature_flag_called` gate; the last of `/flags` and the definitions to speak wins. */
  minimalGate = false;

  constructor(readonly deps: FeatureFlagsControllerDeps) {
    const o = deps.options;
    this.options = o;
    this.dedupe = new FlagCalledDedupe(o.maxCacheSize);
    this.remote = new RemoteFlags({
      apiKey: deps.apiKey,
      host: deps.host,
      exchange: deps.exchange,
      platform: deps.platform,
      timeoutMs: o.requestTimeoutMs,
      maxRetries: o.featureFlagsRequestMaxRetries,
      evaluationContexts: o.evaluationContexts,
      geoipDisable: o.flagsGeoipDisable,
      cancel: this.cancel.signal,
      counters: this.counters,
    });
    const local =
      o.enableLocalEvaluation &&
      (deps.secretKey !== undefined ||
        o.flagDefinitionCacheProvider !== undefined ||
        o.flagDefinitions !== undefined);
    this.poller = local
      ? new DefinitionsPoller({
          apiKey: deps.apiKey,
          host: deps.host,
          secretKey: deps.secretKey,
          exchange: deps.exchange,
          platform: deps.platform,
          logger: deps.logger,
          options: o,
          cancel: this.cancel.signal,
          counters: this.counters,
          report: (error) => this.report(error),
          loaded: (count) => {
            const minimal = this.poller?.current?.minimalEvents;
            if (minimal !== undefined) this.minimalGate = minimal;
            this.deps.emit('localEvaluationFlagsLoaded', count);
          },
        })
      : undefined;
  }

  /**
   * Whether a call must not ask `/flags`: always offline, else the call's `onlyEvaluateLocally`, defaulting to
   * `strictLocalEvaluation`.
   */
  onlyLocal(opts: { onlyEvaluateLocally?: boolean | undefined } | undefined): boolean {
    return this.options.offline || (opts?.onlyEvaluateLocally ?? this.options.strictLocalEvaluation);
  }

  /** Starts the poller once. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.poller?.start();
  }

  /** Reports an error on `error`. */
  report(error: Error): void {
    try {
      this.deps.emit('error', error);
    } catch {
      // A throwing listener is the application's problem, not a reason to fail a flag call.
    }
  }

  /**
   * The definitions to evaluate with, waiting (at most the flag request timeout) for the first load when
   * nothing is loaded yet. Undefined when local evaluation is off or nothing could be loaded.
   */
  async definitions(): Promise<LoadedDefinitions | undefined> {
    const poller = this.poller;
    if (poller === undefined) return undefined;
    if (!this.started) this.start();
    if (poller.current === undefined && !poller.firstAttemptDone) {
      await poller.waitUntilSettled(this.options.requestTimeoutMs, false);
    }
    return poller.current;
  }

  /** Evaluation inputs of a call. */
  context(distinctId: string, opts: FlagCallOptions | undefined): EvaluationContext {
    return {
      distinctId,
      groups: opts?.groups,
      personProperties: opts?.personProperties,
      groupProperties: opts?.groupProperties,
      now: this.deps.platform.now(),
    } as EvaluationContext;
  }

  /**
   * The outcome of one flag when it can be had without waiting (override, local match, or a local-only
   * answer); undefined when the caller must wait for definitions (`waited` false) or ask `/flags`.
   */
  quickOutcome(
    key: string,
    distinctId: string,
    opts: FlagCallOptions | undefined,
    waited: boolean,
  ): FlagOutcome | undefined {
    const overridden = this.overrides.flags;
    if (overridden?.has(key))
      return overrideOutcome(key, overridden.get(key), this.overrides.payloads?.get(key));
    if (this.closed) return failedOutcome(key, 'shutdown', 'the client was shut down', undefined);
    const onlyLocal = this.onlyLocal(opts);
    const poller = this.poller;
    const defs = poller?.current;
    if (defs === undefined) {
      if (!waited && poller !== undefined) return undefined;
      return onlyLocal ? notReady(key, poller === undefined) : undefined;
    }
    const r = evaluateFlag(defs.compiled, key, this.context(distinctId, opts), undefined);
    if (r.kind === 'match') return localOutcome(defs, key, r);
    if (!onlyLocal) return undefined;
    if (!defs.compiled.flags.has(key)) {
      return failedOutcome(key, 'flag_missing', 'the flag is not in the local definitions', 'flag_missing', {
        locallyEvaluated: true,
      });
    }
    return failedOutcome(key, 'local_inconclusive', r.detail, 'local_evaluation_inconclusive', {
      unresolvedReason: r.unresolvedReason,
      locallyEvaluated: true,
    });
  }

  /** The outcome of one flag: local when possible, else one `/flags` call. Never rejects. */
  async outcome(key: string, distinctId: string, opts: FlagCallOptions | undefined): Promise<FlagOutcome> {
    return this.quickOutcome(key, distinctId, opts, false) ?? this.slowOutcome(key, distinctId, opts);
  }

  /** {@link outcome} once {@link quickOutcome} had no answer: wait for definitions, then maybe `/flags`. */
  async slowOutcome(
    key: string,
    distinctId: string,
    opts: FlagCallOptions | undefined,
  ): Promise<FlagOutcome> {
    await this.definitions();
    return (
      this.quickOutcome(key, distinctId, opts, true) ?? (await remoteOutcome(this, key, distinctId, opts))
    );
  }

  /**
   * Values (and payloads) of every locally-decidable flag without waiting or calling anything; `complete`
   * says whether local definitions answered everything the server could add.
   */
  localValues(
    defs: LoadedDefinitions,
    distinctId: string,
    opts: AllFlagsOptions | undefined,
    payloads: Record<string, JsonValue> | undefined,
  ): { flags: Record<string, FlagValue>; complete: boolean } {
    const flags: Record<string, FlagValue> = {};
    const flagKeys = flagKeysOf(opts);
    const results = evaluateAll(defs.compiled, this.context(distinctId, opts), flagKeys, undefined);
    let complete = defs.count > 0;
    for (const [key, r] of results) {
      if (r.kind === 'match') {
        flags[key] = r.value;
        if (payloads !== undefined && r.payload !== null) payloads[key] = r.payload;
      } else if (defs.compiled.flags.get(key)?.runtime !== 'client') complete = false;
    }
    if (flagKeys !== undefined && results.size < flagKeys.length && flagKeys.some((k) => !results.has(k)))
      complete = false;
    this.overrides.applyTo(flags, payloads);
    return { flags, complete };
  }

  /** Single-flag read: outcome plus the event. */
  async read(key: string, distinctId: string, opts: FlagEvaluationOptions | undefined): Promise<FlagOutcome> {
    const o =
      this.quickOutcome(key, distinctId, opts, false) ?? (await this.slowOutcome(key, distinctId, opts));
    flagCalled(this, o, distinctId, opts?.groups, opts?.disableGeoip, opts?.sendFeatureFlagEvents);
    return o;
  }
}
