import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector } from './faults.js';
import { FlagState, type FlagsResponder } from './flag-state.js';
import { Recorder } from './recorder.js';
import { RequestHandler } from './request-handler.js';
import type {
  FaultOptions,
  LocalPostHogCounts,
  LocalPostHogOptions,
  ReceivedEvent,
  ReceivedRequest,
  ReceivedRoute,
  RouteGroup,
  ScriptedResponse,
} from './types.js';

const DEFAULT_WAIT_MS = 5000;

/**
 * A PostHog-compatible HTTP server on the loopback interface for tests, demos and benchmarks. It records what
 * it receives, answers like PostHog by default, and can be scripted or made to fail. Create one with
 * {@link startLocalPostHog}.
 */
export class LocalPostHog {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly recorder: Recorder;
  private readonly flagState: FlagState;
  private readonly handler: RequestHandler;
  private readonly hostname: string;
  private boundPort: number;
  private listening = false;
  private stopped = false;

  /** Prefer {@link startLocalPostHog}, which also starts listening. */
  constructor(options: LocalPostHogOptions = {}) {
    this.hostname = options.hostname ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    const recordEvents = options.recordEvents ?? true;
    this.recorder = new Recorder(recordEvents);
    this.flagState = new FlagState(options.secretKey, options.definitions);
    this.handler = new RequestHandler(this.recorder, this.flagState, recordEvents);
    this.server = createServer((req, res) => this.handler.handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Base URL to give a client as its host, e.g. `http://127.0.0.1:54321`. */
  get url(): string {
    const host = this.hostname.includes(':') ? `[${this.hostname}]` : this.hostname;
    return `http://${host}:${this.boundPort}`;
  }

  /** The port listened on; stays the same across {@link LocalPostHog.down} and {@link LocalPostHog.up}. */
  get port(): number {
    return this.boundPort;
  }

  /**
   * Client connections open right now: a test can check that the code under test leaves none behind (with the
   * built-in transport, a client's `shutdown()` closes its idle keep-alive sockets as well as abandoned requests).
   */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Every request, in arrival order. */
  get requests(): ReceivedRequest[] {
    return this.recorder.requests;
  }

  /** Events accepted (answered 2xx; for capture v1 only those with result `ok` or `warning`), in arrival order. */
  get events(): ReceivedEvent[] {
    return this.recorder.events;
  }

  /** Counters over accepted events and all requests; kept even when `recordEvents` is `false`. */
  get counts(): LocalPostHogCounts {
    return this.recorder.counts;
  }

  /** Accepted events with the given name. */
  eventsNamed(name: string): ReceivedEvent[] {
    return this.recorder.events.filter((event) => event.event === name);
  }

  /** Resolves with the accepted events once at least `n` were accepted; rejects after `timeoutMs` (default 5000). */
  waitForEvents(n: number, opts: { timeoutMs?: number } = {}): Promise<ReceivedEvent[]> {
    const counts = this.recorder.counts;
    return this.recorder.waitUntil(
      () => (counts.events >= n ? this.recorder.events.slice() : undefined),
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      () =>
        `LocalPostHog.waitForEvents: expected ${n} accepted events, got ${counts.events} from ${counts.requests} requests`,
    );
  }

  /** Resolves once at least `n` requests (of `route`, if given) were handled; rejects after `timeoutMs` (default 5000). */
  waitForRequests(
    n: number,
    opts: { timeoutMs?: number; route?: ReceivedRoute } = {},
  ): Promise<ReceivedRequest[]> {
    const { route } = opts;
    const matching = (): ReceivedRequest[] =>
      route === undefined
        ? this.recorder.requests.slice()
        : this.recorder.requests.filter((r) => r.route === route);
    return this.recorder.waitUntil(
      () => {
        const list = matching();
        return list.length >= n ? list : undefined;
      },
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      () =>
        `LocalPostHog.waitForRequests: expected ${n} requests${route === undefined ? '' : ` to route '${route}'`}, got ${matching().length}`,
    );
  }

  /** Queues answers for the next requests of `group`, first in first out, one per request. */
  script(group: RouteGroup, ...responses: ScriptedResponse[]): void {
    this.handler.scripts[group].push(...responses);
  }

  /** Drops scripted answers not consumed yet, for one group or all of them. */
  clearScripts(group?: RouteGroup): void {
    const scripts = this.handler.scripts;
    for (const name of Object.keys(scripts) as RouteGroup[]) {
      if (group === undefined || group === name) scripts[name].length = 0;
    }
  }

  /** Turns seeded random faults on the capture routes on (restarting the sequence) or off (`undefined`). */
  setFaults(faults: FaultOptions | undefined): void {
    this.handler.faults = faults === undefined ? undefined : new FaultInjector(faults);
  }

  /** Replaces the local-evaluation definitions; the ETag changes with them. */
  setFlagDefinitions(definitions: unknown): void {
    this.flagState.setDefinitions(definitions);
  }

  /** Sets the `/flags` answer: a fixed body or a function of the request. */
  setFlagsResponse(body: FlagsResponder): void {
    this.flagState.setFlagsResponse(body);
  }

  /** Sets the payload remote config returns for `flagKey` (sent string-encoded, as PostHog does). */
  setRemoteConfig(flagKey: string, payload: unknown): void {
    this.flagState.setRemoteConfig(flagKey, payload);
  }

  /** Forgets recorded requests, events and counters. Scripts, faults and flag configuration stay. */
  clear(): void {
    this.recorder.clear();
  }

  /** Listens again on the same port after {@link LocalPostHog.down}. */
  async up(): Promise<void> {
    if (this.stopped) throw new Error('LocalPostHog.up: the server was stopped');
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        this.server.off('listening', onListening);
        reject(error);
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(this.boundPort, this.hostname);
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  /** Stops listening and cuts every open connection, as a server that went away would. */
  async down(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Keep-alive and hung connections would otherwise keep close() waiting and the process alive. Each one's
    // 'close' is awaited too, so that no handle is still listed as active once this resolves.
    const socketsClosed = [...this.sockets].map(
      (socket) =>
        new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve()))),
    );
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.handler.cancelTimers();
    await Promise.all([closed, ...socketsClosed]);
  }

  /** Closes everything and fails pending waits; no handle is left open. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.down();
    this.recorder.rejectWaiters('LocalPostHog was stopped');
  }
}

/** Starts a {@link LocalPostHog} and resolves once it is listening. */
export async function startLocalPostHog(options: LocalPostHogOptions = {}): Promise<LocalPostHog> {
  const server = new LocalPostHog(options);
  await server.up();
  return server;
}
