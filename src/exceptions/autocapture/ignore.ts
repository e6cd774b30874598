// Frameworks reject promises on purpose to unwind work; such rejections are control flow, not bugs.
const CONTROL_FLOW_DIGESTS = new Set([
  'HANGING_PROMISE_REJECTION',
  'NEXT_PRERENDER_INTERRUPTED',
  'DYNAMIC_SERVER_USAGE',
  'BAILOUT_TO_CLIENT_SIDE_RENDERING',
]);
const REACT_POSTPONE = Symbol.for('react.postpone');

/**
 * Whether an unhandled rejection is deliberate control flow that autocapture skips: aborted work
 * (`AbortError`), React's `postpone`, and Next.js control-flow errors (recognised by their `digest`).
 */
export function isIgnoredRejection(reason: unknown): boolean {
  if (typeof reason !== 'object' || reason === null) return false;
  const { name, digest, $$typeof } = reason as { name?: unknown; digest?: unknown; $$typeof?: unknown };
  if (name === 'AbortError' || $$typeof === REACT_POSTPONE) return true;
  return typeof digest === 'string' && CONTROL_FLOW_DIGESTS.has(digest.split(';')[0] ?? digest);
}
