/**
 * PostHog request context and error capture for Express 4 and 5. Express is not imported: the middleware is
 * typed structurally, so `posthog-ts` needs neither `express` nor `@types/express`.
 *
 * ```ts
 * import express from 'express';
 * import { posthogErrorHandler, posthogRequestContext } from 'posthog-ts/express';
 *
 * const app = express();
 * app.use(express.json());
 * app.use(posthogRequestContext(posthog)); // after body parsers, which run outside the request's async context
 * app.get('/orders', handler);              // events and exceptions inside inherit the request context
 * app.use(posthogErrorHandler(posthog));    // after the routes, before the application's own error handlers
 * ```
 *
 * @packageDocumentation
 */
import type { PostHogContext } from '../context/context-store.js';
import { type CookieReading, cookieReadingOf } from './cookie-identity.js';
import {
  captureRequestError,
  type DistinctHeaders,
  distinctHeaderValues,
  errorStatusCode,
  firstHeader,
  type MiddlewareClient,
  type MiddlewareOptions,
  requestContext,
  targetUrl,
} from './request-context.js';

export type { MiddlewareClient, MiddlewareOptions } from './request-context.js';

/** The parts of Express's `Request` the middleware reads. */
export interface ExpressRequestLike {
  /** Sent as `$request_method`. */
  method: string;
  /** The target as the router sees it; `originalUrl` wins when present, as routers strip their mount path. */
  url: string;
  /** The target as the client sent it, path and query: the base of `$current_url`. */
  originalUrl?: string;
  /** Sent as `$request_path`; without it, the target's path is used. */
  path?: string;
  /** `http` or `https`, for `$current_url`. Default `http`. */
  protocol?: string;
  /** Read for `host`, `user-agent`, `x-forwarded-for`, the `X-POSTHOG-*` ids and, if enabled, the cookie. */
  headers: Record<string, string | string[] | undefined>;
  /** Node's per-header value lists (Node 18.3+), so a repeated id header is read by its first value. */
  headersDistinct?: DistinctHeaders | undefined;
  /** The peer address, sent as `$ip` when there is no `x-forwarded-for` header. */
  socket?: { remoteAddress?: string | undefined } | undefined;
}

/** The parts of Express's `Response` the middleware reads. */
export interface ExpressResponseLike {
  /** Sent as `$response_status_code` once the response is sent. */
  statusCode: number;
  /** Whether the status was already sent; if not, the error's own `status` is reported where it has one. */
  headersSent: boolean;
  /** The error is captured on the first of these, once the final status is known; aborted requests too. */
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** Express's `next`. */
export type ExpressNext = (error?: unknown) => void;

/** An app that middleware can be added to. */
export interface ExpressAppLike {
  /** Express's `app.use`, with a handler of two, three or four parameters (four for an error handler). */
  use(handler: (...args: never[]) => unknown): unknown;
}

// The error handler runs after the request context's callback may have returned; it looks the context up here.
const contexts = new WeakMap<object, PostHogContext>();

/**
 * Middleware that runs the rest of the request inside `client.withContext()` with the request's context:
 * distinct and session id from the `X-POSTHOG-DISTINCT-ID` / `X-POSTHOG-SESSION-ID` headers, and
 * `$current_url`, `$request_method`, `$request_path`, `$user_agent`, `$ip`, sanitised and capped.
 */
export function posthogRequestContext(
  client: MiddlewareClient,
): (req: ExpressRequestLike, res: ExpressResponseLike, next: ExpressNext) => void {
  const cookie = cookieReadingOf(client);
  return function posthogRequestContextMiddleware(req, _res, next) {
    const context = expressRequestContext(req, cookie);
    contexts.set(req, context);
    client.withContext(context, () => next());
  };
}

/**
 * Error-handling middleware that captures the error (mechanism `middleware`, unhandled) with
 * `$response_status_code` once the response is sent, then passes it on with `next(err)` so the application's
 * error handlers and Express's own error page work as before. By default only 5xx responses are captured.
 */
export function posthogErrorHandler(
  client: MiddlewareClient,
  options: MiddlewareOptions = {},
): (error: unknown, req: ExpressRequestLike, res: ExpressResponseLike, next: ExpressNext) => void {
  // Without the context middleware (posthog-node's users often install only this one) the cookie is read here.
  const cookie = cookieReadingOf(client);
  // Express recognises error handlers by their four parameters, so the signature must stay as it is.
  return function posthogErrorHandlerMiddleware(error, req, res, next) {
    const context = contexts.get(req) ?? expressRequestContext(req, cookie);
    let done = false;
    const report = () => {
      if (done) return;
      done = true;
      try {
        const status = res.headersSent ? res.statusCode : errorStatusCode(error, res.statusCode);
        captureRequestError(client, context, error, status, options);
      } catch {
        // An error whose status cannot be read (a throwing getter, a proxy): this runs in a socket event, where
        // a throw would end the process.
      }
    };
    // The final status is known once a later handler answers; an aborted request still gets reported.
    res.once('finish', report);
    res.once('close', report);
    next(error);
  };
}

/** `app.use(posthogRequestContext(client))`; call it before the routes, after body parsers. */
export function setupExpressRequestContext(client: MiddlewareClient, app: ExpressAppLike): void {
  app.use(posthogRequestContext(client));
}

/**
 * posthog-node's `setupExpressErrorHandler`: `app.use(posthogErrorHandler(client, options))`, after the routes,
 * except that it captures every error that reaches it, 4xx included, as posthog-node's does, unless
 * `options.shouldCapture` says otherwise.
 */
export function setupExpressErrorHandler(
  client: MiddlewareClient,
  app: ExpressAppLike,
  options: MiddlewareOptions = {},
): void {
  app.use(posthogErrorHandler(client, { ...options, shouldCapture: options.shouldCapture ?? captureAll }));
}

const captureAll = (): boolean => true;

/** The request context of an Express request (see {@link posthogRequestContext}). */
function expressRequestContext(req: ExpressRequestLike, cookie?: CookieReading): PostHogContext {
  const header = (name: string) => firstHeader(req.headers[name]);
  const target = req.originalUrl ?? req.url;
  const host = header('host');
  const { url, path } = targetUrl(target, req.protocol, host);
  return requestContext(
    {
      method: req.method,
      url,
      path: req.path ?? path,
      header,
      headerValues: distinctHeaderValues(req.headersDistinct),
      socketAddress: req.socket?.remoteAddress,
    },
    cookie,
  );
}
