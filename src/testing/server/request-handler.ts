import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type Answer, errorAnswer, scriptedAnswer } from './answers.js';
import { defaultBatchAnswer, defaultV1Answer, extractEvents } from './capture.js';
import type { FaultInjector } from './faults.js';
import type { FlagState } from './flag-state.js';
import type { Recorder } from './recorder.js';
import { bodyEncoding, decodeJsonBody, flattenHeaders, readBody, splitTarget } from './request-body.js';
import { isCaptureRoute, matchRoute, routeGroup } from './routes.js';
import type {
  FlagsRequestBody,
  ReceivedEvent,
  ReceivedRoute,
  RouteGroup,
  ScriptedResponse,
} from './types.js';

/** Everything known about a request once its body has arrived, before it is answered. */
interface Arrival {
  index: number;
  receivedAt: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  route: ReceivedRoute;
  flagKey: string | undefined;
}

/** Decodes, decides, records and answers requests; the configuration it reads is owned by {@link LocalPostHog}. */
export class RequestHandler {
  /** Scripted answers per group, consumed first in first out. */
  readonly scripts: Record<RouteGroup, ScriptedResponse[]> = {
    capture: [],
    flags: [],
    definitions: [],
    remote_config: [],
  };
  /** Active random faults for the capture group, if any. */
  faults: FaultInjector | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextIndex = 0;

  constructor(
    private readonly recorder: Recorder,
    private readonly flagState: FlagState,
    private readonly recordEvents: boolean,
  ) {}

  /** Cancels delayed answers; their sockets are being destroyed anyway. */
  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Entry point for every request the HTTP server receives. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const { path, query } = splitTarget(req.url ?? '/');
    const method = req.method ?? 'GET';
    const headers = flattenHeaders(req.headers);
    const { route, flagKey } = matchRoute(method, path);
    const arrival: Arrival = {
      index: this.nextIndex++,
      receivedAt: Date.now(),
      method,
      path,
      query,
      headers,
      route,
      flagKey,
    };
    const encoding = bodyEncoding(headers, query);
    // Scripts and faults go to requests in the order they arrive, taken now rather than once the body is in: a
    // slow upload must not hold up the answers to every request behind it.
    const group = routeGroup(route);
    const script = group === undefined ? undefined : this.scripts[group].shift();
    const fault = script === undefined && group === 'capture' ? this.faults?.next() : undefined;
    void readBody(req)
      .then(async (raw) => {
        if (!req.complete) {
          // Cut off mid-body: nobody is there to answer. Its script goes to the next complete request.
          if (group !== undefined && script !== undefined) this.scripts[group].unshift(script);
          return;
        }
        const body = await decodeJsonBody(raw, encoding);
        const carried = isCaptureRoute(route) ? extractEvents(body) : [];
        const fallback = (): Answer => this.defaultAnswer(arrival, body, carried);
        const answer =
          script !== undefined ? scriptedAnswer(script, route, carried, fallback) : (fault ?? fallback());
        const { flagKey: _flagKey, ...fields } = arrival;
        this.recorder.record(
          {
            ...fields,
            encoding,
            rawBytes: raw.length,
            body: this.recordEvents || !isCaptureRoute(route) ? body : undefined,
            events: this.recordEvents && carried.length > 0 ? (carried as ReceivedEvent[]) : [],
            status: answer.kind === 'respond' ? answer.status : undefined,
          },
          carried,
          answer.kind === 'respond' ? answer.accept : 'none',
        );
        this.deliver(req, res, answer, route === 'capture_v1' ? headers['posthog-request-id'] : undefined);
      })
      .catch((error: unknown) => this.internalError(req, res, error));
  }

  /** A bug here must not take down the test process: answer 500 so it is visible on the client. */
  private internalError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.deliver(req, res, errorAnswer(500, `LocalPostHog internal error: ${message}`), undefined);
  }

  private defaultAnswer(arrival: Arrival, body: unknown, carried: readonly ReceivedEvent[]): Answer {
    switch (arrival.route) {
      case 'batch':
      case 'ai':
        return defaultBatchAnswer(body);
      case 'capture_v1':
        return defaultV1Answer(body, carried);
      case 'flags': {
        const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
        const flagsBody = (isObject ? body : {}) as FlagsRequestBody;
        return this.flagState.answerFlags({
          body: flagsBody,
          query: arrival.query,
          headers: arrival.headers,
        });
      }
      case 'definitions':
        return this.flagState.answerDefinitions(arrival.headers);
      case 'remote_config':
        return this.flagState.answerRemoteConfig(arrival.flagKey ?? '', arrival.headers);
      default:
        return errorAnswer(404, `No route for ${arrival.method} ${arrival.path}`);
    }
  }

  private deliver(
    req: IncomingMessage,
    res: ServerResponse,
    answer: Answer,
    requestId: string | undefined,
  ): void {
    if (answer.kind === 'hang') return; // The socket is destroyed by the client, down() or stop().
    const act = (): void => {
      if (res.destroyed || res.writableEnded) return;
      if (answer.kind === 'reset') {
        resetSocket(req.socket);
        return;
      }
      const headers = answer.headers;
      if (requestId !== undefined && headers['posthog-request-id'] === undefined) {
        headers['posthog-request-id'] = requestId;
      }
      if (answer.body !== undefined) headers['content-length'] = String(Buffer.byteLength(answer.body));
      res.writeHead(answer.status, headers);
      res.end(answer.body);
    };
    if (answer.delayMs <= 0) {
      act();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        act();
      } catch (error) {
        // A scripted status or header Node refuses to write, say: as without the delay, a 500 and no crash.
        this.internalError(req, res, error);
      }
    }, answer.delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}

/** Sends a TCP RST where the platform allows it, so the client sees ECONNRESET rather than a clean close. */
function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
