import { PostHogError } from './posthog-error.js';

/** Thrown by the constructor, and only there, when an option cannot be used. */
export class ConfigError extends PostHogError {
  /** The option at fault, e.g. `flushAt`. */
  readonly option: string;
  /** The value that was given. */
  readonly value: unknown;

  /**
   * `reason` follows the option's name in the message, then `value`, described briefly: a long string shows
   * only its first 4 characters, since keys are secrets.
   */
  constructor(option: string, reason: string, value: unknown) {
    super('config', `posthog-ts: invalid option "${option}": ${reason} (got ${describe(value)})`);
    this.name = 'ConfigError';
    this.option = option;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    // Keys are secrets: show their shape, never their body.
    return value.length > 8 ? `"${value.slice(0, 4)}…" (${value.length} chars)` : JSON.stringify(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
