import type { EventMessage } from '../api/messages.js';
import type { PostHogOptions } from '../api/options.js';
import type { ClientSummary } from '../api/results.js';
import type { PostHogContext } from '../context/context-store.js';
import type { QueueFullError, ValidationError } from '../errors/capture-errors.js';
import { ConfigError } from '../errors/config-error.js';
import type { PostHogError } from '../errors/posthog-error.js';
import { FeatureFlagsController, type FlagCalledMeta, resolveFlagOptions } from '../flags/client/index.js';
import { consoleLogger } from '../logging/console-logger.js';
import { SdkLogger } from '../logging/sdk-logger.js';
import type { Platform } from '../platform/platform.js';
import { outlasts } from '../platform/sleep.js';
import { type Exchanger, exchangerFor } from '../transport/exchange.js';
import { offlineExchanger } from '../transport/offline.js';
import { safeString } from '../utils/safe-string.js';
import { UuidV7Generator } from '../utils/uuid.js';
import { LIB_NAME, VERSION } from '../version.js';
import { type ResolvedConfig, resolveConfig } from './config.js';
import { Delivery } from './delivery.js';
import { Emitter } from './emitter.js';
import type * as drafts from './event-factory.js';
import type { PrepareContext } from './prepare.js';
import { INSPECT, inspectAs, publicOptions } from './redaction.js';
import { StatsCounter } from './stats.js';
import { WaitUntilFlusher } from './wait-until.js';

/** Secret keys, which must never be used as the project API key. */
const SECRET_KEY_PREFIX = /^ph[sx]_/;

/** @internal What a capture call hands to `accept()`: an event draft, or why the message is invalid. */
export type Draft = drafts.EventDraft | ValidationError;

/**
 * @internal The state of an {@link EventClient} and its construction: configuration, logger, delivery
 * pipeline, uuids, super properties and the flag controller. The layers above add the methods:
 * `AcceptPath` → `ExceptionCapture` → `ClientLifecycle` → `ClientControls` → `EventClient`.
 */
export abstract class ClientCore {
  /** The project API key (`phc_…`) events are sent with. */
  readonly apiKey: string;
  /**
   * The options the client was constructed with, with `host` resolved (trailing slashes removed, the default when
   * none was given), as posthog-node exposes them: a frozen copy, so later changes to the caller's object do not
   * show through. `JSON.stringify` and `console.log` show its secret key as `[redacted]`; reading the property
   * gives the key.
   */
  readonly options: Readonly<PostHogOptions>;
  /** @internal */
  protected readonly config: ResolvedConfig;
  /** @internal */
  protected readonly platform: Platform;
  /** @internal */
  protected readonly logger: SdkLogger;
  /** @internal */
  protected readonly emitter = new Emitter();
  /** @internal */
  protected readonly delivery: Delivery | undefined;
  /** @internal */
  protected readonly counters = new StatsCounter();
  /** @internal */
  protected readonly uuids: UuidV7Generator;
  /** The HTTP transport every request uses: the `fetch` option adapted once, or the platform's own. */
  protected readonly exchange: Exchanger;
  /** @internal */
  protected readonly prepareContext: PrepareContext;
  /** @internal Super properties, shared with every draft built. */
  protected readonly base: drafts.BaseProperties = { superProperties: undefined };
  /** @internal Set by `shutdown()`: every later capture is refused. */
  protected closed = false;
  /** @internal Set by `disable()`. */
  protected optOut = false;
  /** @internal One refusal error per queue bound, reused (see `AcceptPath.queueFullError`). */
  protected readonly queueFullErrors: { count?: QueueFullError; bytes?: QueueFullError } = {};
  /** @internal The feature-flag side: remote and local evaluation, polling, `$feature_flag_called`. */
  protected readonly flags: FeatureFlagsController | undefined;
  /** @internal Flushes handed to the runtime's `waitUntil` (the `waitUntil` option); absent without it. */
  protected readonly waitUntil: WaitUntilFlusher | undefined;

  /**
   * Called through an entry point's subclass (`new PostHog(apiKey, options)` on Node), which passes the runtime's
   * `platform`: HTTP, gzip, randomness and timers. Throws a `ConfigError` for an unusable option; without an API
   * key the client is disabled.
   */
  constructor(apiKey: string, options: PostHogOptions | undefined, platform: Platform) {
    this.config = resolveConfig(options);
    this.options = publicOptions(options, this.config.host);
    const flagOptions = resolveFlagOptions(options);
    this.platform = platform;
    this.logger = new SdkLogger(this.config.logger ?? consoleLogger(), platform.now);
    if (options?.compressionLevel !== undefined && !platform.gzipLevels) {
      this.logger.warn(
        `compressionLevel ${options.compressionLevel} is ignored on this runtime: its CompressionStream takes no level`,
      );
    }
    this.apiKey = typeof apiKey === 'string' ? apiKey.trim() : '';
    if (SECRET_KEY_PREFIX.test(this.apiKey)) {
      // It would go out in every event body and /flags request, and show in logs as the (public) project key.
      throw new ConfigError(
        'apiKey',
        'is a project secret key (phs_…) or a personal API key (phx_…), which must never be sent with events: give the project API key (phc_…) here, and the secret key as the secretKey option',
        `${this.apiKey.slice(0, 4)}…`,
      );
    }
    this.optOut = !this.config.defaultOptIn;
    this.uuids = new UuidV7Generator((bytes) => platform.randomFill(bytes));
    this.exchange = this.config.offline
      ? offlineExchanger(this.logger)
      : exchangerFor(this.config.fetch, platform);
    const newUuid = (nowMs: number) => this.uuids.next(nowMs);
    this.prepareContext = {
      beforeSend: this.config.beforeSend,
      isServer: this.config.isServer,
      disableGeoip: this.config.disableGeoip,
      now: platform.now,
      newUuid,
      utf8Length: platform.utf8Length,
    };
    if (!this.apiKey) {
      this.logger.error('no project API key was given; the client is disabled and will send nothing');
      return;
    }
    if (this.config.disabled) return;
    if (this.config.offline) {
      this.logger.warn(
        'offline: nothing is sent to PostHog; events are logged at info level (after debug()) and flags come only from flagDefinitions, a cache provider and overrides',
      );
    }
    this.delivery = new Delivery(
      this.apiKey,
      this.config,
      platform,
      this.counters,
      this.emitter,
      this.logger,
      this.exchange,
      () => newUuid(platform.now()),
    );
    this.flags = new FeatureFlagsController({
      apiKey: this.apiKey,
      host: this.config.host,
      secretKey: this.config.offline ? undefined : this.config.secretKey,
      options: flagOptions,
      platform,
      exchange: this.exchange,
      logger: this.logger,
      emit: (event, payload) => {
        if (event === 'localEvaluationFlagsLoaded') this.emitter.emit(event, payload as number);
        else this.emitter.emit('error', payload as PostHogError);
      },
      capture: (message, meta) => this.captureFlagCalled(message, meta),
      track: (work) => this.trackPending(work),
    });
    this.flags.start();
    const waitUntil = this.config.waitUntil;
    if (waitUntil) {
      this.waitUntil = new WaitUntilFlusher(
        {
          waitUntil,
          debounceMs: this.config.waitUntilDebounceMs,
          maxWaitMs: this.config.waitUntilMaxWaitMs,
          flush: () => this.flushQueued(),
          onError: (error) => this.logger.once('error', 'waitUntil', `waitUntil threw: ${safeString(error)}`),
        },
        platform,
      );
    }
    // Exception autocapture (ExceptionCapture) and the exit hook (ClientLifecycle) are installed next, in
    // that order, by the constructors of their layers, when the client has a delivery pipeline.
  }

  /** True when the client sends nothing (no API key, `disabled: true`, or after `disable()`). */
  get isDisabled(): boolean {
    return this.delivery === undefined || this.optOut;
  }

  /** True after `disable()` until `enable()` (posthog-node's opt-out state). */
  get optedOut(): boolean {
    return this.optOut;
  }

  /** The host events and flag calls go to, as resolved from the `host` option. */
  get host(): string {
    return this.config.host;
  }

  /**
   * What `JSON.stringify(client)` writes: the host, the project key (public: it is in every event sent), and the
   * client's state. Never the secret key, the configuration holding it, or the queued events.
   */
  toJSON(): ClientSummary {
    return {
      host: this.config.host,
      apiKey: this.apiKey,
      disabled: this.delivery === undefined,
      optedOut: this.optOut,
      closed: this.closed,
      localEvaluation: this.config.secretKey !== undefined,
      offline: this.config.offline,
    };
  }

  /** @internal What `console.log(client)` and `util.inspect` show: {@link toJSON}'s summary, labelled. */
  [INSPECT](
    _depth: number,
    options: unknown,
    inspect?: (value: unknown, options: unknown) => string,
  ): unknown {
    return inspectAs(this.constructor.name, this.toJSON(), options, inspect);
  }

  /** The library name sent as `$lib`: `posthog-ts`. */
  getLibraryId(): string {
    return LIB_NAME;
  }

  /** The library version sent as `$lib_version`. */
  getLibraryVersion(): string {
    return VERSION;
  }

  /**
   * Resolves when every event captured before the call is delivered or given up on, including events in
   * flight and immediate sends. Safe to call concurrently; never rejects (failures go to `error`).
   *
   * With `timeoutMs` (a non-negative number; anything else means no limit) it resolves after that long at the
   * latest, with a warning naming how many events are still on their way: nothing is dropped, they stay queued
   * or in flight and keep being sent. For a request handler that must answer during a PostHog outage, where a
   * batch may keep retrying for up to `maxRetryDuration`.
   */
  flush(timeoutMs?: number): Promise<void> {
    const flushed = this.flushQueued(timeoutMs !== undefined && timeoutMs >= 0 ? timeoutMs : undefined);
    // Serverless: the runtime keeps the invocation up until the flush ends, awaited or not.
    this.waitUntil?.flushStarted(flushed);
    return flushed;
  }

  /** @internal {@link flush} without handing it to `waitUntil`. */
  protected async flushQueued(timeoutMs?: number): Promise<void> {
    const delivery = this.delivery;
    if (!delivery) return;
    const release = this.platform.holdOpen();
    try {
      if (timeoutMs === undefined) return await delivery.flush();
      if (await outlasts(this.platform, delivery.flush(), timeoutMs)) {
        const left = delivery.queued + delivery.inFlight;
        this.logger.warn(
          `flush(${timeoutMs}) returned before ${left} event(s) were delivered; they are still queued or in flight`,
        );
      }
    } finally {
      release();
    }
  }

  /** @internal Makes flush/shutdown wait for async work that will enqueue events (flag lookups, stack context). */
  protected trackPending<T>(work: Promise<T>): Promise<T> {
    // Work that will queue an event keeps a serverless runtime up as the event would (the waitUntil option).
    this.waitUntil?.eventQueued();
    return this.delivery ? this.delivery.track(work) : work;
  }

  /** @internal The request context events inherit, read once per capture. */
  protected context(): PostHogContext | undefined {
    return this.platform.contextStore.get();
  }

  /** @internal `$feature_flag_called` from the flag layer (implemented by `EventClient`). */
  protected abstract captureFlagCalled(message: EventMessage, meta: FlagCalledMeta): boolean;
}
