/**
 * The logger the SDK writes to. `console` satisfies it, and so do pino, winston and most Node loggers.
 *
 * Every call is wrapped by the SDK: a logger that throws never breaks the client.
 */
export interface Logger {
  /** Pipeline detail for troubleshooting; called only while debug mode is on (`debug()`). */
  debug(message: string, ...args: unknown[]): void;
  /** Healthy milestones, such as flag definitions loading; called only while debug mode is on. */
  info(message: string, ...args: unknown[]): void;
  /** Something to look at, e.g. an option this runtime ignores or a failed definitions poll; always on. */
  warn(message: string, ...args: unknown[]): void;
  /** A failure, e.g. an event refused or not delivered; always on, repeats folded into one line per 10 s. */
  error(message: string, ...args: unknown[]): void;
}
