import type { PostHogOptions } from '../api/options.js';
import { cookiePairs, getPostHogCookieName } from './posthog-cookie.js';

/** How the framework middleware reads the posthog-js cookie: the client's `readPostHogCookie` option, resolved. */
export interface CookieReading {
  apiKey: string;
  sessionIdleTimeoutMs: number;
  /** Read the cookie only when the visitor's consent cookie says yes. */
  optOutByDefault: boolean;
}

/** posthog-js's default session idle timeout, and the bounds it accepts for its own setting. */
const DEFAULT_IDLE_MS = 30 * 60_000;
const MIN_IDLE_SECONDS = 60;
const MAX_IDLE_SECONDS = 36_000;
/** A posthog-js session never lasts longer than this. */
const MAX_SESSION_MS = 24 * 3_600_000;

/** The cookie reading a client asked for, or undefined (the default: headers only). */
export function cookieReadingOf(client: {
  readonly options?: Readonly<PostHogOptions>;
  readonly apiKey?: string;
}): CookieReading | undefined {
  const option = client.options?.readPostHogCookie;
  if (!option || !client.apiKey) return undefined;
  const settings = option === true ? {} : option;
  const seconds = settings.sessionIdleTimeoutSeconds;
  return {
    apiKey: client.apiKey,
    sessionIdleTimeoutMs:
      typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds === 0
        ? DEFAULT_IDLE_MS
        : 1000 * Math.min(Math.max(seconds, MIN_IDLE_SECONDS), MAX_IDLE_SECONDS),
    optOutByDefault: settings.optOutCapturingByDefault === true,
  };
}

/**
 * The distinct id (of an identified visitor only: an anonymous posthog-js id names a browser, not a person) and
 * the session id (of a session still live by posthog-js's rules) in a request's posthog-js cookie, unless the
 * visitor opted out in posthog-js's consent cookie (or never opted in, with `optOutByDefault`). `clean` sanitises
 * each value as header values are.
 */
export function cookieIdentity(
  cookieHeader: string | undefined,
  reading: CookieReading,
  now: number,
  clean: (value: unknown) => string | undefined,
): { distinctId?: string; sessionId?: string } {
  // The first of two same-named cookies wins: browsers send the one with the more specific path first.
  const first = new Map<string, string>();
  for (const [name, value] of cookiePairs(cookieHeader)) if (!first.has(name)) first.set(name, value);
  const raw = first.get(getPostHogCookieName(reading.apiKey));
  const consent = first.get(`__ph_opt_in_out_${reading.apiKey}`) ?? '';
  if (!raw || NO.has(consent) || (reading.optOutByDefault && !YES.has(consent))) return {};
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null) return {};
  const fields = data as Record<string, unknown>;
  const found: { distinctId?: string; sessionId?: string } = {};
  const distinctId = fields.$user_state === 'identified' ? clean(fields.distinct_id) : undefined;
  if (distinctId !== undefined) found.distinctId = distinctId;
  const session = fields.$sesid;
  if (Array.isArray(session) && (session.length === 2 || session.length === 3)) {
    const [lastActivity, id, start = lastActivity] = session as unknown[];
    if (recent(lastActivity, now, reading.sessionIdleTimeoutMs) && recent(start, now, MAX_SESSION_MS)) {
      const sessionId = clean(id);
      if (sessionId !== undefined) found.sessionId = sessionId;
    }
  }
  return found;
}

/** posthog-js's consent cookie values. */
const YES = new Set(['true', '1', 'yes']);
const NO = new Set(['false', '0', 'no']);

function recent(timestamp: unknown, now: number, maxAgeMs: number): boolean {
  return typeof timestamp === 'number' && Number.isFinite(timestamp) && Math.abs(now - timestamp) <= maxAgeMs;
}
