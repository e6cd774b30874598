/**
 * PostHog request context and error capture for Hono. Only Hono's types are imported, so `posthog-ts` does not
 * depend on Hono at run time.
 *
 * ```ts
 * import { Hono } from 'hono';
 * import { posthogHono } from 'posthog-ts/hono';
 *
 * const app = new Hono();
 * app.use(posthogHono(posthog)); // first, so every later middleware and handler runs inside the context
 * ```
 *
 * @packageDocumentation
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { PostHogContext } from '../context/context-store.js';
import { type CookieReading, cookieReadingOf } from './cookie-identity.js';
import {
  captureRequestError,
  type DistinctHeaders,
  distinctHeaderValues,
  type MiddlewareClient,
  type MiddlewareOptions,
  requestContext,
} from './request-context.js';

export type { MiddlewareClient, MiddlewareOptions } from './request-context.js';

/** Options of {@link posthogHono}. */
export interface HonoMiddlewareOptions extends MiddlewareOptions {
  /**
   * The client address when no `x-forwarded-for` header is set. Default: the socket address that
   * `@hono/node-server` exposes as `c.env.incoming`; other runtimes have their own way (e.g. `getConnInfo`).
   */
  getIp?: ((c: Context) => string | undefined) | undefined;
}

/**
 * Middleware that runs the rest of the request inside `client.withContext()` with the request's context (ids
 * from the `X-POSTHOG-DISTINCT-ID` / `X-POSTHOG-SESSION-ID` headers, `$current_url`, `$request_method`,
 * `$request_path`, `$user_agent`, `$ip`), and captures the error Hono caught (mechanism `middleware`, unhandled)
 * with the `$response_status_code` of the response `app.onError` produced. Hono's error handling is untouched.
 * By default only 5xx responses are captured.
 */
export function posthogHono(
  client: MiddlewareClient,
  options: HonoMiddlewareOptions = {},
): MiddlewareHandler {
  const cookie = cookieReadingOf(client);
  return async function posthogHonoMiddleware(c, next) {
    const context = honoRequestContext(c, options.getIp, cookie);
    await client.withContext(context, async () => {
      try {
        await next();
      } catch (error) {
        // What escapes next(): an app.onError that rethrows, say. Hono answers 500; capture it, then pass it on.
        captureRequestError(client, context, error, 500, options);
        throw error;
      }
      // Hono's compose catches the handler's error, sets c.error and lets app.onError build c.res.
      if (c.error !== undefined) captureRequestError(client, context, c.error, c.res.status, options);
    });
  };
}

/** The request context of a Hono request (see {@link posthogHono}). */
function honoRequestContext(
  c: Context,
  getIp?: (c: Context) => string | undefined,
  cookie?: CookieReading,
): PostHogContext {
  const request = c.req.raw;
  return requestContext(
    {
      method: request.method,
      url: request.url,
      path: c.req.path,
      header: (name) => request.headers.get(name) ?? undefined,
      // Web `Headers` join a repeated header; on Node the incoming message still has the values apart.
      headerValues: distinctHeaderValues(nodeIncoming(c)?.headersDistinct),
      socketAddress: getIp ? getIp(c) : nodeServerAddress(c),
    },
    cookie,
  );
}

interface NodeIncoming {
  socket?: { remoteAddress?: unknown };
  headersDistinct?: DistinctHeaders;
}

/** `@hono/node-server`'s `IncomingMessage`, when the app runs there. */
function nodeIncoming(c: Context): NodeIncoming | undefined {
  const env: unknown = c.env;
  if (typeof env !== 'object' || env === null) return undefined;
  return (env as { incoming?: NodeIncoming }).incoming;
}

function nodeServerAddress(c: Context): string | undefined {
  const address = nodeIncoming(c)?.socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}
