import type {
  AliasMessage,
  EventMessage,
  ExceptionItem,
  GroupIdentifyMessage,
  IdentifyMessage,
  Message,
  OutgoingEventType,
  PropertiesInput,
  SetPersonPropertiesMessage,
  UnsetPersonPropertiesMessage,
} from '../api/messages.js';
import type { PostHogOptions } from '../api/options.js';
import type { CaptureResult, DeliveryStats } from '../api/results.js';
import { mergeContexts, type PostHogContext, type WithContextOptions } from '../context/context-store.js';
import { ClosedError, DisabledError, QueueFullError, ValidationError } from '../errors/capture-errors.js';
import { PostHogError } from '../errors/posthog-error.js';
import { enrichExceptionList } from '../exceptions/enrich.js';
import { buildExceptionList } from '../exceptions/exception-list.js';
import { captureCallSiteStack } from '../exceptions/synthetic-stack.js';
import type { RootMechanism } from '../exceptions/types.js';
import {
  FeatureFlagsController,
  type FlagCalledMeta,
  MINIMAL_FLAG_CALLED_PROPERTIES,
  resolveFlagOptions,
} from '../flags/client/index.js';
import { consoleLogger } from '../logging/console-logger.js';
import { SdkLogger } from '../logging/sdk-logger.js';
import type { Platform } from '../platform/platform.js';
import { aiRoute } from '../transport/routes.js';
import { isUuid, UuidV7Generator } from '../utils/uuid.js';
import { Properties } from './builders.js';
import { type ResolvedConfig, resolveConfig } from './config.js';
import { Delivery } from './delivery.js';
import { Emitter, type PostHogEventMap, type PostHogEventName } from './emitter.js';
import * as drafts from './event-factory.js';
import { FILTERED, type PrepareContext, type PreparedEvent, prepare } from './prepare.js';
import { StatsCounter } from './stats.js';

type Draft = drafts.EventDraft | ValidationError;

/** @internal Options of {@link PostHogClient.captureThrown}. */
export interface ThrownCaptureOptions {
  distinctId?: string | number | undefined;
  additionalProperties?: PropertiesInput | undefined;
  uuid?: string | undefined;
  /** The root entry's mechanism. Default `{ type: 'generic', handled: true }`. */
  mechanism?: RootMechanism | undefined;
  /** The call site's stack, used when the thrown value carries none. */
  syntheticStack?: string | undefined;
}

/**
 * The event side of the PostHog client (the base of {@link PostHogClient}). Capture calls are synchronous O(1) enqueues that never throw and never wait on the
 * network; a background pipeline batches, compresses and delivers. Only the constructor throws, and only for
 * an unusable configuration.
 *
 * Runtime-specific pieces (HTTP, gzip, randomness, timers) come from the {@link Platform} given by the entry
 * point; `posthog-ts` on Node passes the Node platform.
 */
export class EventClient {
  /** The project API key (`phc_…`) events are sent with. */
  readonly apiKey: string;
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
  private readonly counters = new StatsCounter();
  private readonly uuids: UuidV7Generator;
  private readonly prepareContext: PrepareContext;
  private readonly base: drafts.BaseProperties = { superProperties: undefined };
  private closed = false;
  private optedOut = false;
  private shutdownPromise: Promise<void> | undefined;
  private removeExitHook: (() => void) | undefined;
  private removeAutocapture: (() => void) | undefined;
  private exitFlushing = false;
  /** Error objects captured in the current event-loop turn, and their events' uuids. */
  private readonly capturedThisTurn = new Map<object, string>();
  private readonly queueFullErrors: { count?: QueueFullError; bytes?: QueueFullError } = {};
  /** @internal The feature-flag side: remote and local evaluation, polling, `$feature_flag_called`. */
  protected readonly flags: FeatureFlagsController | undefined;

  constructor(apiKey: string, options: PostHogOptions | undefined, platform: Platform) {
    this.config = resolveConfig(options);
    const flagOptions = resolveFlagOptions(options);
    this.platform = platform;
    this.logger = new SdkLogger(this.config.logger ?? consoleLogger(), platform.now);
    this.apiKey = typeof apiKey === 'string' ? apiKey.trim() : '';
    this.uuids = new UuidV7Generator((bytes) => platform.randomFill(bytes), platform.now);
    const newUuid = () => this.uuids.next();
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
    this.delivery = new Delivery(
      this.apiKey,
      this.config,
      platform,
      this.counters,
      this.emitter,
      this.logger,
      newUuid,
    );
    this.flags = new FeatureFlagsController({
      apiKey: this.apiKey,
      host: this.config.host,
      secretKey: this.config.secretKey,
      options: flagOptions,
      platform,
      fetch: this.config.fetch ?? platform.fetch,
      logger: this.logger,
      emit: (event, payload) => {
        if (event === 'localEvaluationFlagsLoaded') this.emitter.emit(event, payload as number);
        else this.emitter.emit('error', payload as PostHogError);
      },
      capture: (message, meta) => this.captureFlagCalled(message, meta),
      track: (work) => this.trackPending(work),
    });
    this.flags.start();
    if (this.config.enableExceptionAutocapture) {
      if (platform.installAutocapture) {
        this.removeAutocapture = platform.installAutocapture(this, {
          rateLimit: {
            bucketSize: this.config.exceptionRateLimiterBucketSize,
            refillPerSecond: this.config.exceptionRateLimiterRefillRate / 10,
          },
        });
      } else {
        this.logger.warn('enableExceptionAutocapture is not supported on this runtime');
      }
    }
    // A script that forgets shutdown() would otherwise exit with events still queued.
    this.removeExitHook = platform.onBeforeExit(() => this.flushBeforeExit());
  }

  /**
   * A script ended without `shutdown()`: send what is queued, but keep the process alive for at most
   * {@link EXIT_FLUSH_MS}. With PostHog unreachable, retries would otherwise hold a CLI open for minutes.
   */
  private flushBeforeExit(): void {
    const delivery = this.delivery;
    if (!delivery || delivery.queued === 0 || this.closed || this.exitFlushing) return;
    this.exitFlushing = true;
    const release = this.platform.holdOpen();
    const timer = this.platform.setTimer(() => {
      const left = delivery.queued + delivery.inFlight;
      if (left > 0) {
        this.logger.warn(
          `the process is exiting with ${left} event(s) not delivered; call shutdown() before exit`,
        );
      }
      release();
    }, EXIT_FLUSH_MS);
    void delivery.flush().finally(() => {
      this.platform.clearTimer(timer);
      release();
      this.exitFlushing = false;
    });
  }

  /** True when the client sends nothing (no API key, `disabled: true`, or after `disable()`). */
  get isDisabled(): boolean {
    return this.delivery === undefined || this.optedOut;
  }

  /** Queues an event. Returns its uuid, or the reason it was refused (also logged and emitted on `error`). */
  capture(message: EventMessage): CaptureResult {
    if (message?.flags !== undefined || message?.sendFeatureFlags) return this.captureWithFlags(message);
    return this.accept(
      this.gate() ?? drafts.captureDraft(message, this.base, 'capture', this.context()),
      false,
    );
  }

  /** Sends an event now, bypassing the queue; resolves once it is delivered or given up on. */
  captureImmediate(message: EventMessage): Promise<CaptureResult> {
    return this.acceptNow(
      this.gate() ?? drafts.captureDraft(message, this.base, 'capture', this.context()),
      false,
    );
  }

  /** Sets person properties with an `$identify` event. */
  identify(message: IdentifyMessage): CaptureResult {
    return this.accept(this.gate() ?? drafts.identifyDraft(message), false);
  }

  identifyImmediate(message: IdentifyMessage): Promise<CaptureResult> {
    return this.acceptNow(this.gate() ?? drafts.identifyDraft(message), false);
  }

  /** Links `alias` to `distinctId` with a `$create_alias` event. */
  alias(message: AliasMessage): CaptureResult {
    return this.accept(this.gate() ?? drafts.aliasDraft(message), false);
  }

  aliasImmediate(message: AliasMessage): Promise<CaptureResult> {
    return this.acceptNow(this.gate() ?? drafts.aliasDraft(message), false);
  }

  /** Sets a group's properties with a `$groupidentify` event. */
  groupIdentify(message: GroupIdentifyMessage): CaptureResult {
    return this.accept(this.gate() ?? drafts.groupIdentifyDraft(message), false);
  }

  groupIdentifyImmediate(message: GroupIdentifyMessage): Promise<CaptureResult> {
    return this.acceptNow(this.gate() ?? drafts.groupIdentifyDraft(message), false);
  }

  /** Sets person properties (`$set`, `$set_once`) without another event. */
  setPersonProperties(message: SetPersonPropertiesMessage): CaptureResult {
    return this.accept(this.gate() ?? drafts.setPersonPropertiesDraft(message), false);
  }

  /** Removes person properties (`$unset`). */
  unsetPersonProperties(message: UnsetPersonPropertiesMessage): CaptureResult {
    return this.accept(this.gate() ?? drafts.unsetPersonPropertiesDraft(message), false);
  }

  /**
   * Queues an AI event (`$ai_generation`, ...) for `/i/v0/ai/batch/`. Returns its uuid, or `undefined` when it
   * was refused (posthog-node's signature).
   */
  captureAi(message: EventMessage): string | undefined {
    const result = this.accept(
      this.gate() ?? drafts.captureDraft(message, this.base, 'ai', this.context()),
      true,
    );
    return result.ok ? result.uuid : undefined;
  }

  /** Sends an AI event now; resolves to its uuid, or `undefined` when it was refused or not delivered. */
  async captureAiImmediate(message: EventMessage): Promise<string | undefined> {
    const result = await this.acceptNow(
      this.gate() ?? drafts.captureDraft(message, this.base, 'ai', this.context()),
      true,
    );
    return result.ok ? result.uuid : undefined;
  }

  /**
   * Captures an exception as a `$exception` event for PostHog error tracking (posthog-node's signature).
   * `error` may be anything thrown: Errors with their `cause` chains and `AggregateError` members, strings,
   * plain objects, `null`. Stack frames get source context lines on Node, read without blocking; `flush()` and
   * `shutdown()` wait for that step, so an exception captured just before them is still delivered.
   */
  captureException(
    error: unknown,
    distinctId?: string | number,
    additionalProperties?: PropertiesInput,
    uuid?: string,
  ): CaptureResult {
    const stack = captureCallSiteStack(this.captureException);
    return this.captureThrown(error, { distinctId, additionalProperties, uuid, syntheticStack: stack });
  }

  /** `captureException()` sent now, bypassing the queue; resolves once delivered or given up on. */
  async captureExceptionImmediate(
    error: unknown,
    distinctId?: string | number,
    additionalProperties?: PropertiesInput,
  ): Promise<CaptureResult> {
    const stack = captureCallSiteStack(this.captureExceptionImmediate);
    const draft = this.exceptionDraftFor(error, { distinctId, additionalProperties, syntheticStack: stack });
    if (draft instanceof PostHogError) return this.refuse(draft);
    await this.enrichException(draft);
    return this.acceptNow(draft, false);
  }

  /**
   * @internal Exception capture with an explicit mechanism, for autocapture, logger handlers and framework
   * middleware. Returns the uuid the event will carry; the event is queued once source context is read.
   */
  captureThrown(error: unknown, options: ThrownCaptureOptions): CaptureResult {
    // The same error object reported twice in one turn (a handler's captureException, then autocapture or a
    // logger handler seeing it rethrown) is one exception: keep the first event.
    const earlier =
      typeof error === 'object' && error !== null ? this.capturedThisTurn.get(error) : undefined;
    if (earlier !== undefined) return { ok: true, uuid: earlier };
    const draft = this.exceptionDraftFor(error, options);
    if (draft instanceof PostHogError) return this.refuse(draft);
    const uuid = draft.uuid as string;
    if (typeof error === 'object' && error !== null) this.rememberThisTurn(error, uuid);
    if (!this.platform.stackSource) return this.accept(draft, false);
    void this.trackPending(this.enrichException(draft).then(() => this.accept(draft, false)));
    return { ok: true, uuid };
  }

  private rememberThisTurn(error: object, uuid: string): void {
    if (this.capturedThisTurn.size === 0) this.platform.setTimer(() => this.capturedThisTurn.clear(), 0);
    this.capturedThisTurn.set(error, uuid);
  }

  private exceptionDraftFor(error: unknown, options: ThrownCaptureOptions): drafts.EventDraft | PostHogError {
    const gate = this.gate();
    if (gate) return gate;
    const exceptionList = buildExceptionList(error, {
      mechanism: options.mechanism ?? { type: 'generic', handled: true },
      ...(options.syntheticStack === undefined ? {} : { syntheticStack: options.syntheticStack }),
    });
    const built = drafts.exceptionDraft(
      {
        distinctId: options.distinctId,
        exceptionList,
        properties: options.additionalProperties,
        // Fixed now, at the call: source context is read later, but the event is about this moment.
        timestamp: this.platform.now(),
        uuid: isUuid(options.uuid) ? options.uuid : this.uuids.next(),
      },
      this.base,
      this.context(),
    );
    return built;
  }

  private async enrichException(draft: drafts.EventDraft): Promise<void> {
    const source = this.platform.stackSource;
    const list = draft.properties.$exception_list as ExceptionItem[];
    if (source) draft.properties.$exception_list = await enrichExceptionList(list, source);
  }

  /** The Go SDK's call style: one entry point for every message type. */
  enqueue(message: Message): CaptureResult {
    const gate = this.gate();
    if (gate) return this.accept(gate, false);
    if (typeof message !== 'object' || message === null) {
      return this.accept(new ValidationError('message', 'must be an object with a type'), false);
    }
    switch (message.type) {
      case 'capture':
        return this.capture(message);
      case 'identify':
        return this.identify(message);
      case 'alias':
        return this.alias(message);
      case 'groupIdentify':
        return this.groupIdentify(message);
      case 'exception':
        return this.accept(drafts.exceptionDraft(message, this.base, this.context()), false);
      default:
        return this.accept(
          new ValidationError('type', `must be capture, identify, alias, groupIdentify or exception`),
          false,
        );
    }
  }

  /** Super properties: added to every ordinary event (the event's own properties win). */
  register(properties: PropertiesInput): void {
    const values = properties instanceof Properties ? properties.values : properties;
    if (typeof values !== 'object' || values === null) return;
    this.base.superProperties = { ...this.base.superProperties, ...values };
  }

  /** Removes a super property. */
  unregister(key: string): void {
    if (!this.base.superProperties) return;
    const { [key]: _removed, ...rest } = this.base.superProperties;
    this.base.superProperties = Object.keys(rest).length ? rest : undefined;
  }

  /**
   * Runs `fn` with a request context: events and exceptions captured inside, across awaits, inherit its
   * distinct id, `$session_id` and properties; explicit arguments win. Nested contexts merge unless `fresh`.
   * On runtimes without AsyncLocalStorage it just runs `fn`.
   */
  withContext<T>(context: PostHogContext, fn: () => T, options: WithContextOptions = {}): T {
    const store = this.platform.contextStore;
    return store.run(options.fresh ? { ...context } : mergeContexts(store.get(), context), fn);
  }

  /** Sets the request context for the rest of the current async execution (e.g. in middleware). */
  enterContext(context: PostHogContext, options: WithContextOptions = {}): void {
    const store = this.platform.contextStore;
    store.enter(options.fresh ? { ...context } : mergeContexts(store.get(), context));
  }

  /** The current request context, if any. */
  getContext(): PostHogContext | undefined {
    return this.platform.contextStore.get();
  }

  /** Subscribes to a client event; returns the unsubscribe function. `*` receives every event. */
  on<K extends PostHogEventName>(
    event: K | '*',
    listener: (payload: PostHogEventMap[K]) => void,
  ): () => void {
    return this.emitter.on(event, listener);
  }

  /** Logs what the client does (debug and info lines). */
  debug(enabled = true): void {
    this.logger.debugEnabled = enabled;
  }

  /** Opts back in after `disable()`. */
  enable(): void {
    this.optedOut = false;
  }

  /** Opts out: capture calls become no-ops until `enable()`. */
  disable(): void {
    this.optedOut = true;
  }

  /** Counters of the event pipeline. */
  stats(): DeliveryStats {
    const d = this.delivery;
    return this.counters.snapshot(d?.queued ?? 0, d?.queuedBytes ?? 0, d?.inFlight ?? 0);
  }

  /**
   * Resolves when every event captured before the call is delivered or given up on, including events in
   * flight and immediate sends. Safe to call concurrently; never rejects (failures go to `error`).
   */
  async flush(): Promise<void> {
    const delivery = this.delivery;
    if (!delivery) return;
    const release = this.platform.holdOpen();
    try {
      await delivery.flush();
    } finally {
      release();
    }
  }

  /**
   * Stops accepting events, delivers what is queued, in flight or pending within `timeoutMs`, then gives up
   * on the rest (counted as `shutdown_timeout`) and stops every timer. Calling it again returns the same
   * promise. Never rejects.
   */
  shutdown(timeoutMs = 30_000): Promise<void> {
    if (!this.shutdownPromise) this.shutdownPromise = this.shutdownOnce(timeoutMs);
    else this.logger.debug('shutdown() was already called; waiting for the first call');
    return this.shutdownPromise;
  }

  /** The Go SDK's `Close()`: `shutdown()` with its default deadline. */
  close(): Promise<void> {
    return this.shutdown();
  }

  private async shutdownOnce(timeoutMs: number): Promise<void> {
    this.closed = true;
    this.removeExitHook?.();
    this.removeAutocapture?.();
    const flagsStopped = this.flags?.shutdown(Math.min(timeoutMs, 5000));
    const delivery = this.delivery;
    if (!delivery) {
      this.platform.close();
      return;
    }
    const release = this.platform.holdOpen();
    const timeout = Math.max(0, Number.isFinite(timeoutMs) ? timeoutMs : 30_000);
    delivery.setDeadline(this.platform.now() + timeout);
    let timer: ReturnType<Platform['setTimer']> | undefined;
    try {
      if (timeout === 0) {
        // No time at all: send nothing more, so nothing reaches the server after the call.
        delivery.abandon();
        await delivery.flush();
        return;
      }
      const timedOut = await Promise.race([
        delivery.flush().then(() => false),
        new Promise<boolean>((resolve) => {
          timer = this.platform.setTimer(() => resolve(true), timeout);
        }),
      ]);
      if (timedOut) {
        delivery.abandon();
        await delivery.flush(); // settles quickly: requests and waits were just aborted
        this.logger.error(`shutdown(${timeout}) reached its deadline; undelivered events were dropped`);
      }
    } finally {
      if (timer !== undefined) this.platform.clearTimer(timer);
      await flagsStopped;
      delivery.stopTimers();
      this.platform.close();
      release();
    }
  }

  /** @internal Makes flush/shutdown wait for async work that will enqueue events (flag lookups, stack context). */
  protected trackPending<T>(work: Promise<T>): Promise<T> {
    return this.delivery ? this.delivery.track(work) : work;
  }

  private captureWithFlags(message: EventMessage): CaptureResult {
    const { flags: snapshot, sendFeatureFlags, ...rest } = message;
    if (snapshot !== undefined) {
      if (sendFeatureFlags)
        this.logger.once(
          'warn',
          'flags+sendFeatureFlags',
          'capture() got both flags and sendFeatureFlags; using flags',
        );
      return this.capture(withFlagProperties(rest, snapshot.eventProperties()));
    }
    const gate = this.gate();
    const draft = gate ?? drafts.captureDraft(rest, this.base, 'capture', this.context());
    if (!this.flags || draft instanceof PostHogError || draft.distinctId === undefined)
      return this.accept(draft, false);
    const props = this.flags.flagPropertiesForCapture(draft.distinctId, sendFeatureFlags ?? true);
    if ('sync' in props) return this.capture(withFlagProperties(rest, props.sync));
    // One /flags call first: the event keeps the uuid and timestamp of this moment and is queued after it.
    const uuid = isUuid(rest.uuid) ? rest.uuid : this.uuids.next();
    const timestamp = rest.timestamp ?? this.platform.now();
    const context = this.context();
    void this.trackPending(
      props.later.then((flagProps) => {
        const later = { ...rest, uuid, timestamp, properties: { ...flagProps, ...toPlain(rest.properties) } };
        this.accept(drafts.captureDraft(later, this.base, 'capture', context), false);
      }),
    );
    return { ok: true, uuid };
  }

  /** `$feature_flag_called` from the flag layer; minimal events keep only the allowlisted properties. */
  private captureFlagCalled(message: EventMessage, meta: FlagCalledMeta): boolean {
    if (!meta.minimal) return this.capture(message).ok;
    const draft = this.gate() ?? drafts.captureDraft(message, NO_BASE, 'capture', undefined);
    if (!(draft instanceof PostHogError)) {
      const kept: Record<string, unknown> = {};
      for (const key of MINIMAL_FLAG_CALLED_PROPERTIES)
        if (key in draft.properties) kept[key] = draft.properties[key];
      draft.properties = kept;
      draft.owned = true;
    }
    return this.accept(draft, false).ok;
  }

  /** @internal The request context events inherit, read once per capture. */
  protected context(): PostHogContext | undefined {
    return this.platform.contextStore.get();
  }

  /** Returns why nothing can be captured right now, if anything. */
  private gate(): PostHogError | undefined {
    if (this.closed) return new ClosedError();
    if (this.isDisabled) return DISABLED;
    return undefined;
  }

  private accept(draft: Draft | PostHogError, ai: boolean): CaptureResult {
    if (draft instanceof PostHogError) return this.refuse(draft);
    const pipeline = ai ? this.delivery!.ai : this.delivery!.main;
    if (pipeline.refusesByCount) {
      // Refused before before_send and serialisation: an overloaded client must stay cheap per call.
      this.counters.dropped.queue_full++;
      return this.refuse(this.queueFullError('count'));
    }
    const prepared = this.prepareDraft(draft, ai);
    if (!('json' in prepared)) return prepared;
    const outcome = pipeline.enqueue(prepared.json, prepared.size);
    if (outcome !== 'queued') {
      this.counters.dropped.queue_full++;
      return this.refuse(this.queueFullError(outcome === 'full-count' ? 'count' : 'bytes'));
    }
    this.counters.captured++;
    this.announce(draft.type, prepared);
    return { ok: true, uuid: prepared.uuid };
  }

  private async acceptNow(draft: Draft | PostHogError, ai: boolean): Promise<CaptureResult> {
    if (draft instanceof PostHogError) return this.refuse(draft);
    const prepared = this.prepareDraft(draft, ai);
    if (!('json' in prepared)) return prepared;
    this.counters.captured++;
    // The outcome of this event's own request: other sends finishing meanwhile must not count as its success.
    if (await this.delivery!.sendNow(prepared.json, ai)) return { ok: true, uuid: prepared.uuid };
    return {
      ok: false,
      error: new PostHogError('delivery', `posthog-ts: event ${prepared.uuid} was not delivered`),
    };
  }

  private prepareDraft(
    draft: drafts.EventDraft,
    ai: boolean,
  ): PreparedEvent | { ok: false; error: PostHogError } {
    const prepared = prepare(draft, ai ? aiRoute : this.delivery!.mainRoute, this.prepareContext);
    if (prepared === FILTERED) {
      this.counters.dropped.filtered++;
      this.logger.debug(`before_send dropped event "${draft.event}"`);
      return {
        ok: false,
        error: new PostHogError('filtered', `posthog-ts: before_send dropped "${draft.event}"`),
      };
    }
    if (prepared instanceof PostHogError) {
      if (prepared.code === 'before_send') this.counters.dropped.before_send++;
      return this.refuse(prepared);
    }
    return prepared;
  }

  /**
   * One error object per bound, reused: a full queue refuses events in bursts, and building an Error (with its
   * stack trace) per refused event would make an overloaded client slower exactly when it can least afford it.
   */
  private queueFullError(bound: 'count' | 'bytes'): QueueFullError {
    let error = this.queueFullErrors[bound];
    if (!error) {
      error = new QueueFullError(
        bound,
        bound === 'count' ? this.config.maxQueueSize : this.config.maxQueueBytes,
      );
      this.queueFullErrors[bound] = error;
    }
    return error;
  }

  private refuse(error: PostHogError): { ok: false; error: PostHogError } {
    if (error === DISABLED) return { ok: false, error };
    this.counters.rejected++;
    const key = error instanceof ValidationError ? `${error.code}:${error.field}` : error.code;
    this.logger.once(error.code === 'closed' ? 'warn' : 'error', key, error.message);
    this.emitter.emit('error', error);
    return { ok: false, error };
  }

  private announce(type: OutgoingEventType, prepared: PreparedEvent): void {
    const name = type === 'ai' || type === 'exception' ? 'capture' : type;
    if (this.emitter.has(name)) {
      // Listeners see the event exactly as it will be sent, read back from its JSON.
      const wire = JSON.parse(prepared.json) as { properties: Record<string, unknown>; timestamp: string };
      this.emitter.emit(name, {
        type,
        event: prepared.event,
        distinctId: prepared.distinctId,
        properties: wire.properties,
        timestamp: wire.timestamp,
        uuid: prepared.uuid,
      });
    }
    if (this.logger.debugEnabled) this.logger.debug(`queued ${prepared.event} ${prepared.uuid}`);
  }
}

const DISABLED = new DisabledError();
/** Longest a process that forgot `shutdown()` is kept alive at exit to deliver its queue. */
const EXIT_FLUSH_MS = 5000;
const NO_BASE: drafts.BaseProperties = { superProperties: undefined };

function toPlain(properties: PropertiesInput | undefined): Record<string, unknown> | undefined {
  return properties instanceof Properties
    ? properties.values
    : (properties as Record<string, unknown> | undefined);
}

/** The message with flag properties under its own (the caller's `$feature/*` values win). */
function withFlagProperties(message: EventMessage, flagProps: Record<string, unknown>): EventMessage {
  return { ...message, properties: { ...flagProps, ...toPlain(message.properties) } };
}
