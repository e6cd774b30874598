import type { ExceptionFrame, ExceptionItem } from '../api/messages.js';
import { type CoercedException, coerceThrowable } from './coerce.js';
import { parseStack } from './stack-parser.js';
import { captureCallSiteStack } from './synthetic-stack.js';
import type { ChainSource, ExceptionMechanism, RootMechanism } from './types.js';

/** Most entries in one `$exception_list`; longer `cause` chains and larger aggregates are cut. */
export const MAX_EXCEPTIONS = 50;

/** Options for {@link buildExceptionList}. */
export interface BuildExceptionListOptions {
  /** The root entry's mechanism, e.g. `{ type: 'generic', handled: true }` for an explicit capture. */
  mechanism: RootMechanism;
  /**
   * A stack captured where the application called the SDK, used when the thrown value has none. Pass it when the
   * list is built later than the call (after an await, on a later tick). Default: the stack of the caller of
   * `buildExceptionList`.
   */
  syntheticStack?: string;
  /** Innermost frames dropped from the synthetic stack, e.g. the SDK's own `captureException`. Default 0. */
  syntheticStackSkip?: number;
  /** The application's root for frame `module` names. */
  moduleBaseDir?: string;
  /** Default {@link MAX_EXCEPTIONS}. */
  maxExceptions?: number;
}

interface Link {
  parentId: number;
  source: ChainSource;
}

/**
 * Turns any thrown value into `$exception_list` entries: the root first, then its `cause` chain and
 * `AggregateError` members depth-first, each linked to its parent by `mechanism.parent_id`. Stops at
 * `maxExceptions` entries and at errors already listed, so self-referencing causes terminate. Synchronous, so the
 * synthetic stack is the caller's. Frames carry no source context; see `addSourceContext`.
 */
export function buildExceptionList(thrown: unknown, options: BuildExceptionListOptions): ExceptionItem[] {
  const limit = options.maxExceptions ?? MAX_EXCEPTIONS;
  const items: ExceptionItem[] = [];
  const seen = new Set<object>();
  const parseOptions = options.moduleBaseDir === undefined ? {} : { moduleBaseDir: options.moduleBaseDir };

  const rootFrames = (): ExceptionFrame[] => {
    const stack = options.syntheticStack ?? captureCallSiteStack(buildExceptionList);
    if (stack === undefined) return [];
    return parseStack(stack, { ...parseOptions, skipFrames: options.syntheticStackSkip ?? 0 });
  };

  // Recursion depth is bounded by `limit`, since every call that recurses has added an entry.
  const visit = (value: unknown, link: Link | undefined): void => {
    if (items.length >= limit) return;
    const coerced = coerceThrowable(value);
    if (coerced.identity !== undefined) {
      if (seen.has(coerced.identity)) return;
      seen.add(coerced.identity);
    }
    const id = items.length;
    let frames = coerced.stack === undefined ? [] : parseStack(coerced.stack, parseOptions);
    let synthetic = coerced.synthetic;
    if (frames.length === 0 && link === undefined) {
      // Only the root gets the call site: on a cause it would point at the capture, not where the cause arose.
      frames = rootFrames();
      synthetic = true;
    }
    items.push(toItem(coerced, mechanismFor(options.mechanism, link, id, synthetic), frames));
    if (coerced.cause !== undefined) visit(coerced.cause.value, { parentId: id, source: 'cause' });
    for (const member of coerced.members ?? []) visit(member, { parentId: id, source: 'member' });
  };

  visit(thrown, undefined);
  return items;
}

function mechanismFor(
  root: RootMechanism,
  link: Link | undefined,
  id: number,
  synthetic: boolean,
): ExceptionMechanism {
  if (link === undefined) return { type: root.type, handled: root.handled, synthetic, exception_id: id };
  return { type: 'chained', source: link.source, synthetic, exception_id: id, parent_id: link.parentId };
}

function toItem(
  coerced: CoercedException,
  mechanism: ExceptionMechanism,
  frames: ExceptionFrame[],
): ExceptionItem {
  const item: ExceptionItem = { type: coerced.type, value: coerced.value, mechanism };
  if (frames.length > 0) item.stacktrace = { type: 'raw', frames };
  return item;
}
