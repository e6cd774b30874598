import { format } from 'node:util';
import { isError } from '../exceptions/describe-value.js';
import { captureCallSiteStack } from '../exceptions/synthetic-stack.js';
import { isPlainObject } from '../utils/plain-object.js';
import { LoggerCapture, type LoggerCaptureOptions, type LogRecord } from './logger-capture.js';

/** The console methods that can capture, with their level. */
const METHOD_LEVELS = { debug: 'debug', info: 'info', log: 'info', warn: 'warn', error: 'error' } as const;

/** A console method the wrapper can capture from. */
export type ConsoleMethod = keyof typeof METHOD_LEVELS;

type ConsoleLike = Pick<Console, ConsoleMethod>;

/**
 * Returns a console that logs exactly like `target` and also captures `warn` / `error` calls (and lower ones
 * when `minLevel` allows) as `$exception` events. The error is the first Error argument, or the `err` / `error`
 * field of an object argument; the message is the other arguments formatted as console formats them.
 *
 * ```ts
 * import { wrapConsole } from 'posthog-ts';
 * const log = wrapConsole(console, { client: posthog, distinctId: () => currentUserId() });
 * log.error('payment failed', err); // printed as usual, and captured
 * ```
 */
export function wrapConsole<T extends ConsoleLike>(target: T, options: LoggerCaptureOptions): T {
  const wrapped = Object.create(target) as T;
  for (const [name, method] of capturingMethods(target, options)) {
    Object.defineProperty(wrapped, name, { value: method, configurable: true, writable: true });
  }
  return wrapped;
}

/**
 * Makes `target` itself capture, as {@link wrapConsole} describes, so every module using the global console is
 * covered. Returns the function that restores the original methods.
 */
export function instrumentConsole(target: ConsoleLike, options: LoggerCaptureOptions): () => void {
  const originals = new Map<ConsoleMethod, unknown>();
  for (const [name, method] of capturingMethods(target, options)) {
    originals.set(name, Object.getOwnPropertyDescriptor(target, name));
    (target as Record<ConsoleMethod, unknown>)[name] = method;
  }
  return () => {
    for (const [name, descriptor] of originals) {
      if (descriptor) Object.defineProperty(target, name, descriptor as PropertyDescriptor);
      else delete (target as Partial<Record<ConsoleMethod, unknown>>)[name];
    }
  };
}

function capturingMethods(
  target: ConsoleLike,
  options: LoggerCaptureOptions,
): Array<[ConsoleMethod, (...args: unknown[]) => void]> {
  const capture = new LoggerCapture(options);
  // The SDK itself logs through console; capturing those lines could feed back into the console forever.
  let inside = false;
  const methods: Array<[ConsoleMethod, (...args: unknown[]) => void]> = [];
  for (const [name, level] of Object.entries(METHOD_LEVELS) as Array<[ConsoleMethod, string]>) {
    if (!capture.enabled(level)) continue;
    const original = target[name];
    if (typeof original !== 'function') continue;
    const method = function posthogConsoleMethod(...args: unknown[]): void {
      original.apply(target, args);
      if (inside) return;
      inside = true;
      try {
        capture.capture(readRecord(level, args), captureCallSiteStack(posthogConsoleMethod));
      } catch {
        // Arguments the console could print but this cannot read: printed, not captured.
      } finally {
        inside = false;
      }
    };
    methods.push([name, method]);
  }
  return methods;
}

function readRecord(level: string, args: readonly unknown[]): LogRecord {
  const error = args.find((arg) => isError(arg));
  const rest = error === undefined ? args : args.filter((arg) => arg !== error);
  const fields: Record<string, unknown> = {};
  for (const arg of rest) {
    // Plain objects only: a Buffer or typed array would be copied byte by byte, a class instance's getters run.
    if (isPlainObject(arg)) Object.assign(fields, arg);
  }
  if (error !== undefined) fields.err = error;
  return { level, message: rest.length > 0 ? format(...rest) : '', fields, time: new Date() };
}
