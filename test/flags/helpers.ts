import { compileDefinitions, type EvaluationContext, evaluateFlag } from '../../src/flags/index.js';

/** Fixed clock for tests: 2025-03-31T12:00:00Z. */
export const NOW = Date.UTC(2025, 2, 31, 12);

/** Evaluates one person filter in a one-condition flag: true, false, or the inconclusive reason. */
export function runFilter(
  filter: Record<string, unknown>,
  personProperties: Record<string, unknown>,
  extra: { version?: number; now?: number } = {},
): boolean | string {
  const defs = compileDefinitions({
    flags: [
      { key: 'f', active: true, filters: { groups: [{ properties: [filter], rollout_percentage: 100 }] } },
    ],
    ...(extra.version !== undefined ? { property_matching_version: extra.version } : {}),
  });
  const ctx: EvaluationContext = { distinctId: 'u1', personProperties, now: extra.now ?? NOW };
  const r = evaluateFlag(defs, 'f', ctx);
  return r.kind === 'match' ? r.value : r.reason;
}
