import type { FlagValue, JsonValue } from '../evaluation/types.js';
import type { FlagKey, FlagPayloadOf, FlagSchema, FlagValueOf, IsUntypedMap } from './flag-schema.js';
import type { FlagOutcome } from './outcome.js';
import type { FlagErrorKind, FlagGroups, UnresolvedFlagReason } from './types.js';

/** Why a snapshot has no value for a flag. */
export type UnresolvedFlagCause = UnresolvedFlagReason | FlagErrorKind;

/** What a snapshot needs from the controller that made it. */
export interface SnapshotHost {
  /** Sends `$feature_flag_called` for a read (deduplicated), unless events are off for it. */
  reportRead(
    distinctId: string,
    key: string,
    outcome: FlagOutcome | undefined,
    unresolved: UnresolvedFlagCause | undefined,
    context: SnapshotContext,
    send: boolean | undefined,
  ): void;
  /** Logs a warning about the API's use, if `featureFlagsLogWarnings` is on. */
  warn(message: string): void;
}

/** The call context a snapshot's events carry. */
export interface SnapshotContext {
  /** Groups of the evaluation, sent as `$groups`. */
  readonly groups: FlagGroups | undefined;
  /** The evaluation's `disableGeoip`, passed to the event. */
  readonly disableGeoip: boolean | undefined;
}

/** Options of a snapshot read. */
export interface SnapshotReadOptions {
  /** Send `$feature_flag_called` for this read. Default: the client's `sendFeatureFlagEvent`. */
  sendFeatureFlagEvents?: boolean | undefined;
}

/**
 * The flags of one person at one moment, from `evaluateFlags()`: reading it costs nothing and makes no
 * network call. Reads with `isEnabled` / `getFlag` send `$feature_flag_called` (once per value); pass the
 * snapshot to `capture({ flags })` to attach `$feature/<key>` and `$active_feature_flags` to an event.
 */
export class FeatureFlagEvaluations {
  /** Why flags could not be evaluated, by key. */
  readonly unresolvedFlags: Readonly<Record<string, UnresolvedFlagCause>>;

  /** @internal Created by the controller. */
  constructor(
    private readonly host: SnapshotHost,
    /** Whose flags these are. */
    readonly distinctId: string,
    private readonly entries: ReadonlyMap<string, FlagOutcome>,
    unresolved: Readonly<Record<string, UnresolvedFlagCause>>,
    private readonly context: SnapshotContext,
    private readonly slice: ReadonlySet<string> | undefined = undefined,
    private readonly accessed: Set<string> = new Set(),
  ) {
    this.unresolvedFlags = unresolved;
  }

  /** Keys with a value, in evaluation order. */
  get keys(): string[] {
    const out: string[] = [];
    for (const key of this.entries.keys()) if (this.inSlice(key)) out.push(key);
    return out;
  }

  /**
   * Whether the flag is on (`true` or any variant). `defaultValue` (default `false`) is returned when the
   * snapshot has no value for it.
   */
  isEnabled(key: string, options?: SnapshotReadOptions & { defaultValue?: boolean | undefined }): boolean {
    const value = this.read(key, options?.sendFeatureFlagEvents);
    if (value === undefined) return options?.defaultValue ?? false;
    return value !== false;
  }

  /** The flag's value, or `undefined` when the snapshot has none. */
  getFlag(key: string, options?: SnapshotReadOptions): FlagValue | undefined {
    return this.read(key, options?.sendFeatureFlagEvents);
  }

  /** The payload for the flag's value (`null` when none); sends no event. */
  getFlagPayload(key: string): JsonValue | null | undefined {
    if (typeof key !== 'string' || !this.inSlice(key)) return undefined;
    return this.entries.get(key)?.payload;
  }

  /** Detailed outcome of one flag (reason, ids, where it came from), without sending an event. */
  getFlagDetails(key: string): FlagOutcome | undefined {
    return this.inSlice(key) ? this.entries.get(key) : undefined;
  }

  /** A snapshot restricted to `keys` (for `capture({ flags })`); warns about keys it does not hold. */
  only(keys: readonly string[]): FeatureFlagEvaluations {
    // Anything but a list of keys (a single key, a proxy) selects what it can: reads of a snapshot never throw.
    let given: unknown[] = [];
    try {
      given = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? [...keys] : [];
    } catch {
      given = [];
    }
    keys = given.filter((k): k is string => typeof k === 'string');
    const missing = keys.filter((k) => !this.entries.has(k));
    if (missing.length > 0) {
      this.host.warn(`evaluateFlags().only(): no value for ${missing.join(', ')}; they are left out`);
    }
    const slice = new Set(keys.filter((k) => this.inSlice(k)));
    return this.derive(slice);
  }

  /** A snapshot restricted to the flags read so far, so events carry only the flags that mattered. */
  onlyAccessed(): FeatureFlagEvaluations {
    const slice = new Set([...this.accessed].filter((k) => this.inSlice(k)));
    if (slice.size === 0) this.host.warn('evaluateFlags().onlyAccessed(): no flag was read yet');
    return this.derive(slice);
  }

  /**
   * The properties `capture({ flags })` adds: `$feature/<key>` for every flag, and the sorted
   * `$active_feature_flags` when any is on. Makes no network call.
   */
  eventProperties(): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    const active: string[] = [];
    for (const [key, o] of this.entries) {
      if (o.value === undefined || !this.inSlice(key)) continue;
      props[`$feature/${key}`] = o.value;
      if (o.value !== false) active.push(key);
    }
    if (active.length > 0) props.$active_feature_flags = active.sort();
    return props;
  }

  private read(key: string, send: boolean | undefined): FlagValue | undefined {
    if (typeof key !== 'string' || !this.inSlice(key)) return undefined;
    this.accessed.add(key);
    const outcome = this.entries.get(key);
    this.host.reportRead(this.distinctId, key, outcome, this.unresolvedFlags[key], this.context, send);
    return outcome?.value;
  }

  private inSlice(key: string): boolean {
    return this.slice === undefined || this.slice.has(key);
  }

  private derive(slice: ReadonlySet<string>): FeatureFlagEvaluations {
    const unresolved: Record<string, UnresolvedFlagCause> = {};
    for (const [k, v] of Object.entries(this.unresolvedFlags)) if (slice.has(k)) unresolved[k] = v;
    return new FeatureFlagEvaluations(
      this.host,
      this.distinctId,
      this.entries,
      unresolved,
      this.context,
      slice,
      this.accessed,
    );
  }
}

/**
 * A snapshot of a typed client (`new PostHog<MyFlags, MyPayloads>`): the same object as
 * {@link FeatureFlagEvaluations}, its reads typed by the client's flag map `F` and payload map `P`. It goes to
 * `capture({ flags })` as an untyped snapshot does.
 */
export interface TypedFeatureFlagEvaluations<F extends FlagSchema<F>, P>
  extends Omit<FeatureFlagEvaluations, TypedReads> {
  /** Whether the flag is on (`true` or any variant); `defaultValue` (default `false`) when the snapshot has none. */
  isEnabled(key: FlagKey<F>, options?: SnapshotReadOptions & { defaultValue?: boolean | undefined }): boolean;
  /** The flag's value, or `undefined` when the snapshot has none. */
  getFlag<K extends FlagKey<F>>(key: K, options?: SnapshotReadOptions): FlagValueOf<F, K> | undefined;
  /** The payload for the flag's value (`null` when none); sends no event. */
  getFlagPayload<K extends FlagKey<F>>(key: K): FlagPayloadOf<P, K> | null | undefined;
  /** Detailed outcome of one flag (reason, ids, where it came from), without sending an event. */
  getFlagDetails(key: FlagKey<F>): FlagOutcome | undefined;
  /** A snapshot restricted to `keys` (for `capture({ flags })`); warns about keys it does not hold. */
  only(keys: readonly FlagKey<F>[]): TypedFeatureFlagEvaluations<F, P>;
  /** A snapshot restricted to the flags read so far, so events carry only the flags that mattered. */
  onlyAccessed(): TypedFeatureFlagEvaluations<F, P>;
}

/** The reads a typed snapshot types by key. */
type TypedReads = 'isEnabled' | 'getFlag' | 'getFlagPayload' | 'getFlagDetails' | 'only' | 'onlyAccessed';

/** What `evaluateFlags()` gives: the untyped snapshot for an untyped client, the typed one otherwise. */
export type FlagEvaluationsOf<F extends FlagSchema<F>, P> =
  IsUntypedMap<F> extends true ? FeatureFlagEvaluations : TypedFeatureFlagEvaluations<F, P>;
