import type { FlagValue } from '../evaluation/types.js';
import { allFlags } from './all-flags.js';
import type { FlagEngine } from './engine.js';

/** `capture({ sendFeatureFlags })`'s option. */
export type SendFeatureFlagsOption =
  | true
  | {
      onlyEvaluateLocally?: boolean | undefined;
      personProperties?: Readonly<Record<string, unknown>> | undefined;
      groupProperties?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
      groups?: Readonly<Record<string, string | number>> | undefined;
      flagKeys?: readonly string[] | undefined;
      disableGeoip?: boolean | undefined;
    };

/** Flag properties for an event: ready now, or after one `/flags` call (never rejects). */
export type CaptureFlagProperties =
  | { readonly sync: Record<string, unknown> }
  | { readonly later: Promise<Record<string, unknown>> };

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

/**
 * Flag properties for `capture({ sendFeatureFlags })`: `$feature/<key>` and sorted `$active_feature_flags`.
 * Synchronous (no network) when local definitions answer everything or `onlyEvaluateLocally` is set;
 * otherwise one `/flags` call whose failure yields `{}`.
 */
export function flagPropertiesFor(
  engine: FlagEngine,
  distinctId: string,
  sendFeatureFlags: SendFeatureFlagsOption,
): CaptureFlagProperties {
  const opts = sendFeatureFlags === true ? undefined : sendFeatureFlags;
  const onlyLocal = engine.onlyLocal(opts);
  engine.start();
  const defs = engine.poller?.current;
  if (defs !== undefined && defs.count > 0) {
    const local = engine.localValues(defs, distinctId, opts, undefined);
    // Once definitions are loaded, a capture asks nothing of /flags unless told to (`onlyEvaluateLocally: false`),
    // as in posthog-node: a billed request per captured event, for flags local evaluation cannot settle, is not
    // what a capture call should cost.
    if (local.complete || engine.options.offline || (opts?.onlyEvaluateLocally ?? true))
      return { sync: eventFlagProperties(local.flags) };
  } else if (onlyLocal || engine.closed || distinctId === '') {
    const flags: Record<string, FlagValue> = {};
    engine.overrides.applyTo(flags, undefined);
    return { sync: eventFlagProperties(flags) };
  }
  const later = allFlags(engine, distinctId, opts, false).then(
    (r) => eventFlagProperties(r.featureFlags),
    () => ({}),
  );
  return { later: engine.deps.track(later) };
}
