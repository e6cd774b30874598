import type { PostHogClient } from '../client/client.js';
import type { PostHogContext } from '../context/context-store.js';
import { type CookieReading, cookieIdentity } from './cookie-identity.js';

/**
 * What the framework middleware needs from a client; `options` and `apiKey` only for the `readPostHogCookie`
 * option.
 */
export type MiddlewareClient = Pick<PostHogClient, 'captureThrown' | 'withContext' | 'getContext'> &
  Partial<Pick<PostHogClient, 'options' | 'apiKey'>>;

/** Longest value kept for a header or request detail, as in the Go SDK. */
export const MAX_CONTEXT_VALUE_LENGTH = 1000;

/** The request details every framework adapter reads, before sanitising. */
export interface RequestParts {
  method: string | undefined;
  /** The absolute URL, or the path with query when the host is unknown. */
  url: string | undefined;
  path: string | undefined;
  /** A header's value; adapters pass their framework's lookup (repeated headers may arrive joined by commas). */
  header: (name: string) => string | undefined;
  /**
   * A header's values kept apart, where the framework offers them (Node's `headersDistinct`). The id headers
   * read the first of them, as the Go SDK's `Header.Get` does; without it they read `header`'s value.
   */
  headerValues?: ((name: string) => readonly string[] | undefined) | undefined;
  /** The peer address, used when no `x-forwarded-for` header is present. */
  socketAddress: string | undefined;
}

// C0 and C1 controls, DEL: they forge log lines and break dashboards; header values have no use for them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Strips control characters, trims, and caps at {@link MAX_CONTEXT_VALUE_LENGTH}; empty becomes undefined. */
export function sanitizeContextValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_CONTEXT_VALUE_LENGTH);
  return clean === '' ? undefined : clean;
}

/**
 * The request context for a request: distinct and session id from the `X-POSTHOG-DISTINCT-ID` /
 * `X-POSTHOG-SESSION-ID` headers (with neither header and `cookie` given, from the posthog-js cookie, see
 * cookie-identity.ts), and `$current_url`, `$request_method`, `$request_path`, `$user_agent`, `$ip` (the first
 * `x-forwarded-for` entry, else the socket's address), every value sanitised.
 */
export function requestContext(parts: RequestParts, cookie?: CookieReading): PostHogContext {
  const properties: Record<string, string> = {};
  const set = (key: string, value: unknown) => {
    const clean = sanitizeContextValue(value);
    if (clean !== undefined) properties[key] = clean;
  };
  set('$current_url', parts.url);
  set('$request_method', parts.method);
  set('$request_path', parts.path);
  set('$user_agent', parts.header('user-agent'));
  set('$ip', parts.header('x-forwarded-for')?.split(',')[0]?.trim() || parts.socketAddress);
  const context: PostHogContext = { properties };
  // A repeated id header joined by commas ("a, b") is no id anyone sent: the first value is the id.
  const first = (name: string) => parts.headerValues?.(name)?.[0] ?? parts.header(name);
  let distinctId = sanitizeContextValue(first('x-posthog-distinct-id'));
  let sessionId = sanitizeContextValue(first('x-posthog-session-id'));
  if (distinctId === undefined && sessionId === undefined && cookie !== undefined) {
    ({ distinctId, sessionId } = cookieIdentity(
      parts.header('cookie'),
      cookie,
      Date.now(),
      sanitizeContextValue,
    ));
  }
  if (distinctId !== undefined) context.distinctId = distinctId;
  if (sessionId !== undefined) context.sessionId = sessionId;
  return context;
}

/** Node's `IncomingMessage#headersDistinct`: every header's values, repeated ones kept apart. */
export type DistinctHeaders = Record<string, string[] | undefined>;

/** A {@link RequestParts.headerValues} reading Node's `headersDistinct`, when the request has it. */
export function distinctHeaderValues(
  headers: DistinctHeaders | undefined,
): ((name: string) => readonly string[] | undefined) | undefined {
  return headers === undefined ? undefined : (name) => headers[name];
}

/** The first value of a Node-style header (`string | string[] | undefined`). */
export function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * The HTTP status an error leads to, read as Express and Fastify do: the error's `status` / `statusCode` when it
 * is 400–599, else the response's status when already an error one, else 500.
 */
export function errorStatusCode(error: unknown, responseStatus: number | undefined): number {
  if (typeof error === 'object' && error !== null) {
    const holder = error as { status?: unknown; statusCode?: unknown };
    for (const candidate of [holder.status, holder.statusCode]) {
      if (typeof candidate === 'number' && candidate >= 400 && candidate <= 599) return candidate;
    }
  }
  if (responseStatus !== undefined && responseStatus >= 400 && responseStatus <= 599) return responseStatus;
  return 500;
}

/** Options shared by the framework middleware. */
export interface MiddlewareOptions {
  /** Whether an error is captured. Default: only server errors, `statusCode >= 500`. */
  shouldCapture?: ((error: unknown, statusCode: number) => boolean) | undefined;
}

/**
 * Captures a request's error as `$exception` with mechanism `middleware` / unhandled and
 * `$response_status_code`, inside the request's context so it carries the request's ids and details.
 */
export function captureRequestError(
  client: MiddlewareClient,
  context: PostHogContext | undefined,
  error: unknown,
  statusCode: number,
  options: MiddlewareOptions,
): void {
  try {
    const wanted = options.shouldCapture ? options.shouldCapture(error, statusCode) : statusCode >= 500;
    if (!wanted) return;
    const send = () =>
      client.captureThrown(error, {
        additionalProperties: { $response_status_code: statusCode },
        mechanism: { type: 'middleware', handled: false },
      });
    if (context) client.withContext(context, send);
    else send();
  } catch {
    // Reporting an error must never turn into a second error inside the framework's error path.
  }
}

/**
 * `$current_url` and `$request_path` of a request target. A target in absolute form (`GET http://example.com/a`,
 * as a client talking to a proxy sends it) is already the URL: prefixing the Host header to it doubled it.
 */
export function targetUrl(
  target: string,
  protocol: string | undefined,
  host: string | undefined,
): { url: string; path: string } {
  if (/^https?:\/\//i.test(target)) {
    try {
      return { url: target, path: new URL(target).pathname };
    } catch {
      // Not a URL after all: read it as a path, below.
    }
  }
  return {
    url: host === undefined ? target : `${protocol ?? 'http'}://${host}${target}`,
    path: target.split('?')[0] ?? target,
  };
}
