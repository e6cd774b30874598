import type { RequestInfo } from '../api/results.js';
import { QueueFullError } from '../errors/capture-errors.js';
import { DeliveryError } from '../errors/delivery-error.js';
import type { SdkLogger } from '../logging/sdk-logger.js';
import type { Platform } from '../platform/platform.js';
import { Pipeline } from '../queue/pipeline.js';
import { captureV1Route } from '../transport/capture-v1-route.js';
import type { Exchanger } from '../transport/exchange.js';
import { aiRoute, batchRoute, type Route, uuidOf } from '../transport/routes.js';
import { BatchSender, type SenderHooks } from '../transport/sender.js';
import { messageOf } from '../utils/safe-string.js';
import type { ResolvedConfig } from './config.js';
import type { Emitter } from './emitter.js';
import type { StatsCounter } from './stats.js';

/**
 * Owns the pipelines (ordinary events and AI events), the work still pending, and the shutdown controls, and
 * turns what the senders report into stats, `error`/`flush`/`request` events and log lines.
 */
export class Delivery {
  readonly mainRoute: Route;
  readonly main: Pipeline;
  readonly ai: Pipeline;
  /** Immediate sends and async enrichment that flush/shutdown must wait for. */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly cancelController = new AbortController();
  private shutdownDeadline: number | undefined;
  private readonly mainSender: BatchSender;
  private readonly aiSender: BatchSender;

  constructor(
    apiKey: string,
    config: ResolvedConfig,
    private readonly platform: Platform,
    private readonly stats: StatsCounter,
    private readonly emitter: Emitter,
    private readonly logger: SdkLogger,
    exchange: Exchanger,
    newRequestId: () => string,
  ) {
    this.mainRoute = config.captureMode === 'v1' ? captureV1Route : batchRoute;
    const settings = { ...config, apiKey };
    const lifecycle = { cancel: this.cancelController.signal, deadline: () => this.shutdownDeadline };
    // One error per bound, reused: an overloaded queue drops in bursts (as AcceptPath.queueFullError does).
    const dropErrors: Partial<Record<'count' | 'bytes', QueueFullError>> = {};
    const onDroppedOldest = (bound: 'count' | 'bytes') => {
      stats.dropped.queue_full++;
      const limit = bound === 'count' ? config.maxQueueSize : config.maxQueueBytes;
      const option = bound === 'count' ? 'maxQueueSize' : 'maxQueueBytes';
      logger.once(
        'warn',
        `queue_full:${bound}`,
        `queue full (${option} ${limit}); the oldest event was dropped`,
      );
      dropErrors[bound] ??= new QueueFullError(bound, limit);
      this.emitter.emit('error', dropErrors[bound]);
    };
    /** One route's sender and the pipeline that feeds it. */
    const lane = (route: Route): [BatchSender, Pipeline] => {
      const sender = new BatchSender(
        route,
        settings,
        platform,
        exchange,
        this.hooks(route.path),
        lifecycle,
        newRequestId,
      );
      const onLost = (count: number, error: unknown) =>
        this.failed(count, 'storage_error', undefined, messageOf(error), route.path);
      // The sender settles every event itself and never rejects; if it ever did, its events must still be counted.
      const onSendError = (error: unknown, count: number) =>
        this.failed(count, 'internal_error', undefined, messageOf(error), route.path);
      return [sender, new Pipeline(config, sender, platform, onDroppedOldest, onSendError, onLost)];
    };
    [this.mainSender, this.main] = lane(this.mainRoute);
    [this.aiSender, this.ai] = lane(aiRoute);
  }

  /** Sends one event now, bypassing the queue (the `*Immediate` calls). */
  sendNow(json: string, ai: boolean): Promise<boolean> {
    // The caller awaits this send: unref'd retry timers must not let the process exit before it settles.
    const release = this.platform.holdOpen();
    const sent = (ai ? this.aiSender : this.mainSender).send([json]);
    sent.then(release, release);
    return this.track(sent);
  }

  /** Makes flush/shutdown wait for `work` (immediate sends, async enrichment). */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves when everything captured before the call is delivered or given up on. */
  async flush(): Promise<void> {
    // Only work started before the call: under steady traffic new work keeps arriving, and flush() must end.
    await Promise.allSettled([...this.pending]);
    await Promise.all([this.main.flush(), this.ai.flush()]);
    // Shutting down: no compression job may outlive the call.
    if (this.shutdownDeadline !== undefined)
      await Promise.all([this.main.stopCompression(), this.ai.stopCompression()]);
  }

  get queued(): number {
    return this.main.queue.length + this.ai.queue.length;
  }

  get queuedBytes(): number {
    return this.main.queue.bytes + this.ai.queue.bytes;
  }

  get inFlight(): number {
    return this.main.inFlightEvents + this.ai.inFlightEvents;
  }

  /** Starts the shutdown clock: retries that would end past `deadline` are not attempted. */
  setDeadline(deadline: number): void {
    this.shutdownDeadline = deadline;
    // The backlog is about to be sent or dropped: compressing more of it would only cost time.
    void this.main.stopCompression();
    void this.ai.stopCompression();
  }

  /** Gives up on everything left: aborts requests and backoff waits, empties the queues. */
  abandon(): void {
    this.cancelController.abort(new Error('shutdown deadline reached'));
    const discarded = this.main.discard() + this.ai.discard();
    if (discarded > 0) {
      this.failed(
        discarded,
        'shutdown_timeout',
        undefined,
        'still queued at the shutdown deadline',
        this.mainRoute.path,
      );
    }
  }

  stopTimers(): void {
    this.main.stopTimer();
    this.ai.stopTimer();
  }

  private hooks(path: string): SenderHooks {
    return {
      attempt: (info) => {
        this.stats.requests++;
        if (info.attempt > 0) this.stats.retries++;
        if (this.emitter.has('request')) {
          const payload: RequestInfo = {
            path: info.path,
            attempt: info.attempt,
            status: info.status,
            eventCount: info.batch.length,
            uuids: info.batch.map(uuidOf),
            durationMs: info.durationMs,
          };
          if (info.error) payload.error = info.error;
          this.emitter.emit('request', payload);
        }
        if (info.error) this.logger.debug(`request to ${info.path} failed: ${info.error.message}`);
      },
      delivered: (batch) => {
        this.stats.delivered += batch.length;
        if (this.emitter.has('flush')) {
          this.emitter.emit(
            'flush',
            batch.map((json) => JSON.parse(json) as Record<string, unknown>),
          );
        }
      },
      failed: (batch, reason, status, detail) => this.failed(batch.length, reason, status, detail, path),
    };
  }

  private failed(
    count: number,
    reason: DeliveryError['reason'],
    status: number | undefined,
    detail: string | undefined,
    path: string,
  ): void {
    this.stats.dropped[reason] += count;
    const error = new DeliveryError({ reason, path, eventCount: count, status, detail });
    this.logger.once('error', `delivery:${reason}:${status ?? ''}`, error.message);
    this.emitter.emit('error', error);
  }
}
