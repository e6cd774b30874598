import type { PostHogError } from '../errors/posthog-error.js';
import { flagCallFailed } from '../flags/client/errors.js';
import type {
  AnyFlags,
  AnyPayloads,
  FlagKey,
  FlagPayloadOf,
  FlagSchema,
  FlagValueOf,
  FlagValues,
  TypedFlagOverrides,
  TypedFlagsAndPayloads,
} from '../flags/client/flag-schema.js';
import type { FlagExplanation } from '../flags/client/index.js';
import { FeatureFlagsController, resolveFlagOptions } from '../flags/client/index.js';
import type { FlagEvaluationsOf } from '../flags/client/snapshot.js';
import type {
  AllFlagsOptions,
  AllFlagsRequest,
  FeatureFlagOverrides,
  FeatureFlagResult,
  FlagEvaluationOptions,
  FlagPayloadRequest,
  FlagRequest,
  FlagsAndPayloads,
} from '../flags/client/types.js';
import type { FlagValue } from '../flags/evaluation/types.js';
import { EventClient } from './event-client.js';
import { allFlagsArgs, singleFlagArgs } from './flag-args.js';

export type { ThrownCaptureOptions } from './event-client.js';

const NO_VALUE: Promise<undefined> = Promise.resolve(undefined);

/**
 * The PostHog client: the event pipeline, error tracking and request context of {@link EventClient}, plus
 * feature flags and experiments. Runtime-specific pieces come from the platform given by the entry point;
 * `posthog-ts` on Node exports it as `PostHog`.
 *
 * `F` types the flags (see {@link FlagSchema}): with a flag map, flag calls accept only its keys and return its
 * values. `P` types the payloads by flag key. Both default to untyped.
 */
export class PostHogClient<F extends FlagSchema<F> = AnyFlags, P = AnyPayloads> extends EventClient {
  /** Whether the flag is on for the person (`true` or a variant), `false`, or `undefined` when it cannot be told. */
  isFeatureEnabled<K extends FlagKey<F>>(
    key: K,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<boolean | undefined>;
  isFeatureEnabled<K extends FlagKey<F>>(request: FlagRequest<K>): Promise<boolean | undefined>;
  isFeatureEnabled(
    a: string | FlagRequest,
    b?: string,
    c?: FlagEvaluationOptions,
  ): Promise<boolean | undefined> {
    return this.flags ? this.flags.isFeatureEnabled(a as string, b as string, c) : NO_VALUE;
  }

  /** The flag's value (`true`, `false` or a variant key), or `undefined` when it cannot be evaluated. */
  getFeatureFlag<K extends FlagKey<F>>(
    key: K,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FlagValueOf<F, K> | undefined>;
  getFeatureFlag<K extends FlagKey<F>>(request: FlagRequest<K>): Promise<FlagValueOf<F, K> | undefined>;
  getFeatureFlag(
    a: string | FlagRequest,
    b?: string,
    c?: FlagEvaluationOptions,
  ): Promise<FlagValue | undefined> {
    return this.flags ? this.flags.getFeatureFlag(a as string, b as string, c) : NO_VALUE;
  }

  /**
   * Value, variant, payload and the reason (or error kind) behind them. Without a distinct id (posthog-node's
   * `(key, options?)` form) the request context's is used (`withContext`).
   */
  getFeatureFlagResult(
    key: FlagKey<F>,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FeatureFlagResult | undefined>;
  getFeatureFlagResult(
    key: FlagKey<F>,
    options?: FlagEvaluationOptions,
  ): Promise<FeatureFlagResult | undefined>;
  getFeatureFlagResult(request: FlagRequest<FlagKey<F>>): Promise<FeatureFlagResult | undefined>;
  getFeatureFlagResult(
    a: string | FlagRequest,
    b?: string | FlagEvaluationOptions,
    c?: FlagEvaluationOptions,
  ): Promise<FeatureFlagResult | undefined> {
    if (!this.flags) return NO_VALUE;
    try {
      const { key, distinctId, options } = singleFlagArgs(a, b, c, this.contextDistinctId);
      return this.flags.getFeatureFlagResult(key, distinctId as string, options);
    } catch (error) {
      return Promise.resolve(this.flagCallFailed('getFeatureFlagResult', error, undefined));
    }
  }

  /** The flag's payload (`null` when it has none), or `undefined` when it cannot be evaluated. */
  getFeatureFlagPayload<K extends FlagKey<F>>(
    key: K,
    distinctId: string,
    matchValue?: FlagValueOf<F, K>,
    options?: FlagEvaluationOptions,
  ): Promise<FlagPayloadOf<P, K> | null | undefined>;
  getFeatureFlagPayload<K extends FlagKey<F>>(
    request: FlagPayloadRequest<K, FlagValueOf<F, K>>,
  ): Promise<FlagPayloadOf<P, K> | null | undefined>;
  getFeatureFlagPayload(
    a: string | FlagPayloadRequest,
    b?: string,
    c?: FlagValue,
    d?: FlagEvaluationOptions,
  ): Promise<unknown> {
    // `unknown`: the overloads narrow it to the JSON PostHog holds, or to the caller's payload map.
    return this.flags ? this.flags.getFeatureFlagPayload(a as string, b as string, c, d) : NO_VALUE;
  }

  /**
   * Every flag's value for the person, with one remote call at most. Without a distinct id (posthog-node's
   * `(options?)` form) the request context's is used (`withContext`); with neither, `{}` and a logged warning.
   */
  getAllFlags(distinctId: string, options?: AllFlagsOptions): Promise<FlagValues<F>>;
  getAllFlags(request: AllFlagsRequest): Promise<FlagValues<F>>;
  getAllFlags(options?: AllFlagsOptions): Promise<FlagValues<F>>;
  getAllFlags(a?: string | AllFlagsRequest | AllFlagsOptions, b?: AllFlagsOptions): Promise<FlagValues<F>> {
    // The values are what PostHog answered; F is the caller's description of them.
    return this.untypedAllFlags(a, b) as Promise<FlagValues<F>>;
  }

  private untypedAllFlags(
    a: string | AllFlagsRequest | AllFlagsOptions | undefined,
    b: AllFlagsOptions | undefined,
  ): Promise<Record<string, FlagValue>> {
    if (!this.flags) return Promise.resolve({});
    try {
      const { distinctId, options } = this.allFlagsArgs(a, b);
      return this.flags.getAllFlags(distinctId, options);
    } catch (error) {
      return Promise.resolve(this.flagCallFailed('getAllFlags', error, {}));
    }
  }

  /** Every flag's value and payload for the person, with one remote call at most (distinct id as in `getAllFlags`). */
  getAllFlagsAndPayloads(distinctId: string, options?: AllFlagsOptions): Promise<TypedFlagsAndPayloads<F, P>>;
  getAllFlagsAndPayloads(request: AllFlagsRequest): Promise<TypedFlagsAndPayloads<F, P>>;
  getAllFlagsAndPayloads(options?: AllFlagsOptions): Promise<TypedFlagsAndPayloads<F, P>>;
  getAllFlagsAndPayloads(
    a?: string | AllFlagsRequest | AllFlagsOptions,
    b?: AllFlagsOptions,
  ): Promise<TypedFlagsAndPayloads<F, P>> {
    return this.untypedAllFlagsAndPayloads(a, b) as Promise<TypedFlagsAndPayloads<F, P>>;
  }

  private untypedAllFlagsAndPayloads(
    a: string | AllFlagsRequest | AllFlagsOptions | undefined,
    b: AllFlagsOptions | undefined,
  ): Promise<FlagsAndPayloads> {
    const none = (): FlagsAndPayloads => ({ featureFlags: {}, featureFlagPayloads: {} });
    if (!this.flags) return Promise.resolve(none());
    try {
      const { distinctId, options } = this.allFlagsArgs(a, b);
      return this.flags.getAllFlagsAndPayloads(distinctId, options);
    } catch (error) {
      return Promise.resolve(this.flagCallFailed('getAllFlagsAndPayloads', error, none()));
    }
  }

  /**
   * Evaluates the person's flags once (locally, with at most one remote call) into a snapshot: read it with
   * `isEnabled` / `getFlag` / `getFlagPayload`, and pass it to `capture({ flags })` so events carry the exact
   * values the code branched on. The distinct id is found as in `getAllFlags`; with none, the snapshot is empty.
   */
  evaluateFlags(distinctId: string, options?: AllFlagsOptions): Promise<FlagEvaluationsOf<F, P>>;
  evaluateFlags(request: AllFlagsRequest): Promise<FlagEvaluationsOf<F, P>>;
  evaluateFlags(options?: AllFlagsOptions): Promise<FlagEvaluationsOf<F, P>>;
  evaluateFlags(
    a?: string | AllFlagsRequest | AllFlagsOptions,
    b?: AllFlagsOptions,
  ): Promise<FlagEvaluationsOf<F, P>> {
    let args: { distinctId: string; options: AllFlagsOptions | undefined };
    try {
      args = this.allFlagsArgs(a, b);
    } catch (error) {
      args = this.flagCallFailed('evaluateFlags', error, { distinctId: '', options: undefined });
    }
    // The snapshot holds what PostHog answered; F and P are the caller's description of it.
    return this.requireFlags().evaluateFlags(args.distinctId, args.options) as Promise<
      FlagEvaluationsOf<F, P>
    >;
  }

  /** The decrypted payload of a remote-config flag (needs `secretKey`), cached for `remoteConfigCacheTtlMs`. */
  getRemoteConfigPayload<K extends FlagKey<F>>(flagKey: K): Promise<FlagPayloadOf<P, K> | undefined>;
  getRemoteConfigPayload(flagKey: string): Promise<unknown> {
    return this.flags ? this.flags.getRemoteConfigPayload(flagKey) : NO_VALUE;
  }

  /** Loads flag definitions now. */
  reloadFeatureFlags(): Promise<void> {
    return this.flags ? this.flags.reloadFeatureFlags() : Promise.resolve();
  }

  /** Forces flag values (and payloads) for tests and local development; `false` clears. */
  overrideFeatureFlags(overrides: TypedFlagOverrides<F, P>): void {
    try {
      // The typed forms are the untyped ones with fewer keys allowed.
      this.flags?.overrideFeatureFlags(overrides as FeatureFlagOverrides);
    } catch (error) {
      this.flagCallFailed('overrideFeatureFlags', error, undefined);
    }
  }

  /** Where the loaded definition of `key` may be evaluated, from the polled definitions; no request. */
  getFeatureFlagEvaluationRuntime(key: FlagKey<F>): 'server' | 'client' | 'all' | undefined {
    return this.flags?.getFeatureFlagEvaluationRuntime(key);
  }

  /** Keys of the loaded flags evaluated in `runtime`; no request. */
  getFeatureFlagKeysByEvaluationRuntime(runtime: 'server' | 'client' | 'all'): string[] {
    return this.flags?.getFeatureFlagKeysByEvaluationRuntime(runtime) ?? [];
  }

  /** True once flag definitions are loaded and hold at least one flag. */
  isLocalEvaluationReady(): boolean {
    return this.flags?.isLocalEvaluationReady() ?? false;
  }

  /** Resolves `true` when definitions are loaded, or `false` after `timeoutMs`. */
  waitForLocalEvaluationReady(timeoutMs = 30_000): Promise<boolean> {
    return this.flags ? this.flags.waitForLocalEvaluationReady(timeoutMs) : Promise.resolve(false);
  }

  /**
   * How the flag's value is reached for this person: the definition version, each condition in order with each
   * property filter's outcome and why, rollout and variant hashes against their thresholds, dependency and cohort
   * sub-results, and whether the server would be asked.
   */
  explainFeatureFlag(
    key: FlagKey<F>,
    distinctId: string,
    options?: FlagEvaluationOptions,
  ): Promise<FlagExplanation> {
    return this.requireFlags().explainFeatureFlag(key, distinctId, options);
  }

  /** Reports a flag call that failed on its arguments (see flagCallFailed) and gives `fallback`. */
  private flagCallFailed<T>(method: string, error: unknown, fallback: T): T {
    return flagCallFailed(
      { logger: this.logger, emit: (_event, payload) => this.emitter.emit('error', payload as PostHogError) },
      method,
      error,
      fallback,
    );
  }

  /** The request context's distinct id, for flag calls that name none. */
  private readonly contextDistinctId = (): string | undefined => this.context()?.distinctId;

  /** An all-flags call's distinct id and options; warns (once) when neither the call nor the context has an id. */
  private allFlagsArgs(
    a: string | AllFlagsRequest | AllFlagsOptions | undefined,
    b: AllFlagsOptions | undefined,
  ): { distinctId: string; options: AllFlagsOptions | undefined } {
    const { distinctId, options } = allFlagsArgs(a, b, this.contextDistinctId);
    if (distinctId === undefined || distinctId === '') {
      this.logger.once(
        'warn',
        'flags:no_distinct_id',
        'a flag call needs a distinct id: pass one, or call it inside withContext({ distinctId }); returning no flags',
      );
    }
    return { distinctId: distinctId ?? '', options };
  }

  private requireFlags(): FeatureFlagsController {
    if (this.flags) return this.flags;
    // A disabled client still answers flag calls, with nothing loaded and no network.
    const disabled = new FeatureFlagsController({
      apiKey: '',
      host: this.config.host,
      options: {
        ...resolveFlagOptions(undefined),
        enableLocalEvaluation: false,
        strictLocalEvaluation: true,
      },
      platform: this.platform,
      exchange: this.exchange,
      logger: this.logger,
      emit: () => {},
      capture: () => undefined,
      track: (work) => work,
    });
    return disabled;
  }
}
