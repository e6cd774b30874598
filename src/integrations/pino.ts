/**
 * PostHog error tracking for pino: records at or above a level also become `$exception` events, while every
 * line still goes to the logger's own destination unchanged.
 *
 * ```ts
 * import pino from 'pino';
 * import { posthogPinoHooks } from 'posthog-ts/pino';
 *
 * const logger = pino({
 *   hooks: posthogPinoHooks({ client: posthog, distinctId: (record) => record.fields.userId as string }),
 * });
 * logger.error({ err, userId: 'u1' }, 'payment failed'); // logged as usual, and captured
 * ```
 *
 * @packageDocumentation
 */
import { format } from 'node:util';
import type { LogFn, Logger, LoggerOptions } from 'pino';
import { isError } from '../exceptions/describe-value.js';
import { captureCallSiteStack } from '../exceptions/synthetic-stack.js';
import { safeString } from '../utils/safe-string.js';
import { LoggerCapture, type LoggerCaptureOptions, type LogRecord } from './logger-capture.js';

export type { LogLevel } from './log-levels.js';
export {
  type LoggerCaptureClient,
  type LoggerCaptureOptions,
  type LogRecord,
  logFieldsAsProperties,
} from './logger-capture.js';

/** Options of the pino integration: the shared logger options plus pino's own key names, when changed. */
export interface PinoCaptureOptions extends LoggerCaptureOptions {
  /** pino's `messageKey`, if the logger was created with another one. Default `'msg'`. */
  messageKey?: string | undefined;
  /** pino's `errorKey`, where pino puts an Error logged on its own. Default `'err'`. */
  errorKey?: string | undefined;
  /**
   * A `logMethod` hook the application already has; it runs first and the capture sees the arguments it
   * passes on.
   */
  logMethod?: PinoLogMethodHook | undefined;
}

/** pino's `hooks.logMethod` signature. */
export type PinoLogMethodHook = NonNullable<NonNullable<LoggerOptions['hooks']>['logMethod']>;

/**
 * A pino `hooks.logMethod` that logs as usual and captures records at or above `minLevel`. It runs inside the
 * logging call, so the request context of `withContext()` applies. Records below the logger's own level never
 * reach it, since pino skips disabled levels before any hook.
 */
export function posthogLogMethod(options: PinoCaptureOptions): PinoLogMethodHook {
  const capture = new LoggerCapture(options);
  const messageKey = options.messageKey ?? 'msg';
  const errorKey = options.errorKey ?? 'err';
  const previous = options.logMethod;
  const hook: PinoLogMethodHook = function posthogPinoLogMethod(this: Logger, args, method, level) {
    if (!capture.enabled(level)) {
      callThrough(this, previous, args, method, level);
      return;
    }
    const stack = captureCallSiteStack(posthogPinoLogMethod);
    // The previous hook may rewrite the arguments; capture what reaches pino.
    // Nothing is captured when the previous hook drops the record (never calls the method).
    let passed: readonly unknown[] | undefined;
    const observe = function (this: Logger, ...final: Parameters<LogFn>) {
      passed = final;
      method.apply(this, final);
    } as LogFn;
    callThrough(this, previous, args, observe, level);
    if (passed === undefined) return;
    let record: LogRecord;
    try {
      record = readRecord(this, passed, level, messageKey, errorKey);
    } catch {
      return; // arguments pino could write but this cannot read: logged, not captured
    }
    capture.capture(record, stack);
  };
  return hook;
}

/** `hooks` for `pino({ hooks })`: {@link posthogLogMethod} as `logMethod`. */
export function posthogPinoHooks(options: PinoCaptureOptions): { logMethod: PinoLogMethodHook } {
  return { logMethod: posthogLogMethod(options) };
}

function callThrough(
  logger: Logger,
  previous: PinoLogMethodHook | undefined,
  args: Parameters<LogFn>,
  method: LogFn,
  level: number,
): void {
  if (previous) previous.call(logger, args, method, level);
  else method.apply(logger, args);
}

// Mirrors how pino reads its arguments: `(obj, msg?, ...interpolation)`, `(err, msg?)` or `(msg, ...interpolation)`.
function readRecord(
  logger: Logger,
  args: readonly unknown[],
  level: number,
  messageKey: string,
  errorKey: string,
): LogRecord {
  const [first, ...rest] = args;
  let fields: Record<string, unknown> = {};
  let message: string;
  if (typeof first === 'object' && first !== null) {
    fields = isError(first) ? { [errorKey]: first } : { ...(first as Record<string, unknown>) };
    const template = rest.shift();
    message =
      template === undefined ? fallbackMessage(first, fields, messageKey, errorKey) : text(template, rest);
  } else {
    message = text(first === undefined ? rest.shift() : first, rest);
  }
  return { level, message, fields: { ...bindingsOf(logger), ...fields }, time: new Date() };
}

function fallbackMessage(
  first: object,
  fields: Record<string, unknown>,
  messageKey: string,
  errorKey: string,
): string {
  const own: unknown = fields[messageKey];
  if (typeof own === 'string') return own;
  const error: unknown = isError(first) ? first : fields[errorKey];
  return isError(error) ? error.message : '';
}

function text(template: unknown, args: readonly unknown[]): string {
  if (template === undefined || template === null) return '';
  if (args.length === 0 || typeof template !== 'string') return safeString(template);
  try {
    return format(template, ...args);
  } catch {
    return template; // `%j` of a BigInt, say, which pino's own formatter writes
  }
}

function bindingsOf(logger: Logger): Record<string, unknown> {
  try {
    return typeof logger.bindings === 'function' ? logger.bindings() : {};
  } catch {
    return {};
  }
}
