import type { FlagValue, JsonValue } from '../evaluation/types.js';
import type { FeatureFlagOverrides, FlagsAndPayloads } from './types.js';

/**
 * The constraint on a typed client's flag map: each key with the values its flag takes (`boolean` for a boolean
 * flag, the union of its variant keys for a multivariate one). `new PostHog<MyFlags>(…)` then accepts only those
 * keys in flag calls and types each value. An interface or a type alias both fit.
 */
export type FlagSchema<F> = { [K in keyof F]: FlagValue };

/**
 * The flag map of an untyped client, and the default of every flag type parameter. It is `any` on purpose: every
 * typed map is assignable to it, so a typed client (`PostHog<MyFlags>`) goes wherever a `PostHog` is expected. The
 * flag types read it as untyped (any string key, any flag value), so no `any` reaches a caller.
 */
// biome-ignore lint/suspicious/noExplicitAny: the untyped default must accept every typed client; see above.
export type AnyFlags = any;

/** The payload map of an untyped client, and the default of every payload type parameter: any JSON payload. */
// biome-ignore lint/suspicious/noExplicitAny: as for AnyFlags.
export type AnyPayloads = any;

/**
 * `true` for the untyped default ({@link AnyFlags}, `any`). Any other map types its calls, an index-signature map
 * such as `Record<string, boolean>` included (any key, its value type).
 */
export type IsUntypedMap<F> = 0 extends 1 & F ? true : false;

/** The flag keys of a flag map: any string for an untyped one. */
export type FlagKey<F> = IsUntypedMap<F> extends true ? string : Extract<keyof F, string>;

/**
 * What a flag call reads for key `K` of flag map `F`: one of its declared values, or `false`, which a multivariate
 * flag also takes for a person outside its rollout. Any flag value for an untyped map.
 */
export type FlagValueOf<F, K> = IsUntypedMap<F> extends true ? FlagValue : F[K & keyof F] | false;

/** The payload type of key `K`: its entry in payload map `P`, or any JSON value when `P` does not name it. */
export type FlagPayloadOf<P, K> =
  IsUntypedMap<P> extends true ? JsonValue : K extends keyof P ? P[K] : JsonValue;

/** `getAllFlags()`'s answer for flag map `F`: untyped, or each declared key that has a value. */
export type FlagValues<F> =
  IsUntypedMap<F> extends true ? Record<string, FlagValue> : { [K in FlagKey<F>]?: FlagValueOf<F, K> };

/**
 * `getAllFlagsAndPayloads()`'s answer for flag map `F` and payload map `P`: {@link FlagsAndPayloads} for an untyped
 * client, else each declared key's value and payload, when it has one.
 */
export type TypedFlagsAndPayloads<F, P> =
  IsUntypedMap<F> extends true
    ? FlagsAndPayloads
    : {
        /** Values by key. */
        featureFlags: FlagValues<F>;
        /** Payloads by key, for flags that have one. */
        featureFlagPayloads: { [K in FlagKey<F>]?: FlagPayloadOf<P, K> };
      };

/** Flag values by declared key, each optional: what an override map may set. */
type OverrideValues<F> = { readonly [K in FlagKey<F>]?: FlagValueOf<F, K> | undefined };

/**
 * What `overrideFeatureFlags` accepts for flag map `F` and payload map `P`: {@link FeatureFlagOverrides} for an
 * untyped client, else the same forms restricted to the declared keys, values and payloads.
 */
export type TypedFlagOverrides<F, P> =
  IsUntypedMap<F> extends true
    ? FeatureFlagOverrides
    :
        | false
        | readonly FlagKey<F>[]
        | OverrideValues<F>
        | {
            readonly flags?: false | readonly FlagKey<F>[] | OverrideValues<F>;
            readonly payloads?: false | { readonly [K in FlagKey<F>]?: FlagPayloadOf<P, K> };
          };
