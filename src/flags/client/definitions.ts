import { compileDefinitions } from '../evaluation/compile.js';
import type { CompiledDefinitions } from '../evaluation/compiled.js';
import type { FlagDefinitionsData } from './types.js';

/** Definitions ready to evaluate, swapped atomically on every load. */
export interface LoadedDefinitions {
  /** Compiled definitions. */
  readonly compiled: CompiledDefinitions;
  /** Number of flags held. */
  readonly count: number;
  /** When definitions were last fetched from PostHog (not from a cache or bootstrap), epoch ms. */
  readonly fetchedAt: number | undefined;
  /** `minimal_flag_called_events` of the body, when sent. */
  readonly minimalEvents: boolean | undefined;
  /** Where they came from. */
  readonly source: 'fetch' | 'cache' | 'bootstrap' | 'cleared';
}

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Normalises a definitions body (from the server, a cache provider or a bootstrap file) to the snake_case
 * shape, accepting camelCase aliases; `undefined` when it has no `flags` array.
 */
export function normaliseDefinitions(raw: unknown): FlagDefinitionsData | undefined {
  if (!isObject(raw) || !Array.isArray(raw.flags)) return undefined;
  const data: FlagDefinitionsData = { flags: raw.flags };
  const mapping = raw.group_type_mapping ?? raw.groupTypeMapping;
  if (isObject(mapping)) data.group_type_mapping = mapping as Record<string, string>;
  if (isObject(raw.cohorts)) data.cohorts = raw.cohorts;
  const minimal = raw.minimal_flag_called_events ?? raw.minimalFlagCalledEvents;
  if (typeof minimal === 'boolean') data.minimal_flag_called_events = minimal;
  const version = raw.property_matching_version ?? raw.propertyMatchingVersion;
  if (typeof version === 'number') data.property_matching_version = version;
  return data;
}

/** The body handed to a cache provider: snake_case, with camelCase aliases written too. */
export function cacheEntry(data: FlagDefinitionsData): FlagDefinitionsData {
  const entry: FlagDefinitionsData = { ...data };
  if (data.group_type_mapping !== undefined) entry.groupTypeMapping = data.group_type_mapping;
  if (data.minimal_flag_called_events !== undefined)
    entry.minimalFlagCalledEvents = data.minimal_flag_called_events;
  if (data.property_matching_version !== undefined)
    entry.propertyMatchingVersion = data.property_matching_version;
  return entry;
}

/** Compiles a normalised body. */
export function loadDefinitions(
  data: FlagDefinitionsData,
  source: LoadedDefinitions['source'],
  fetchedAt: number | undefined,
  evaluationContexts: readonly string[] | undefined,
): LoadedDefinitions {
  const compiled = compileDefinitions(data, evaluationContexts === undefined ? {} : { evaluationContexts });
  return {
    compiled,
    count: compiled.flags.size,
    fetchedAt,
    minimalEvents: data.minimal_flag_called_events,
    source,
  };
}

/**
 * Keys of active flags that the server evaluates but local evaluation never can (experience continuity,
 * static cohorts, unknown operators, bad dependencies, unknown group types), sorted.
 */
export function neverLocalKeys(compiled: CompiledDefinitions): string[] {
  const keys: string[] = [];
  for (const flag of compiled.flags.values()) {
    if (flag.active && flag.definitionReason !== 0 && flag.runtime !== 'client') keys.push(flag.key);
  }
  return keys.sort();
}
