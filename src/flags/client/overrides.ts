import type { FlagValue, JsonValue } from '../evaluation/types.js';
import type { FeatureFlagOverrides } from './types.js';

/** Local overrides: they win over local and remote evaluation. A value of `undefined` means "flag absent". */
export class FlagOverrides {
  /** Overridden values, or undefined when none are set (the hot path checks only this). */
  flags: Map<string, FlagValue | undefined> | undefined;
  /** Overridden payloads. */
  payloads: Map<string, JsonValue> | undefined;

  /** Applies `overrideFeatureFlags(x)`. */
  set(x: FeatureFlagOverrides): void {
    if (x === false) {
      this.flags = undefined;
      this.payloads = undefined;
      return;
    }
    if (isSplit(x)) {
      if (x.flags !== undefined) this.flags = toFlags(x.flags);
      if (x.payloads !== undefined) this.payloads = x.payloads === false ? undefined : toPayloads(x.payloads);
      return;
    }
    this.flags = toFlags(x as readonly string[] | Readonly<Record<string, FlagValue | undefined>>);
  }

  /** Overrides `flags`/`payloads` in place (used by getAllFlags). */
  applyTo(flags: Record<string, FlagValue>, payloads: Record<string, JsonValue> | undefined): void {
    if (this.flags !== undefined) {
      for (const [key, value] of this.flags) {
        if (value === undefined) {
          delete flags[key];
          if (payloads !== undefined) delete payloads[key];
        } else flags[key] = value;
      }
    }
    if (payloads !== undefined && this.payloads !== undefined) {
      for (const [key, value] of this.payloads) if (flags[key] !== undefined) payloads[key] = value;
    }
  }
}

type SplitOverrides = {
  readonly flags?: false | readonly string[] | Readonly<Record<string, FlagValue | undefined>>;
  readonly payloads?: false | Readonly<Record<string, JsonValue>>;
};

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `{ flags?, payloads? }` rather than a map of flag values (a map's values are booleans or strings). */
function isSplit(input: FeatureFlagOverrides): input is SplitOverrides {
  const x: unknown = input;
  if (!isPlain(x)) return false;
  const keys = Object.keys(x);
  if (keys.length === 0 || keys.some((k) => k !== 'flags' && k !== 'payloads')) return false;
  return keys.every((k) => {
    const v = x[k];
    return v === false || v === undefined || Array.isArray(v) || isPlain(v);
  });
}

function toFlags(
  x: false | readonly string[] | Readonly<Record<string, FlagValue | undefined>>,
): Map<string, FlagValue | undefined> | undefined {
  if (x === false) return undefined;
  if (Array.isArray(x)) return new Map(x.map((k: string) => [k, true]));
  const map = new Map<string, FlagValue | undefined>();
  for (const [k, v] of Object.entries(x as Readonly<Record<string, FlagValue | undefined>>)) map.set(k, v);
  return map;
}

function toPayloads(x: Readonly<Record<string, JsonValue>>): Map<string, JsonValue> {
  return new Map(Object.entries(x));
}
