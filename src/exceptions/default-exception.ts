import type { ExceptionMessage } from '../api/messages.js';
import { parseStack } from './stack-parser.js';
import { captureCallSiteStack } from './synthetic-stack.js';

/**
 * The Go SDK's `NewDefaultException`: an exception message with one entry of the given type (shown as the
 * issue's title) and value (its description), and the stack of the call site. Pass it to `enqueue()`.
 *
 * ```ts
 * client.enqueue(newDefaultException(new Date(), 'user-1', 'DatabaseError', 'connection refused'));
 * ```
 */
export function newDefaultException(
  timestamp: Date,
  distinctId: string,
  type: string,
  value: string,
): { type: 'exception' } & ExceptionMessage {
  const stack = captureCallSiteStack(newDefaultException);
  const frames = stack === undefined ? [] : parseStack(stack);
  return {
    type: 'exception',
    timestamp,
    distinctId,
    exceptionList: [
      {
        type,
        value,
        mechanism: { type: 'generic', handled: true, synthetic: true },
        stacktrace: { type: 'raw', frames },
      },
    ],
  };
}
