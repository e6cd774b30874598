/**
 * PostHog request context and error capture for NestJS (on Express or Fastify): posthog-node's
 * `PostHogInterceptor`, from `posthog-ts/nestjs`. `rxjs` (which Nest itself depends on) is imported; Nest is
 * not: the interceptor is a plain class Nest calls through its `intercept` method.
 *
 * ```ts
 * import { PostHogInterceptor } from 'posthog-ts/nestjs';
 * app.useGlobalInterceptors(new PostHogInterceptor(posthog, { captureExceptions: true }));
 * ```
 *
 * @packageDocumentation
 */
import { Observable, throwError } from 'rxjs';
import { catchError } from 'rxjs/operators';
import type { PostHogContext } from '../context/context-store.js';
import { type CookieReading, cookieReadingOf } from './cookie-identity.js';
import {
  type DistinctHeaders,
  distinctHeaderValues,
  firstHeader,
  type MiddlewareClient,
  requestContext,
  sanitizeContextValue,
} from './request-context.js';

/** The parts of Nest's `ExecutionContext` the interceptor uses. */
export interface NestExecutionContextLike {
  /** Gives the HTTP request (Express's or Fastify's); called only when `getType()` is `http` or absent. */
  switchToHttp(): { getRequest<T = unknown>(): T };
  /** `http`, `rpc` or `ws`. */
  getType?(): string;
}

/** The parts of Nest's `CallHandler` the interceptor uses. */
export interface NestCallHandlerLike<T = unknown> {
  /** Runs the route handler; the interceptor subscribes to it inside the request's context. */
  handle(): Observable<T>;
}

/** Which exceptions the interceptor captures. */
export interface ExceptionCaptureOptions {
  /** Exceptions whose HTTP status (an `HttpException`'s `getStatus()`) is below this are not captured. Default `500`. */
  minStatusToCapture?: number;
}

/** Options of {@link PostHogInterceptor}, as posthog-node names them. */
export interface PostHogInterceptorOptions {
  /** Capture exceptions thrown by handlers: `true` for the defaults, or the options. Default `false`. */
  captureExceptions?: boolean | ExceptionCaptureOptions;
  /**
   * The request's distinct id, e.g. the signed-in user's id from your auth layer. It wins over the
   * `X-POSTHOG-DISTINCT-ID` header and over a surrounding context's id; `undefined` falls back to them.
   */
  // biome-ignore lint/suspicious/noExplicitAny: posthog-node's type; `(req) => req.user?.id` must compile as it does there.
  getDistinctId?: (request: any) => string | undefined;
}

/** The request shapes Nest hands over: Express's `Request`, or Fastify's `FastifyRequest`. */
interface NestRequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  path?: string;
  protocol?: string;
  headers?: Record<string, string | string[] | undefined>;
  /** Express's request (Node's `IncomingMessage`) has it; Fastify's keeps it on `raw`. */
  headersDistinct?: DistinctHeaders;
  raw?: { headersDistinct?: DistinctHeaders };
  socket?: { remoteAddress?: string };
}

/**
 * A Nest interceptor that runs each request's handler inside `client.withContext()` with the request's context
 * (distinct and session id from `getDistinctId`, the `X-POSTHOG-*` headers or, with `readPostHogCookie`, the
 * posthog-js cookie; `$current_url`, `$request_method`, `$request_path`, `$user_agent`, `$ip`), and with
 * `captureExceptions` captures what a handler throws (mechanism `middleware`, unhandled, `$response_status_code`:
 * an `HttpException`'s status, else 500 as Nest answers) before Nest's exception filters answer, rethrowing it
 * unchanged.
 */
export class PostHogInterceptor {
  private readonly minStatus: number | undefined;
  private readonly cookie: CookieReading | undefined;

  /** Same arguments as posthog-node's interceptor; without `captureExceptions` it only sets the context. */
  constructor(
    private readonly client: MiddlewareClient,
    private readonly options: PostHogInterceptorOptions = {},
  ) {
    const capture = options.captureExceptions;
    this.minStatus = capture
      ? ((typeof capture === 'object' ? capture.minStatusToCapture : undefined) ?? 500)
      : undefined;
    this.cookie = cookieReadingOf(client);
  }

  /** Called by Nest for every request the interceptor is bound to. */
  intercept(context: NestExecutionContextLike, next: NestCallHandlerLike): Observable<unknown> {
    // Microservice and WebSocket handlers have no HTTP request: they run as they would without the interceptor.
    if (context.getType !== undefined && context.getType() !== 'http') return next.handle();
    let request: NestRequestLike;
    let requestData: PostHogContext;
    try {
      request = context.switchToHttp().getRequest<NestRequestLike | undefined>() ?? {};
      requestData = nestRequestContext(request, this.cookie);
    } catch {
      return next.handle(); // reading an odd request must never fail it
    }
    return new Observable((subscriber) => {
      const surrounding = this.client.getContext();
      const distinctId = this.distinctIdOf(request) ?? requestData.distinctId ?? surrounding?.distinctId;
      const sessionId = requestData.sessionId ?? surrounding?.sessionId;
      const scoped: PostHogContext = { properties: requestData.properties };
      if (distinctId !== undefined) scoped.distinctId = distinctId;
      if (sessionId !== undefined) scoped.sessionId = sessionId;
      return this.client.withContext(
        scoped,
        () => {
          let source = next.handle();
          const minStatus = this.minStatus;
          if (minStatus !== undefined) {
            source = source.pipe(
              catchError((error: unknown) => {
                // Nest's default exception filter answers anything but an HttpException with 500; the response
                // still holds its initial 200 at this point, so it cannot tell. The threshold, as in posthog-node,
                // applies to errors that carry a status.
                const status = statusOf(error);
                if (status === undefined || status >= minStatus) this.capture(error, status ?? 500);
                return throwError(() => error);
              }),
            );
          }
          return source.subscribe(subscriber);
        },
        { fresh: true },
      );
    });
  }

  private distinctIdOf(request: NestRequestLike): string | undefined {
    const resolve = this.options.getDistinctId;
    if (!resolve) return undefined;
    try {
      return sanitizeContextValue(resolve(request));
    } catch {
      return undefined; // an auth lookup that throws must not fail the request
    }
  }

  private capture(error: unknown, status: number): void {
    try {
      this.client.captureThrown(error, {
        additionalProperties: { $response_status_code: status },
        mechanism: { type: 'middleware', handled: false },
      });
    } catch {
      // Reporting an error must never become a second error inside Nest's exception path.
    }
  }
}

/** The request context of a request Nest hands over (Express or Fastify underneath). */
function nestRequestContext(request: NestRequestLike, cookie?: CookieReading): PostHogContext {
  const headers = request.headers ?? {};
  const header = (name: string) => firstHeader(headers[name]);
  const target = text(request.originalUrl) ?? text(request.url);
  const host = header('host');
  return requestContext(
    {
      method: text(request.method),
      url:
        host === undefined || target === undefined
          ? target
          : `${request.protocol ?? 'http'}://${host}${target}`,
      path: text(request.path) ?? target?.split('?')[0],
      header,
      headerValues: distinctHeaderValues(request.headersDistinct ?? request.raw?.headersDistinct),
      socketAddress: request.socket?.remoteAddress,
    },
    cookie,
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An `HttpException`'s status (`getStatus()`), or undefined for anything else. */
function statusOf(error: unknown): number | undefined {
  try {
    // Reading `getStatus` is inside the try too: a proxy's trap must not replace the error Nest's filters see.
    const getStatus = (error as { getStatus?: unknown } | null | undefined)?.getStatus;
    if (typeof getStatus !== 'function') return undefined;
    const status: unknown = getStatus.call(error);
    return typeof status === 'number' ? status : undefined;
  } catch {
    return undefined;
  }
}
