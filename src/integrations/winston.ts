/**
 * PostHog error tracking for winston: a transport that turns records at or above a level into `$exception`
 * events. Add it next to the application's own transports, which keep receiving every line.
 *
 * ```ts
 * import winston from 'winston';
 * import { PostHogTransport } from 'posthog-ts/winston';
 *
 * const logger = winston.createLogger({
 *   transports: [
 *     new winston.transports.Console(),
 *     new PostHogTransport({ client: posthog, distinctId: (record) => record.fields.userId as string }),
 *   ],
 * });
 * logger.error('payment failed', { err, userId: 'u1' });
 * ```
 *
 * @packageDocumentation
 */
import TransportStream from 'winston-transport';
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

/** Options of {@link PostHogTransport}: the shared logger options plus winston's own transport options. */
export interface PostHogTransportOptions
  extends LoggerCaptureOptions,
    Omit<TransportStream.TransportStreamOptions, 'level' | 'log' | 'logv' | 'close'> {
  /**
   * winston's own transport level, a name of the logger's level set. Default: none, so winston hands every
   * record over and `minLevel` alone decides (it also knows names of other level sets).
   */
  level?: string | undefined;
}

const LEVEL = Symbol.for('level');
const SPLAT = Symbol.for('splat');

/**
 * A winston transport that captures records at or above `minLevel` (default `'warn'`) as `$exception` events.
 * The error comes from the `err` / `error` field, an Error passed as meta (`logger.error('failed', err)`), or an
 * Error logged on its own.
 */
export class PostHogTransport extends TransportStream {
  private readonly capture: LoggerCapture;

  /** See {@link PostHogTransportOptions}. */
  constructor(options: PostHogTransportOptions) {
    const { client, minLevel, distinctId, fingerprint, properties, onError, level, ...transport } = options;
    super({ ...transport, ...(level === undefined ? {} : { level }) });
    this.capture = new LoggerCapture({ client, minLevel, distinctId, fingerprint, properties, onError });
  }

  /** winston's transport entry point; captures and calls `next` at once, never failing the logger. */
  override log(info: unknown, next: () => void): void {
    try {
      if (typeof info === 'object' && info !== null) {
        const record = readRecord(info as Record<string | symbol, unknown>);
        if (this.capture.enabled(record.level)) {
          this.capture.capture(record, captureCallSiteStack(PostHogTransport.prototype.log));
        }
      }
    } catch {
      // A record that cannot be read is logged by the other transports and not captured.
    } finally {
      // Always: a transport that does not call next() holds back every later record of every transport.
      next();
    }
  }
}

function readRecord(info: Record<string | symbol, unknown>): LogRecord {
  const rawLevel = info[LEVEL] ?? info.level;
  const level = typeof rawLevel === 'string' || typeof rawLevel === 'number' ? rawLevel : 'info';
  let message = typeof info.message === 'string' ? info.message : safeString(info.message ?? '');
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(info)) {
    if (key !== 'level' && key !== 'message') fields[key] = info[key];
  }
  const meta = errorInSplat(info[SPLAT]);
  if (isError(info)) {
    fields.err ??= info;
  } else if (meta && fields.err === undefined && fields.error === undefined) {
    fields.err = meta;
    delete fields.stack;
    delete fields.cause;
    // winston appends the meta Error's message to the line; the type should be what the application wrote.
    const suffix = ` ${meta.message}`;
    if (meta.message !== '' && message.endsWith(suffix)) message = message.slice(0, -suffix.length);
  } else if (typeof info.stack === 'string' && fields.err === undefined && fields.error === undefined) {
    // format.errors({ stack: true }), winston's advice for logging errors, copies an Error's message and stack
    // onto a plain record: read them back as the error they came from.
    const error = new Error(message);
    error.stack = info.stack;
    const name = typeof info.name === 'string' ? info.name : /^([A-Za-z_$][\w$]*):/.exec(info.stack)?.[1];
    if (name !== undefined) error.name = name;
    fields.err = error;
    delete fields.stack;
  }
  return { level, message, fields, time: new Date() };
}

function errorInSplat(splat: unknown): Error | undefined {
  if (!Array.isArray(splat)) return undefined;
  const found: unknown = splat.find((value: unknown) => isError(value));
  return isError(found) ? found : undefined;
}
