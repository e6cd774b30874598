/**
 * PostHog request context and error capture for Fastify 4 and 5. Only Fastify's types are imported, so
 * `posthog-ts` does not depend on Fastify at run time.
 *
 * ```ts
 * import Fastify from 'fastify';
 * import { posthogFastify } from 'posthog-ts/fastify';
 *
 * const app = Fastify();
 * await app.register(posthogFastify(posthog)); // hooks apply to every route, whatever the plugin nesting
 * ```
 *
 * @packageDocumentation
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { PostHogContext } from '../context/context-store.js';
import { type CookieReading, cookieReadingOf } from './cookie-identity.js';
import {
  captureRequestError,
  distinctHeaderValues,
  firstHeader,
  type MiddlewareClient,
  type MiddlewareOptions,
  requestContext,
  targetUrl,
} from './request-context.js';

export type { MiddlewareClient, MiddlewareOptions } from './request-context.js';

/**
 * A Fastify plugin that runs each request inside `client.withContext()` with the request's context (ids from
 * the `X-POSTHOG-DISTINCT-ID` / `X-POSTHOG-SESSION-ID` headers, `$current_url`, `$request_method`,
 * `$request_path`, `$user_agent`, `$ip`), and captures errors (mechanism `middleware`, unhandled) with the
 * `$response_status_code` Fastify finally answered. Fastify's error handling is untouched: the `onError` hook
 * only observes. By default only 5xx responses are captured.
 */
export function posthogFastify(
  client: MiddlewareClient,
  options: MiddlewareOptions = {},
): FastifyPluginCallback {
  const cookie = cookieReadingOf(client);
  const plugin: FastifyPluginCallback = (fastify: FastifyInstance, _pluginOptions, done) => {
    const contexts = new WeakMap<FastifyRequest, PostHogContext>();
    const errors = new WeakMap<FastifyRequest, unknown>();
    fastify.addHook('onRequest', (request, _reply, next) => {
      const context = fastifyRequestContext(request, cookie);
      contexts.set(request, context);
      client.withContext(context, () => next());
    });
    // Body parsing runs in the socket's async context, so the context is entered again before the handler.
    fastify.addHook('preHandler', (request, _reply, next) => {
      const context = contexts.get(request);
      if (context) client.withContext(context, () => next());
      else next();
    });
    fastify.addHook('onError', (request, _reply, error, next) => {
      errors.set(request, error);
      next();
    });
    // Reported once answered, so the status is the one the application's error handler chose.
    fastify.addHook('onResponse', (request, reply, next) => {
      if (errors.has(request)) {
        const error = errors.get(request);
        errors.delete(request);
        captureRequestError(client, contexts.get(request), error, reply.statusCode, options);
      }
      next();
    });
    done();
  };
  // Fastify's documented opt-out of encapsulation (what `fastify-plugin` sets): the hooks reach every route.
  Object.defineProperty(plugin, Symbol.for('skip-override'), { value: true });
  Object.defineProperty(plugin, Symbol.for('fastify.display-name'), { value: 'posthog-ts' });
  return plugin;
}

/** The request context of a Fastify request (see {@link posthogFastify}). */
function fastifyRequestContext(request: FastifyRequest, cookie?: CookieReading): PostHogContext {
  const header = (name: string) => firstHeader(request.headers[name]);
  const { url, path } = targetUrl(request.url, request.protocol, header('host'));
  return requestContext(
    {
      method: request.method,
      url,
      path,
      header,
      headerValues: distinctHeaderValues(request.raw.headersDistinct),
      socketAddress: request.socket?.remoteAddress,
    },
    cookie,
  );
}
