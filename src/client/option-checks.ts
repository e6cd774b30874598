import type { Logger } from '../api/logger.js';
import type { BeforeSendFn } from '../api/messages.js';
import type { PostHogOptions } from '../api/options.js';
import { ConfigError } from '../errors/config-error.js';

/**
 * One check per kind of option, each throwing {@link ConfigError} naming the option (see resolveConfig in
 * config.ts, the only place they run).
 */

type Key = keyof PostHogOptions;

export function integer(
  o: PostHogOptions,
  key: Key,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ConfigError(key, 'must be an integer', value);
  }
  if (value < min) throw new ConfigError(key, `must be at least ${min}`, value);
  if (value > max) throw new ConfigError(key, `must be at most ${max}`, value);
  return value;
}

export function bool(o: PostHogOptions, key: Key, fallback: boolean): boolean {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(key, 'must be true or false', value);
  return value;
}

export function oneOf<T extends string>(o: PostHogOptions, key: Key, fallback: T, allowed: readonly T[]): T {
  const value = o[key];
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw new ConfigError(key, `must be one of ${allowed.join(', ')}`, value);
  return value as T;
}

export function fn(o: PostHogOptions, key: Key): unknown {
  const value = o[key];
  if (value !== undefined && typeof value !== 'function')
    throw new ConfigError(key, 'must be a function', value);
  return value;
}

export function host(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new ConfigError('host', 'must be a string URL', value);
  const trimmed = value.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ConfigError('host', 'must be an absolute http(s) URL, e.g. https://us.i.posthog.com', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('host', 'must use http or https', value);
  }
  return trimmed;
}

export function secret(o: PostHogOptions): string | undefined {
  for (const key of ['secretKey', 'personalApiKey'] as const) {
    const value = o[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new ConfigError(key, 'must be a string', value);
    const trimmed = value.trim();
    if (trimmed.startsWith('phc_')) {
      throw new ConfigError(
        key,
        'is a project API key (phc_…); give a project secret key (phs_…) or a personal API key (phx_…)',
        value,
      );
    }
    if (trimmed) return trimmed;
  }
  return undefined;
}

export function hooks(value: unknown): readonly BeforeSendFn[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const hook of list) {
    if (typeof hook !== 'function')
      throw new ConfigError('before_send', 'must be a function or an array of functions', value);
  }
  return list as BeforeSendFn[];
}

export function logger(value: unknown): Logger | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Record<string, unknown>;
  for (const level of ['debug', 'info', 'warn', 'error']) {
    if (typeof candidate?.[level] !== 'function') {
      throw new ConfigError(
        'logger',
        `must have debug, info, warn and error methods (missing ${level})`,
        value,
      );
    }
  }
  return value as Logger;
}

/** `readPostHogCookie`: a boolean, or `{ sessionIdleTimeoutSeconds?: number, optOutCapturingByDefault?: boolean }`. */
export function cookieOption(value: unknown): PostHogOptions['readPostHogCookie'] {
  if (value === undefined || value === null) return undefined; // posthog-node reads `null` as off
  if (typeof value === 'boolean') return value;
  const reject = (why: string): never => {
    throw new ConfigError('readPostHogCookie', why, value);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('must be true, false or { sessionIdleTimeoutSeconds, optOutCapturingByDefault }');
  }
  const { sessionIdleTimeoutSeconds: seconds, optOutCapturingByDefault: byDefault } = value as Record<
    string,
    unknown
  >;
  // Any number is usable (clamped to posthog-js's 60-36000 s when read; 0 or not finite means the default).
  if (seconds !== undefined && seconds !== null && typeof seconds !== 'number') {
    reject('sessionIdleTimeoutSeconds must be a number');
  }
  if (byDefault !== undefined && typeof byDefault !== 'boolean') {
    reject('optOutCapturingByDefault must be true or false');
  }
  return value as PostHogOptions['readPostHogCookie'];
}

/** A delay in ms: any finite number, negative ones read as 0. */
export function delay(o: PostHogOptions, key: Key, fallback: number): number {
  const value = o[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ConfigError(key, 'must be a number', value);
  return Math.max(0, value);
}
