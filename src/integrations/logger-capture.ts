import type { PostHogClient } from '../client/client.js';
import { insideSdkCallback } from '../client/sdk-callbacks.js';
import { isError } from '../exceptions/describe-value.js';
import { safeString } from '../utils/safe-string.js';
import { findLinkedError, logRecordThrowable } from './log-error.js';
import { exceptionLevel, type LogLevel, levelRank } from './log-levels.js';

/** What the logger integrations need from a client: exception capture and the request context. */
export type LoggerCaptureClient = Pick<PostHogClient, 'captureThrown' | 'getContext'>;

/** One log record, as every logger integration hands it to the shared capture logic. */
export interface LogRecord {
  /** The level as the logger names it (`'warn'`, `'error'`, …) or pino's number. */
  level: LogLevel;
  /** The formatted log message; becomes the exception's type (the issue title). */
  message: string;
  /** Structured fields: pino's merging object and bindings, winston's meta, or what was passed to console. */
  fields: Readonly<Record<string, unknown>>;
  /** When it was logged. */
  time: Date;
}

/** Options shared by the pino, winston and console integrations; they mirror the Go SDK's slog handler. */
export interface LoggerCaptureOptions {
  /** The PostHog client exceptions are sent with. */
  client: LoggerCaptureClient;
  /** Records at or above this level are captured. Default `'warn'`. */
  minLevel?: LogLevel | undefined;
  /**
   * The distinct id to capture the record for. Without one (and without a request context that has one)
   * nothing is captured, as in the Go SDK, so set this unless every log call happens inside `withContext`.
   */
  distinctId?: ((record: LogRecord) => string | undefined) | undefined;
  /** Sent as `$exception_fingerprint`, to group records PostHog would otherwise split or merge. */
  fingerprint?: ((record: LogRecord) => string | undefined) | undefined;
  /** Extra event properties, e.g. {@link logFieldsAsProperties}. Default: none (fields may hold secrets). */
  properties?: ((record: LogRecord) => Record<string, unknown> | undefined) | undefined;
  /**
   * Told when one of the functions above throws (the record is then logged but not captured). Default: one
   * process warning per handler and function, so a broken callback is noticed without flooding the logs.
   */
  onError?: ((error: unknown, source: 'distinctId' | 'fingerprint' | 'properties') => void) | undefined;
}

/**
 * A ready-made `properties` function: every field of the record, Errors turned into their message so they do
 * not serialise as `{}`.
 */
export function logFieldsAsProperties(record: LogRecord): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.fields)) {
    properties[key] = isError(value) ? `${value.name}: ${value.message}` : value;
  }
  return properties;
}

type CallbackName = 'distinctId' | 'fingerprint' | 'properties';

/**
 * The capture half of a logger integration: decides whether a record is captured and sends it. Never throws,
 * so the logger it is attached to keeps logging whatever the options do.
 */
export class LoggerCapture {
  private readonly minRank: number;
  private readonly reported = new Set<CallbackName>();

  constructor(private readonly options: LoggerCaptureOptions) {
    this.minRank = levelRank(options.minLevel ?? 'warn');
  }

  /** Whether a record at this level would be captured; lets integrations skip building a record. */
  enabled(level: LogLevel): boolean {
    return levelRank(level) >= this.minRank;
  }

  /**
   * Captures the record when it is at or above the minimum level and has a distinct id. `callSiteStack` is the
   * stack of the application's logging call, used when the record carries no error with a stack of its own.
   */
  capture(record: LogRecord, callSiteStack?: string): void {
    // A line logged by an on('error') listener, a before_send hook or the SDK itself: capturing it could loop.
    if (insideSdkCallback()) return;
    try {
      this.captureRecord(record, callSiteStack);
    } catch {
      // Capture is best effort; a logging call must never fail because of it.
    }
  }

  private captureRecord(record: LogRecord, callSiteStack: string | undefined): void {
    const rank = levelRank(record.level);
    if (rank < this.minRank) return;
    const { client } = this.options;
    const ok = { value: true };
    const distinctId = this.call('distinctId', record, ok) ?? client.getContext()?.distinctId;
    if (!ok.value || distinctId === undefined || distinctId === '') return;
    const fingerprint = this.call('fingerprint', record, ok);
    const extra = this.call('properties', record, ok);
    if (!ok.value) return;
    const linked = findLinkedError(record.fields);
    client.captureThrown(logRecordThrowable(record.message, linked), {
      distinctId,
      additionalProperties: {
        ...extra,
        $exception_level: exceptionLevel(rank),
        ...(fingerprint === undefined ? {} : { $exception_fingerprint: fingerprint }),
      },
      mechanism: { type: 'generic', handled: true },
      syntheticStack: callSiteStack,
    });
  }

  private call<K extends CallbackName>(
    name: K,
    record: LogRecord,
    ok: { value: boolean },
  ): ReturnType<NonNullable<LoggerCaptureOptions[K]>> | undefined {
    const fn = this.options[name] as ((record: LogRecord) => unknown) | undefined;
    if (!fn || !ok.value) return undefined;
    try {
      return fn(record) as ReturnType<NonNullable<LoggerCaptureOptions[K]>> | undefined;
    } catch (error) {
      ok.value = false;
      this.report(name, error);
      return undefined;
    }
  }

  private report(name: CallbackName, error: unknown): void {
    if (this.options.onError) {
      try {
        this.options.onError(error, name);
      } catch {
        // The application's error reporter failing is not the logger's problem.
      }
      return;
    }
    if (this.reported.has(name)) return;
    this.reported.add(name);
    const reason = isError(error) ? safeString(error.message) : safeString(error);
    globalThis.process?.emitWarning?.(
      `posthog-ts: the logger integration's ${name} function threw (${reason}); such records are logged but not captured`,
      { code: 'POSTHOG_LOGGER_CAPTURE' },
    );
  }
}
