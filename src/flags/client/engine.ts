import type { EventMessage } from '../../api/messages.js';
import type { FetchLike } from '../../api/transport.js';
import type { SdkLogger } from '../../logging/sdk-logger.js';
import type { Platform } from '../../platform/platform.js';
import { evaluateAll, evaluateFlag } from '../evaluation/evaluate.js';
import type { EvaluationContext, FlagValue, JsonValue, MatchResult } from '../evaluation/types.js';
import { dedupeKey, FlagCalledDedupe } from './dedupe.js';
import type { LoadedDefinitions } from './definitions.js';
import { FeatureFlagError } from './errors.js';
import type { ResolvedFlagOptions } from './flag-options.js';
import { type FlagOutcome, failedOutcome, flagCalledProperties, overrideOutcome } from './outcome.js';
import { FlagOverrides } from './overrides.js';
import { DefinitionsPoller } from './poller.js';
import { RemoteFlags } from './remote.js';
import type { RemoteAnswer, RemoteFailure, RemoteFlag } from './remote-parse.js';
import type { AllFlagsOptions, FlagCallOptions, FlagEvaluationOptions, FlagGroups } from './types.js';

/** Extra information passed with a `$feature_flag_called` capture. */
export interface FlagCalledMeta {
  /**
   * The server asked for minimal events and the flag has no experiment: keep only
   * `MINIMAL_FLAG_CALLED_PROPERTIES` after adding context and super properties.
   */
  readonly minimal: boolean;
}

/** What the feature-flag controller needs from the client that composes it. */
export interface FeatureFlagsControllerDeps {
  /** Project API key (`phc_…`). */
  readonly apiKey: string;
  /** PostHog host without a trailing slash. */
  readonly host: string;
  /** Project secret key or personal API key, for definitions and remote config. */
  readonly secretKey?: string | undefined;
  /** Resolved flag options (`resolveFlagOptions`). */
  readonly options: ResolvedFlagOptions;
  /** Timers and clock. */
  readonly platform: Platform;
  /** The HTTP seam. */
  readonly fetch: FetchLike;
  /** The SDK's logger. */
  readonly logger: SdkLogger;
  /** Emits a client event: the flag count after a definitions load, or a {@link FeatureFlagError}. */
  emit(event: 'localEvaluationFlagsLoaded' | 'error', payload: number | Error): void;
  /**
   * Enqueues `$feature_flag_called` through the normal capture pipeline; `false` when the client refused it (queue
   * full, disabled, closed), so the read is reported again next time instead of never.
   */
  capture(message: EventMessage, meta: FlagCalledMeta): boolean | undefined;
  /** Lets flush/shutdown wait for in-flight work that will enqueue events. */
  track<T>(p: Promise<T>): Promise<T>;
}

/** Values and payloads of many flags, plus why some are missing. */
export interface CollectedFlags {
  readonly entries: Map<string, FlagOutcome>;
  readonly unresolved: Record<string, import('./snapshot.js').UnresolvedFlagCause>;
}

function joinCodes(a: string | undefined, b: string): string {
  return a === undefined ? b : a + ',' + b;
}

/**
 * The mechanics behind the public controller: local evaluation against the poller's definitions, the remote
 * fallback (one `/flags` call per request), overrides, and `$feature_flag_called` reporting.
 */
export class FlagEngine {
  readonly remote: RemoteFlags;
  readonly poller: DefinitionsPoller | undefined;
  readonly overrides = new FlagOverrides();
  readonly dedupe: FlagCalledDedupe;
  readonly cancel = new AbortController();
  readonly options: ResolvedFlagOptions;
  closed = false;
  private started = false;
  /** Minimal `$feature_flag_called` gate; the last of `/flags` and the definitions to speak wins. */
  private minimalGate = false;

  constructor(readonly deps: FeatureFlagsControllerDeps) {
    const o = deps.options;
    this.options = o;
    this.dedupe = new FlagCalledDedupe(o.maxCacheSize);
    this.remote = new RemoteFlags({
      apiKey: deps.apiKey,
      host: deps.host,
      fetch: deps.fetch,
      platform: deps.platform,
      timeoutMs: o.requestTimeoutMs,
      maxRetries: o.featureFlagsRequestMaxRetries,
      evaluationContexts: o.evaluationContexts,
      cancel: this.cancel.signal,
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
          fetch: deps.fetch,
          platform: deps.platform,
          logger: deps.logger,
          options: o,
          cancel: this.cancel.signal,
          report: (error) => this.report(error),
          loaded: (count) => {
            const minimal = this.poller?.current?.minimalEvents;
            if (minimal !== undefined) this.minimalGate = minimal;
            this.deps.emit('localEvaluationFlagsLoaded', count);
          },
        })
      : undefined;
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

  /** The outcome of a conclusive local evaluation. */
  localOutcome(defs: LoadedDefinitions, key: string, r: MatchResult): FlagOutcome {
    const raw = defs.compiled.flags.get(key)?.raw;
    return {
      key,
      value: r.value,
      payload: r.payload,
      locallyEvaluated: true,
      reason: 'Evaluated locally',
      reasonCode: r.reason,
      errorKind: undefined,
      errorCodes: undefined,
      unresolvedReason: undefined,
      flagId: raw?.id,
      version: undefined,
      requestId: undefined,
      evaluatedAt: undefined,
      hasExperiment: raw?.has_experiment,
      definitionsLoadedAt: defs.fetchedAt,
      override: false,
    };
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
    const onlyLocal = opts?.onlyEvaluateLocally ?? this.options.strictLocalEvaluation;
    const poller = this.poller;
    const defs = poller?.current;
    if (defs === undefined) {
      if (!waited && poller !== undefined) return undefined;
      return onlyLocal ? notReady(key, poller === undefined) : undefined;
    }
    const r = evaluateFlag(defs.compiled, key, this.context(distinctId, opts), undefined);
    if (r.kind === 'match') return this.localOutcome(defs, key, r);
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
      this.quickOutcome(key, distinctId, opts, true) ?? (await this.remoteOutcome(key, distinctId, opts))
    );
  }

  private async remoteOutcome(
    key: string,
    distinctId: string,
    opts: FlagCallOptions | undefined,
  ): Promise<FlagOutcome> {
    if (this.closed) return failedOutcome(key, 'shutdown', 'the client was shut down', undefined);
    const res = await this.deps.track(this.remote.evaluate(distinctId, opts, [key]));
    if (!res.ok) {
      this.remoteFailed(res);
      return failedOutcome(key, res.errorKind, res.message, res.errorCode);
    }
    this.remoteAnswered(res);
    const f = res.flags.get(key);
    if (f === undefined || f.value === undefined) {
      let codes = res.errorsWhileComputing ? 'errors_while_computing_flags' : undefined;
      if (res.quotaLimited) codes = joinCodes(codes, 'quota_limited');
      const failed = f?.failed === true;
      codes = joinCodes(codes, failed ? 'evaluation_failed' : 'flag_missing');
      const kind = res.quotaLimited ? 'quota_limited' : failed ? 'evaluation_failed' : 'flag_missing';
      const reason = res.quotaLimited
        ? 'feature flags are quota limited'
        : failed
          ? 'the server failed to evaluate the flag'
          : 'the flag does not exist or is disabled';
      return failedOutcome(key, kind, reason, codes, { requestId: res.requestId });
    }
    return remoteFlagOutcome(f, res);
  }

  /** Records what a successful `/flags` answer says about the project. */
  remoteAnswered(res: RemoteAnswer): void {
    if (res.minimalEvents !== undefined) this.minimalGate = res.minimalEvents;
    const log = this.deps.logger;
    if (res.quotaLimited)
      log.once('warn', 'flags:quota', 'feature flags are quota limited: /flags returned no flags');
    if (res.errorsWhileComputing)
      log.once('error', 'flags:errors', '/flags reported errors while computing flags; some may be missing');
  }

  /** Logs (once per kind per window) and reports a failed `/flags` call. */
  remoteFailed(res: RemoteFailure): void {
    if (res.errorKind === 'shutdown') return;
    this.deps.logger.once('warn', `flags:${res.errorKind}`, res.message);
    this.report(new FeatureFlagError('flags_request', res.message));
  }

  /**
   * Evaluates many flags: locally first, then one `/flags` call when something is left (no definitions, a
   * server-evaluable flag inconclusive, or a requested key unknown locally) unless local-only. `remoteWins`
   * picks which side wins when both have a value (getAllFlags: remote; evaluateFlags: local).
   */
  async collect(
    distinctId: string,
    opts: AllFlagsOptions | undefined,
    remoteWins: boolean,
  ): Promise<CollectedFlags> {
    const entries = new Map<string, FlagOutcome>();
    const unresolved: CollectedFlags['unresolved'] = {};
    const onlyLocal = opts?.onlyEvaluateLocally ?? this.options.strictLocalEvaluation;
    const flagKeys = opts?.flagKeys;
    const defs = this.closed ? undefined : await this.definitions();
    let needsRemote = defs === undefined || defs.count === 0;
    if (defs !== undefined) {
      const results = evaluateAll(defs.compiled, this.context(distinctId, opts), flagKeys, undefined);
      for (const [key, r] of results) {
        if (r.kind === 'match') entries.set(key, this.localOutcome(defs, key, r));
        else {
          unresolved[key] = r.unresolvedReason;
          if (defs.compiled.flags.get(key)?.runtime !== 'client') needsRemote = true;
        }
      }
      if (flagKeys?.some((k) => !results.has(k))) needsRemote = true;
    }
    if (needsRemote && !onlyLocal && !this.closed) {
      const res = await this.deps.track(this.remote.evaluate(distinctId, opts, flagKeys));
      if (res.ok) {
        this.remoteAnswered(res);
        for (const f of res.flags.values()) {
          if (f.value === undefined) {
            if (!entries.has(f.key)) unresolved[f.key] = 'evaluation_failed';
            continue;
          }
          if (!remoteWins && entries.has(f.key)) continue;
          entries.set(f.key, remoteFlagOutcome(f, res));
          delete unresolved[f.key];
        }
        if (res.quotaLimited) for (const key of Object.keys(unresolved)) unresolved[key] = 'quota_limited';
      } else {
        this.remoteFailed(res);
        for (const key of Object.keys(unresolved)) unresolved[key] = res.errorKind;
        if (flagKeys !== undefined)
          for (const k of flagKeys) if (!entries.has(k)) unresolved[k] = res.errorKind;
      }
    }
    if (flagKeys !== undefined) {
      const why = defs === undefined && onlyLocal ? 'not_ready' : 'flag_missing';
      for (const k of flagKeys) if (!entries.has(k) && unresolved[k] === undefined) unresolved[k] = why;
    }
    const overridden = this.overrides.flags;
    if (overridden !== undefined) {
      for (const [key, value] of overridden) {
        if (flagKeys !== undefined && !flagKeys.includes(key)) continue;
        delete unresolved[key];
        if (value === undefined) entries.delete(key);
        else entries.set(key, overrideOutcome(key, value, this.overrides.payloads?.get(key)));
      }
    }
    return { entries, unresolved };
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
    const flagKeys = opts?.flagKeys;
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

  /** Sends `$feature_flag_called` for a read, once per (distinct id, flag, value, groups). */
  flagCalled(
    o: FlagOutcome,
    distinctId: string,
    groups: FlagGroups | undefined,
    disableGeoip: boolean | undefined,
    send: boolean | undefined,
    errorCodes: string | undefined = o.errorCodes,
  ): void {
    if (o.override || !(send ?? this.options.sendFeatureFlagEvent) || distinctId === '' || this.closed)
      return;
    const dedupe = dedupeKey(o.key, o.value, groups);
    if (!this.dedupe.firstTime(distinctId, dedupe)) return;
    const message: EventMessage = {
      distinctId,
      event: '$feature_flag_called',
      properties: flagCalledProperties(o, groups, this.deps.platform.now(), errorCodes),
      groups,
      disableGeoip,
    };
    try {
      const accepted = this.deps.capture(message, { minimal: this.minimalGate && o.hasExperiment === false });
      if (accepted === false) this.dedupe.forget(distinctId, dedupe);
    } catch (error) {
      this.dedupe.forget(distinctId, dedupe);
      this.deps.logger.once('error', 'flags:capture', 'could not capture $feature_flag_called', error);
    }
  }

  /** Single-flag read: outcome plus the event. */
  async read(key: string, distinctId: string, opts: FlagEvaluationOptions | undefined): Promise<FlagOutcome> {
    const o =
      this.quickOutcome(key, distinctId, opts, false) ?? (await this.slowOutcome(key, distinctId, opts));
    this.flagCalled(o, distinctId, opts?.groups, opts?.disableGeoip, opts?.sendFeatureFlagEvents);
    return o;
  }
}

function notReady(key: string, disabled: boolean): FlagOutcome {
  const reason = disabled
    ? 'local evaluation is not configured (no secretKey, cache provider or flagDefinitions)'
    : 'flag definitions are not loaded';
  return failedOutcome(key, 'not_ready', reason, undefined, { locallyEvaluated: true });
}

/** The outcome of a flag answered by `/flags`. */
export function remoteFlagOutcome(f: RemoteFlag, res: RemoteAnswer): FlagOutcome {
  return {
    key: f.key,
    value: f.value,
    payload: f.payload,
    locallyEvaluated: false,
    reason: f.reasonDescription ?? 'Evaluated remotely',
    reasonCode: f.reasonCode,
    errorKind: undefined,
    errorCodes: res.errorsWhileComputing ? 'errors_while_computing_flags' : undefined,
    unresolvedReason: undefined,
    flagId: f.id,
    version: f.version,
    requestId: res.requestId,
    evaluatedAt: res.evaluatedAt,
    hasExperiment: f.hasExperiment,
    definitionsLoadedAt: undefined,
    override: false,
  };
}
