import type { FlagValue, JsonValue } from '../evaluation/types.js';
import type { FeatureFlagsControllerDeps } from './controller-deps.js';
import { FlagEngine } from './engine.js';
import { flagCallFailed } from './errors.js';
import { toResult } from './outcome.js';
import type { FeatureFlagResult, FlagEvaluationOptions, FlagPayloadRequest, FlagRequest } from './types.js';

/**
 * The single-flag reads of {@link FeatureFlagsController} (value, enabled, result with reason, payload) and the
 * engine they share with the rest of it; split out of the controller to keep each file to one concern.
 */
export class FlagReads {
  /** @internal The mechanics behind every method; see {@link FlagEngine}. */
  protected readonly engine: FlagEngine;

  /** Builds the engine (nothing starts until `start()`) and logs deprecated options once. */
  constructor(protected readonly deps: FeatureFlagsControllerDeps) {
    this.engine = new FlagEngine(deps);
    // Options are resolved before the client has a logger, so deprecated ones are reported here, once.
    for (const message of deps.options.deprecationWarnings) {
      deps.logger.once('warn', `flags:deprecated:${message}`, message);
    }
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
    try {
      const isPositional = typeof a === 'string';
      const key = isPositional ? a : a?.key;
      const distinctId = isPositional ? b : a?.distinctId;
      const opts = isPositional ? c : a;
      if (!this.valid(key, distinctId)) return undefined;
      return (await this.engine.read(key, String(distinctId), opts)).value;
    } catch (error) {
      return flagCallFailed(this.deps, 'getFeatureFlag', error, undefined);
    }
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
    try {
      const isPositional = typeof a === 'string';
      const key = isPositional ? a : a?.key;
      const distinctId = isPositional ? b : a?.distinctId;
      if (!this.valid(key, distinctId)) return undefined;
      return toResult(await this.engine.read(key, String(distinctId), isPositional ? c : a));
    } catch (error) {
      return flagCallFailed(this.deps, 'getFeatureFlagResult', error, undefined);
    }
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
    try {
      return await this.payloadOf(a, b, matchValue, c);
    } catch (error) {
      return flagCallFailed(this.deps, 'getFeatureFlagPayload', error, undefined);
    }
  }

  private async payloadOf(
    a: string | FlagPayloadRequest,
    b: string | undefined,
    matchValue: FlagValue | undefined,
    c: FlagEvaluationOptions | undefined,
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

  /** Whether the key and distinct id of a call are usable; logs (once per window) and refuses when not. */
  protected valid(key: unknown, distinctId: unknown): key is string {
    if (typeof key !== 'string' || key === '') {
      this.deps.logger.once(
        'warn',
        'flags:bad_key',
        'a flag call needs a non-empty flag key; returning undefined',
      );
      return false;
    }
    if ((typeof distinctId !== 'string' && typeof distinctId !== 'number') || distinctId === '') {
      this.deps.logger.once(
        'warn',
        'flags:bad_id',
        'a flag call needs a distinct id: pass one, or call it inside withContext({ distinctId }); returning undefined',
      );
      return false;
    }
    return true;
  }
}
