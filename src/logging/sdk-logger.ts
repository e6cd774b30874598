import type { Logger } from '../api/logger.js';
import { asSdkCallback } from '../client/sdk-callbacks.js';

type Level = keyof Logger;

/** How long repeated messages with the same key are folded into one line. */
const REPEAT_WINDOW_MS = 10_000;

/**
 * The logger the SDK itself writes through. It
 * - never throws, whatever the application's logger does;
 * - drops `debug` and `info` unless debug mode is on, so a healthy client is silent;
 * - folds repeats: a message with a `key` is written once per 10 s window, then with a count of what was
 *   suppressed, so a bad input in a hot loop cannot flood the application's logs.
 */
export class SdkLogger {
  debugEnabled = false;
  private readonly lastWritten = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly target: Logger,
    private readonly now: () => number,
  ) {}

  debug(message: string, ...args: unknown[]): void {
    if (this.debugEnabled) this.write('debug', message, args);
  }

  info(message: string, ...args: unknown[]): void {
    if (this.debugEnabled) this.write('info', message, args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.write('warn', message, args);
  }

  error(message: string, ...args: unknown[]): void {
    this.write('error', message, args);
  }

  /** Writes `message` unless one with the same `key` was written in the last 10 s. */
  once(level: Level, key: string, message: string, ...args: unknown[]): void {
    if ((level === 'debug' || level === 'info') && !this.debugEnabled) return;
    const now = this.now();
    const seen = this.lastWritten.get(key);
    if (seen && now - seen.at < REPEAT_WINDOW_MS) {
      seen.suppressed++;
      return;
    }
    const suffix = seen?.suppressed ? ` (${seen.suppressed} similar message(s) suppressed)` : '';
    if (this.lastWritten.size > 1000) this.lastWritten.clear(); // keys come from a small fixed set; bound anyway
    this.lastWritten.set(key, { at: now, suppressed: 0 });
    this.write(level, message + suffix, args);
  }

  private write(level: Level, message: string, args: unknown[]): void {
    try {
      // Error messages already name the SDK; everything else gets the prefix here.
      const line = message.startsWith('posthog-ts:') ? message : `[posthog-ts] ${message}`;
      asSdkCallback(() => this.target[level](line, ...args));
    } catch {
      // A broken logger must not break capture; there is nowhere left to report this.
    }
  }
}
