/** Local feature-flag evaluation: hashing, the portable regex engine and the pure evaluator. */

export * from './evaluation/index.js';
export { bucketHash, type HashFn, holdoutHash, sha1Fraction } from './hash/bucket.js';
export { sha1Hex } from './hash/sha1.js';
export {
  type CompiledRegex,
  compileRegex,
  type RegexCompileResult,
  type RegexRejection,
  regexTest,
} from './regex/index.js';
