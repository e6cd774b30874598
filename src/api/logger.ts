/**
 * The logger the SDK writes to. `console` satisfies it, and so do pino, winston and most Node loggers.
 *
 * Every call is wrapped by the SDK: a logger that throws never breaks the client.
 */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}
