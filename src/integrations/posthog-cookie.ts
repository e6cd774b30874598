import { uuidv7 } from '../utils/uuid.js';

/**
 * Reading the cookie posthog-js keeps in the browser (`ph_<project key>_posthog`), for servers that receive it:
 * the helpers posthog-node exports under the same names, and what the framework middleware reads with the
 * `readPostHogCookie` option. Web-standard code only, so it runs on edge runtimes too.
 */

/** Anything with a `get(name)` returning `{ value }`: Next.js `cookies()`, `request.cookies`, {@link cookieStoreFromHeader}. */
export interface CookieStore {
  /** The cookie's value, or `undefined` when the request has none of that name. */
  get(name: string): { value: string } | undefined;
}

/** What the posthog-js cookie says about the visitor. */
export interface PostHogCookieState {
  /** posthog-js's distinct id for the visitor: an anonymous id, or the one given to `identify()` there. */
  distinctId: string;
  /** posthog-js marked the visitor identified (`$user_state: 'identified'`). */
  isIdentified: boolean;
  /** The posthog-js session (`$session_id`), possibly expired: check the timestamps before reusing it. */
  sessionId?: string;
  /** When the session last had activity, in ms since the epoch. */
  sessionLastActivityTimestamp?: number;
  /** When the session started, in ms since the epoch. */
  sessionStartTimestamp?: number;
  /** The browser's `$device_id`, which stays the same across identities. */
  deviceId?: string;
}

/** A `Cookie` header as a {@link CookieStore}; values are URI-decoded where they decode, and a later pair wins. */
export function cookieStoreFromHeader(cookieHeader: string): CookieStore {
  const cookies = new Map<string, string>();
  for (const [name, value] of cookiePairs(cookieHeader)) cookies.set(name, value);
  return { get: (name) => (cookies.has(name) ? { value: cookies.get(name) as string } : undefined) };
}

/** The posthog-js cookie's name for a project key: `ph_<key>_posthog`, with `+`, `/`, `=` spelt `PL`, `SL`, `EQ`. */
export function getPostHogCookieName(apiKey: string): string {
  return `ph_${apiKey.replace(/\+/g, 'PL').replace(/\//g, 'SL').replace(/=/g, 'EQ')}_posthog`;
}

/** A posthog-js cookie value for an anonymous visitor with a new session, e.g. to set from a server. */
export function serializePostHogCookie(anonymousId: string): string {
  const now = Date.now();
  return JSON.stringify({
    distinct_id: anonymousId,
    $device_id: anonymousId,
    $user_state: 'anonymous',
    $sesid: [now, uuidv7(), now],
  });
}

/** The visitor state in a posthog-js cookie value, or null when it is missing or unreadable. */
export function parsePostHogCookie(cookieValue: string): PostHogCookieState | null {
  if (!cookieValue) return null;
  let data: unknown;
  try {
    data = JSON.parse(cookieValue);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const fields = data as Record<string, unknown>;
  // A visitor's cookie is untrusted: only an id JSON can hold as a string or number is read (an object could
  // throw when made a string).
  if (typeof fields.distinct_id !== 'string' && typeof fields.distinct_id !== 'number') return null;
  if (!fields.distinct_id) return null;
  const session = Array.isArray(fields.$sesid) ? (fields.$sesid as unknown[]) : [];
  const state: PostHogCookieState = {
    distinctId: String(fields.distinct_id),
    isIdentified: fields.$user_state === 'identified',
  };
  if (typeof session[1] === 'string') state.sessionId = session[1];
  const lastActivity = finite(session[0]);
  if (lastActivity !== undefined) state.sessionLastActivityTimestamp = lastActivity;
  const start = finite(session[2]);
  if (start !== undefined) state.sessionStartTimestamp = start;
  if (typeof fields.$device_id === 'string') state.deviceId = fields.$device_id;
  return state;
}

/** The visitor state in the project's posthog-js cookie, or null. */
export function readPostHogCookie(cookies: CookieStore, apiKey: string): PostHogCookieState | null {
  const cookie = cookies.get(getPostHogCookieName(apiKey));
  return cookie ? parsePostHogCookie(cookie.value) : null;
}

/** `$session_id` and `$device_id` from a cookie state, for an event's properties; undefined when neither is known. */
export function cookieStateToProperties(
  state: PostHogCookieState | null,
): Record<string, string> | undefined {
  if (!state) return undefined;
  const properties: Record<string, string> = {};
  if (state.sessionId) properties.$session_id = state.sessionId;
  if (state.deviceId) properties.$device_id = state.deviceId;
  return Object.keys(properties).length > 0 ? properties : undefined;
}

/** The `name=value` pairs of a `Cookie` header, in order, values URI-decoded where they decode. */
export function cookiePairs(cookieHeader: string | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!cookieHeader) return pairs;
  for (const part of cookieHeader.split(';')) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (!name) continue;
    const raw = at < 0 ? '' : part.slice(at + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // A malformed escape: keep the value as sent.
    }
    pairs.push([name, value]);
  }
  return pairs;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
