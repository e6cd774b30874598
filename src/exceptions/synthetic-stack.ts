/**
 * A V8 stack string for the current call site, with `below` and every frame inside it left out, or undefined when
 * the runtime records no stacks. Used when the thrown value has no stack of its own.
 */
export function captureCallSiteStack(below: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: unknown } = {};
  if (typeof Error.captureStackTrace === 'function') {
    Error.captureStackTrace(holder, below);
  } else {
    holder.stack = new Error().stack;
  }
  return typeof holder.stack === 'string' ? holder.stack : undefined;
}
