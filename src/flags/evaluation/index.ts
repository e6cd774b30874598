/** Pure local feature-flag evaluation: compile definitions once, evaluate many times. */
export { type CompileOptions, compileDefinitions } from './compile.js';
export type { CompiledDefinitions, CompiledFlag } from './compiled.js';
export { type EvaluateOptions, evaluateAll, evaluateFlag } from './evaluate.js';
export {
  createExplainTrace,
  type ExplainCollector,
  type ExplainEvent,
  type ExplainOutcome,
  type ExplainTrace,
} from './explain.js';
export type * from './types.js';
