import { evaluateAll } from '../evaluation/evaluate.js';
import type { FlagValue, JsonValue } from '../evaluation/types.js';
import type { FlagEngine } from './engine.js';
import { localOutcome } from './local-outcome.js';
import { type FlagOutcome, overrideOutcome } from './outcome.js';
import { remoteAnswered, remoteFailed, remoteFlagOutcome } from './remote-fallback.js';
import type { UnresolvedFlagCause } from './snapshot.js';
import type { AllFlagsOptions, AllFlagsRequest, FlagsAndPayloads } from './types.js';

/** Values and payloads of many flags, plus why some are missing. */
export interface CollectedFlags {
  readonly entries: Map<string, FlagOutcome>;
  readonly unresolved: Record<string, UnresolvedFlagCause>;
}

/**
 * The `flagKeys` option as a list: one key given as a string is a list of one, and anything that is not a key is
 * left out (a call with a malformed list still answers for the keys it holds).
 */
export function flagKeysOf(
  opts: { flagKeys?: readonly string[] | undefined } | undefined,
): string[] | undefined {
  const given: unknown = opts?.flagKeys;
  if (given === undefined || given === null) return undefined;
  if (typeof given === 'string') return [given];
  if (!Array.isArray(given)) return undefined;
  return given.filter((key): key is string => typeof key === 'string');
}

/**
 * Evaluates many flags: locally first, then one `/flags` call when something is left (no definitions, a
 * server-evaluable flag inconclusive, or a requested key unknown locally) unless local-only. `remoteWins`
 * picks which side wins when both have a value (getAllFlags: remote; evaluateFlags: local).
 */
export async function collectFlags(
  engine: FlagEngine,
  distinctId: string,
  opts: AllFlagsOptions | undefined,
  remoteWins: boolean,
): Promise<CollectedFlags> {
  const entries = new Map<string, FlagOutcome>();
  const unresolved: CollectedFlags['unresolved'] = {};
  const onlyLocal = engine.onlyLocal(opts);
  // An empty list filters nothing here, as in posthog-node (evaluateFlags reads it as "no flags" before this).
  const listed = flagKeysOf(opts);
  const flagKeys = listed?.length === 0 ? undefined : listed;
  const defs = engine.closed ? undefined : await engine.definitions();
  let needsRemote = defs === undefined || defs.count === 0;
  if (defs !== undefined) {
    const results = evaluateAll(defs.compiled, engine.context(distinctId, opts), flagKeys, undefined);
    for (const [key, r] of results) {
      if (r.kind === 'match') entries.set(key, localOutcome(defs, key, r));
      else {
        unresolved[key] = r.unresolvedReason;
        if (defs.compiled.flags.get(key)?.runtime !== 'client') needsRemote = true;
      }
    }
    if (flagKeys?.some((k) => !results.has(k))) needsRemote = true;
  }
  if (needsRemote && !onlyLocal && !engine.closed) {
    const res = await engine.deps.track(engine.remote.evaluate(distinctId, opts, flagKeys));
    if (res.ok) {
      remoteAnswered(engine, res);
      for (const f of res.flags.values()) {
        // A server that ignores flag_keys_to_evaluate answers for more: only the keys asked for are kept.
        if (flagKeys !== undefined && !flagKeys.includes(f.key)) continue;
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
      remoteFailed(engine, res);
      for (const key of Object.keys(unresolved)) unresolved[key] = res.errorKind;
      if (flagKeys !== undefined)
        for (const k of flagKeys) if (!entries.has(k)) unresolved[k] = res.errorKind;
    }
  }
  if (flagKeys !== undefined) {
    const why = defs === undefined && onlyLocal ? 'not_ready' : 'flag_missing';
    for (const k of flagKeys) if (!entries.has(k) && unresolved[k] === undefined) unresolved[k] = why;
  }
  const overridden = engine.overrides.flags;
  if (overridden !== undefined) {
    for (const [key, value] of overridden) {
      if (flagKeys !== undefined && !flagKeys.includes(key)) continue;
      delete unresolved[key];
      if (value === undefined) entries.delete(key);
      else entries.set(key, overrideOutcome(key, value, engine.overrides.payloads?.get(key)));
    }
  }
  return { entries, unresolved };
}

/** `getAllFlags` / `getAllFlagsAndPayloads` with either calling form: `(distinctId, options)` or `(request)`. */
export function allFlags(
  engine: FlagEngine,
  a: string | AllFlagsRequest,
  b: AllFlagsOptions | undefined,
  withPayloads: boolean,
): Promise<FlagsAndPayloads> {
  const distinctId = String((typeof a === 'string' ? a : a?.distinctId) ?? '');
  const opts = typeof a === 'string' ? b : a;
  return allFlagsFor(engine, distinctId, opts, withPayloads);
}

/**
 * {@link allFlags} for a normalised distinct id: answered from local definitions
 * when they decide everything (or the call is local-only), else through {@link collectFlags} with remote
 * values winning. Payloads are filled only when `withPayloads`.
 */
export async function allFlagsFor(
  engine: FlagEngine,
  distinctId: string,
  opts: AllFlagsOptions | undefined,
  withPayloads: boolean,
): Promise<FlagsAndPayloads> {
  const featureFlags: Record<string, FlagValue> = {};
  const featureFlagPayloads: Record<string, JsonValue> = {};
  if (distinctId === '') return { featureFlags, featureFlagPayloads };
  // Fast path: definitions answer everything, so no promise chain beyond this async function.
  const defs = engine.poller?.current;
  if (defs !== undefined && !engine.closed) {
    const local = engine.localValues(defs, distinctId, opts, withPayloads ? featureFlagPayloads : undefined);
    const onlyLocal = engine.onlyLocal(opts);
    if (local.complete || onlyLocal) return { featureFlags: local.flags, featureFlagPayloads };
  }
  const collected = await collectFlags(engine, distinctId, opts, true);
  for (const [key, o] of collected.entries) {
    if (o.value === undefined) continue;
    featureFlags[key] = o.value;
    if (withPayloads && o.payload !== null && o.payload !== undefined) featureFlagPayloads[key] = o.payload;
  }
  return { featureFlags, featureFlagPayloads };
}
