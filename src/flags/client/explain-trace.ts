import type { CompiledDefinitions } from '../evaluation/compiled.js';
import type { ExplainEvent } from '../evaluation/explain.js';
import type { ExplainedCondition, ExplainedFlag } from './explain.js';

function conditionsOf(defs: CompiledDefinitions, key: string): ExplainedCondition[] {
  const flag = defs.flags.get(key);
  if (flag === undefined) return [];
  return flag.conditions.map((c) => ({
    index: c.index,
    rolloutPercentage: c.threshold === null ? 100 : c.threshold * 100,
    variantOverride: c.forcedVariant,
    evaluated: false,
    filters: [],
  }));
}

function versionOf(defs: CompiledDefinitions, key: string): number | undefined {
  const v = (defs.flags.get(key)?.raw as { version?: unknown } | undefined)?.version;
  return typeof v === 'number' ? v : undefined;
}

/** Turns the evaluator's flat event list into a tree of flags, conditions and dependencies. */
export function buildTrace(
  events: readonly ExplainEvent[],
  defs: CompiledDefinitions,
): ExplainedFlag | undefined {
  const stack: ExplainedFlag[] = [];
  let root: ExplainedFlag | undefined;
  const frame = (key: string): ExplainedFlag | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]?.key === key) return stack[i];
    return undefined;
  };
  const condition = (f: ExplainedFlag, index: number): ExplainedCondition | undefined => {
    const c = f.conditions[index];
    if (c !== undefined) c.evaluated = true;
    return c;
  };
  for (const e of events) {
    if (e.type === 'flag') {
      while (stack.length > e.depth) stack.pop();
      const f: ExplainedFlag = {
        key: e.key,
        depth: e.depth,
        version: versionOf(defs, e.key),
        conditions: conditionsOf(defs, e.key),
        dependencies: [],
      };
      if (stack.length > 0) stack[stack.length - 1]?.dependencies.push(f);
      else root ??= f;
      stack.push(f);
      continue;
    }
    const f = frame(e.flag);
    if (f === undefined) continue;
    switch (e.type) {
      case 'holdout':
        f.holdout = { hash: e.hash, threshold: e.threshold, heldOut: e.heldOut };
        break;
      case 'condition_skipped': {
        const c = condition(f, e.condition);
        if (c !== undefined) c.skipped = e.why;
        break;
      }
      case 'filter': {
        const c = condition(f, e.condition);
        c?.filters.push({
          type: e.filterType,
          key: e.key,
          operator: e.operator,
          outcome: e.outcome,
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
        });
        break;
      }
      case 'rollout': {
        const c = condition(f, e.condition);
        if (c !== undefined) c.rollout = { hash: e.hash, threshold: e.threshold, passed: e.passed };
        break;
      }
      case 'variant':
        f.variant = { hash: e.hash, ranges: e.ranges, selected: e.selected };
        break;
      case 'dependency':
      case 'result':
        f.value = e.value;
        break;
    }
  }
  return root;
}

const pct = (x: number): string => `${(x * 100).toFixed(4).replace(/\.?0+$/, '')}%`;

/** Readable lines for a trace, indented by dependency depth. */
export function describeTrace(f: ExplainedFlag, out: string[] = []): string[] {
  const pad = '  '.repeat(f.depth * 2);
  out.push(`${pad}flag '${f.key}'${f.version !== undefined ? ` (version ${f.version})` : ''}`);
  if (f.holdout !== undefined) {
    const h = f.holdout;
    out.push(
      `${pad}  holdout: hash ${h.hash.toFixed(6)} vs ${pct(h.threshold)} -> ${h.heldOut ? 'held out' : 'not held out'}`,
    );
  }
  for (const c of f.conditions) {
    const head = `${pad}  condition ${c.index} (rollout ${c.rolloutPercentage}%${c.variantOverride ? `, variant ${c.variantOverride}` : ''})`;
    if (!c.evaluated) {
      out.push(`${head}: not evaluated`);
      continue;
    }
    if (c.skipped !== undefined) {
      out.push(`${head}: skipped (${c.skipped})`);
      continue;
    }
    out.push(`${head}:`);
    for (const p of c.filters) {
      const why = p.reason !== undefined ? ` (${p.reason})` : '';
      out.push(`${pad}    ${p.type} ${p.key} ${p.operator}: ${p.outcome.replace('_', ' ')}${why}`);
    }
    if (c.rollout !== undefined) {
      const r = c.rollout;
      out.push(
        `${pad}    rollout: hash ${r.hash.toFixed(6)} vs ${pct(r.threshold)} -> ${r.passed ? 'in' : 'out'}`,
      );
    }
  }
  if (f.variant !== undefined) {
    const v = f.variant;
    const ranges = v.ranges.map((r) => `${r.key} [${r.min.toFixed(4)}, ${r.max.toFixed(4)})`).join(', ');
    out.push(`${pad}  variant: hash ${v.hash.toFixed(6)} in ${ranges} -> ${String(v.selected)}`);
  }
  for (const d of f.dependencies) describeTrace(d, out);
  out.push(`${pad}  => ${f.value === undefined ? 'no result' : String(f.value)}`);
  return out;
}
