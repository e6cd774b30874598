import type { Logger } from '../api/logger.js';

/**
 * The default logger. This is the one place the SDK touches `console`: a library must log somewhere when the
 * application gave it no logger, and `console` exists on every runtime the SDK targets.
 */
export function consoleLogger(): Logger {
  const target = globalThis.console;
  return {
    debug: (message, ...args) => target.debug(message, ...args),
    info: (message, ...args) => target.info(message, ...args),
    warn: (message, ...args) => target.warn(message, ...args),
    error: (message, ...args) => target.error(message, ...args),
  };
}
