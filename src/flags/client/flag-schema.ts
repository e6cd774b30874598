import type { FlagValue, JsonValue } from '../evaluation/types.js';

/**
 * The constraint on a typed client's flag map: each key with the values its flag takes (`boolean` for a boolean
 * flag, the union of its variant keys for a multivariate one). `new PostHog<MyFlags>(…)` then accepts only those
 * keys in flag calls and types each value. An interface or a type alias both fit.
 */
export type FlagSchema<F> = { [K in keyof F]: FlagValue };

/** The flag map of an untyped client: any key, any flag value. The default of every flag type parameter. */
export type AnyFlags = Record<string, FlagValue>;

/** The payload map of an untyped client: any key, any JSON payload. The default of every payload type parameter. */
export type AnyPayloads = Record<string, JsonValue>;

/** The flag keys of a flag map. */
export type FlagKey<F> = Extract<keyof F, string>;

/**
 * What a flag call reads for key `K` of flag map `F`: one of its declared values, or `false`, which a multivariate
 * flag also takes for a person outside its rollout.
 */
export type FlagValueOf<F, K extends keyof F> = F[K] | false;

/** The payload type of key `K`: its entry in payload map `P`, or any JSON value when `P` does not name it. */
export type FlagPayloadOf<P, K> = K extends keyof P ? P[K] : JsonValue;

/** `getAllFlags()`'s answer for flag map `F`: untyped, or each declared key that has a value. */
export type FlagValues<F> = string extends keyof F
  ? Record<string, FlagValue>
  : { [K in FlagKey<F>]?: FlagValueOf<F, K> };

/** `getAllFlagsAndPayloads()`'s answer for flag map `F` and payload map `P`. */
export interface TypedFlagsAndPayloads<F, P> {
  /** Values by key. */
  featureFlags: FlagValues<F>;
  /** Payloads by key, for flags that have one. */
  featureFlagPayloads: string extends keyof F
    ? Record<string, JsonValue>
    : { [K in FlagKey<F>]?: FlagPayloadOf<P, K> };
}
