/**
 * A log level: a name (`'warn'`, `'error'`, winston's `'http'`, syslog's `'crit'`, …) or a number on pino's scale
 * (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal).
 */
export type LogLevel = string | number;

// One numeric scale for every logger, pino's, because it is the only one of the three that is numeric already.
// Winston's npm and syslog names are placed on it by severity so `minLevel: 'warn'` means the same everywhere.
const LEVEL_RANKS: Readonly<Record<string, number>> = {
  trace: 10,
  silly: 10,
  debug: 20,
  verbose: 25,
  http: 27,
  log: 30,
  info: 30,
  notice: 35,
  warn: 40,
  warning: 40,
  error: 50,
  err: 50,
  crit: 55,
  critical: 55,
  alert: 58,
  emerg: 60,
  fatal: 60,
};

/** Rank of a level on pino's numeric scale; unknown names rank as `info` so they are never captured by surprise. */
export function levelRank(level: LogLevel): number {
  if (typeof level === 'number') return Number.isFinite(level) ? level : LEVEL_RANKS.info!;
  return LEVEL_RANKS[level.toLowerCase()] ?? LEVEL_RANKS.info!;
}

/** PostHog's `$exception_level` for a log level, so warnings and crashes are told apart in error tracking. */
export function exceptionLevel(rank: number): 'fatal' | 'error' | 'warning' | 'info' | 'debug' {
  if (rank >= 60) return 'fatal';
  if (rank >= 50) return 'error';
  if (rank >= 40) return 'warning';
  if (rank >= 30) return 'info';
  return 'debug';
}
