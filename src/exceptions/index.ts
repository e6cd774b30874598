/**
 * Error tracking: thrown values to PostHog `$exception_list` entries. Runs on any runtime; file reading for
 * source context is injected (`createNodeSourceReader` lives in `./node-source-reader.js`, the only module here
 * that imports `node:fs`, and is deliberately not re-exported so edge bundles never pull it in).
 *
 * Pipeline for one capture, in order: `buildExceptionList` (synchronously, at the call site) →
 * `addSourceContextToList` (awaited, time-bounded; skip on edge) → `relativeExceptionList` (Node, with `process.cwd()`).
 */
export { type CoercedException, coerceThrowable } from './coerce.js';
export { summariseKeys } from './describe-value.js';
export { type BuildExceptionListOptions, buildExceptionList, MAX_EXCEPTIONS } from './exception-list.js';
export { isInApp } from './in-app.js';
export { trimLine } from './line-window.js';
export { moduleFromFilename } from './module-name.js';
export { collapseRecursion } from './recursion.js';
export { relativeExceptionList, relativeFrames, toRelativeFilename } from './relative-path.js';
export {
  addSourceContext,
  addSourceContextToList,
  SourceCache,
  type SourceContextOptions,
} from './source-context.js';
export { MAX_SOURCE_FILE_BYTES, type SourceReader } from './source-reader.js';
export { NODE_PLATFORM, PROMISE_COMBINATOR_FILE, parseStackLine } from './stack-line.js';
export { MAX_FRAMES, type ParseStackOptions, parseStack } from './stack-parser.js';
export type { ChainSource, ExceptionMechanism, MechanismType, RootMechanism } from './types.js';
