import type { FetchLike } from '../../api/transport.js';
import type { SdkLogger } from '../../logging/sdk-logger.js';
import type { Platform, TimerHandle } from '../../platform/platform.js';
import { httpRequest } from '../../transport/http.js';
import { backoffDelay } from '../../transport/retry-policy.js';
import { readDefinitionsFile } from './bootstrap-file.js';
import {
  cacheEntry,
  type LoadedDefinitions,
  loadDefinitions,
  neverLocalKeys,
  normaliseDefinitions,
} from './definitions.js';
import { FeatureFlagError } from './errors.js';
import type { ResolvedFlagOptions } from './flag-options.js';
import { FLAG_HEADERS } from './remote.js';
import type { FlagDefinitionsData } from './types.js';

/** What the poller needs from the controller. */
export interface PollerDeps {
  readonly apiKey: string;
  readonly host: string;
  readonly secretKey: string | undefined;
  readonly fetch: FetchLike;
  readonly platform: Platform;
  readonly logger: SdkLogger;
  readonly options: ResolvedFlagOptions;
  /** Reports a problem on the client's `error` event. */
  report(error: FeatureFlagError): void;
  /** Called after every load that replaced the definitions, with the flag count. */
  loaded(count: number): void;
  /** Aborted at shutdown. */
  readonly cancel: AbortSignal;
}

/** The poller's health, logged once per change. */
type PollState = 'init' | 'ok' | 'unauthorized' | 'rate_limited' | 'quota_limited' | 'invalid' | 'failing';

/** Backoff never waits longer than this between polls. */
const MAX_BACKOFF_MS = 60_000;
/** Backoff base when polling is off (interval 0). */
const BACKOFF_BASE_MS = 30_000;
/** Keys shown in the "never evaluable locally" warning. */
const MAX_KEYS_SHOWN = 10;

/**
 * Loads local-evaluation definitions: bootstrap (object or file), then `GET /flags/definitions` on a timer,
 * coordinated with an optional cache provider. Keeps the last good definitions on failures, clears them on
 * 402, backs off (jittered, capped at 60 s) on 401/403/429, and logs one line per change of health, not per
 * poll.
 */
export class DefinitionsPoller {
  /** The definitions in use, or undefined before anything loaded. */
  current: LoadedDefinitions | undefined;
  /** A fetch or cache load succeeded at least once (200 or 304, or a cache hit). */
  loadedOnce = false;
  /** The first load attempt finished (whatever its outcome). */
  firstAttemptDone = false;
  private etag: string | undefined;
  private errors = 0;
  private state: PollState = 'init';
  private timer: TimerHandle | undefined;
  private inflight: Promise<void> | undefined;
  private stopped = false;
  private warnedKeys = '';
  private readonly waiters = new Set<() => void>();

  constructor(private readonly deps: PollerDeps) {
    const boot = deps.options.flagDefinitions;
    if (typeof boot === 'object') this.applyBootstrap(boot, 'the flagDefinitions option');
  }

  /** Reads a bootstrap file if configured, then starts the first load and the timer. */
  start(): void {
    const boot = this.deps.options.flagDefinitions;
    const first = (async () => {
      if (typeof boot === 'string') {
        try {
          this.applyBootstrap(await readDefinitionsFile(boot), boot);
        } catch (error) {
          this.deps.report(
            new FeatureFlagError('bootstrap', `could not read flag definitions from ${boot}`, {
              cause: error,
            }),
          );
        }
      }
      if (this.deps.secretKey !== undefined || this.deps.options.flagDefinitionCacheProvider !== undefined) {
        await this.reload();
      }
    })();
    void first.finally(() => {
      this.firstAttemptDone = true;
      this.wake();
    });
  }

  /** Forces a load now (sharing one already in flight) and re-arms the timer after it. */
  reload(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inflight !== undefined) return this.inflight;
    const run = this.load()
      .catch((error: unknown) => {
        this.deps.logger.error('loading flag definitions failed unexpectedly', error);
      })
      .finally(() => {
        this.inflight = undefined;
        this.schedule();
      });
    this.inflight = run;
    return run;
  }

  /**
   * Resolves once definitions are usable or the first load attempt is over, or after `timeoutMs`, whichever
   * comes first. `true` when ready (definitions with at least one flag).
   */
  waitUntilSettled(timeoutMs: number, untilReady: boolean): Promise<boolean> {
    const done = (): boolean =>
      untilReady ? this.isReady() : this.current !== undefined || this.firstAttemptDone;
    if (done() || this.stopped) return Promise.resolve(this.isReady());
    return new Promise((resolve) => {
      const finish = (): void => {
        this.waiters.delete(check);
        this.deps.platform.clearTimer(timer);
        resolve(this.isReady());
      };
      const check = (): void => {
        if (done() || this.stopped) finish();
      };
      const timer = this.deps.platform.setTimer(finish, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Loaded at least once and holding at least one flag. */
  isReady(): boolean {
    return this.current !== undefined && this.current.count > 0;
  }

  /** Stops the timer and wakes every waiter. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.platform.clearTimer(this.timer);
    this.timer = undefined;
    this.wake();
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }

  private schedule(): void {
    const d = this.deps;
    if (this.stopped) return;
    if (this.timer !== undefined) d.platform.clearTimer(this.timer);
    this.timer = undefined;
    const interval = d.options.pollingInterval;
    let delay = interval;
    if (this.errors > 0) {
      // 2^errors times the interval, jittered so a fleet that was refused together does not return together.
      delay = backoffDelay(this.errors + 1, interval || BACKOFF_BASE_MS, MAX_BACKOFF_MS, undefined);
    } else if (interval === 0) return;
    if (d.secretKey === undefined && d.options.flagDefinitionCacheProvider === undefined) return;
    this.timer = d.platform.setTimer(() => {
      this.timer = undefined;
      void this.reload();
    }, delay);
  }

  private async load(): Promise<void> {
    const d = this.deps;
    const provider = d.options.flagDefinitionCacheProvider;
    if (d.secretKey === undefined) {
      if (provider !== undefined) await this.loadFromCache();
      return;
    }
    let approved = false;
    if (provider !== undefined) {
      let should = true;
      try {
        should = await this.bounded(provider.shouldFetchFlagDefinitions(), 'shouldFetchFlagDefinitions');
      } catch (error) {
        this.providerError('shouldFetchFlagDefinitions', error);
      }
      if (!should) {
        // Another process fetches; read what it stored. With nothing at all yet, fetch rather than wait.
        if ((await this.loadFromCache()) || this.current !== undefined) return;
      } else approved = true;
    }
    const fetched = await this.fetchDefinitions();
    if (fetched !== undefined && approved && provider !== undefined) {
      try {
        await this.bounded(
          provider.onFlagDefinitionsReceived(cacheEntry(fetched)),
          'onFlagDefinitionsReceived',
        );
      } catch (error) {
        this.providerError('onFlagDefinitionsReceived', error);
      }
    }
  }

  /**
   * A provider call, bounded like a definitions request: a cache that never answers (a hung Redis connection)
   * must not stall polling forever. A call that times out counts as a provider error.
   */
  private bounded<T>(work: T | Promise<T>, method: string): Promise<T> {
    if (!(work instanceof Promise)) return Promise.resolve(work);
    const ms = this.deps.options.definitionsTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = this.deps.platform.setTimer(
        () => reject(new Error(`${method}() did not settle within ${ms} ms`)),
        ms,
      );
      work.then(
        (value) => {
          this.deps.platform.clearTimer(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.deps.platform.clearTimer(timer);
          reject(error);
        },
      );
    });
  }

  private async loadFromCache(): Promise<boolean> {
    const provider = this.deps.options.flagDefinitionCacheProvider;
    if (provider === undefined) return false;
    let raw: unknown;
    try {
      raw = await this.bounded(provider.getFlagDefinitions(), 'getFlagDefinitions');
    } catch (error) {
      this.providerError('getFlagDefinitions', error);
      return false;
    }
    const data = normaliseDefinitions(raw);
    if (data === undefined) return false;
    this.apply(loadDefinitions(data, 'cache', this.current?.fetchedAt, this.deps.options.evaluationContexts));
    this.loadedOnce = true;
    return true;
  }

  /** One `GET /flags/definitions`; returns the body when it replaced the definitions. */
  private async fetchDefinitions(): Promise<FlagDefinitionsData | undefined> {
    const d = this.deps;
    const headers: Record<string, string> = { ...FLAG_HEADERS, Authorization: `Bearer ${d.secretKey}` };
    if (this.etag !== undefined) headers['If-None-Match'] = this.etag;
    const url = `${d.host}/flags/definitions?token=${d.apiKey}&send_cohorts`;
    const outcome = await httpRequest(
      d.fetch,
      d.platform,
      url,
      { method: 'GET', headers },
      d.options.definitionsTimeoutMs,
      d.cancel,
    );
    if (this.stopped) return undefined;
    if (!outcome.ok) {
      this.enter('failing', `could not reach ${d.host} for flag definitions (${outcome.error.message})`);
      return undefined;
    }
    const status = outcome.status;
    if (status === 200) {
      let data: FlagDefinitionsData | undefined;
      try {
        data = normaliseDefinitions(JSON.parse(outcome.body));
      } catch {
        data = undefined;
      }
      if (data === undefined) {
        const message = 'invalid flag definitions response (no flags); keeping the previous definitions';
        if (this.enter('invalid', message)) d.report(new FeatureFlagError('definitions_invalid', message));
        return undefined;
      }
      this.etag = outcome.headers.get('etag') ?? undefined;
      this.errors = 0;
      this.loadedOnce = true;
      this.apply(loadDefinitions(data, 'fetch', d.platform.now(), d.options.evaluationContexts));
      this.enter('ok', `loaded ${this.current?.count ?? 0} flag definitions`);
      return data;
    }
    if (status === 304) {
      this.etag = outcome.headers.get('etag') ?? this.etag;
      this.errors = 0;
      this.loadedOnce = true;
      this.enter('ok', `flag definitions unchanged (${this.current?.count ?? 0} flags)`);
      return undefined;
    }
    if (status === 401 || status === 403 || status === 429) {
      this.errors++;
      const limited = status === 429;
      const message = limited
        ? 'flag definitions are rate limited (429); polling less often'
        : `flag definitions were refused (${status}): check that secretKey is a valid project secret key or personal API key with feature flag read access; polling less often`;
      if (this.enter(limited ? 'rate_limited' : 'unauthorized', message)) {
        d.report(
          new FeatureFlagError(limited ? 'definitions_rate_limited' : 'definitions_unauthorized', message),
        );
      }
      return undefined;
    }
    if (status === 402) {
      this.errors = 0;
      this.etag = undefined; // the cleared state must not be kept alive by a 304 once the quota resets
      const message = 'feature flags quota exceeded (402): local flags were cleared until the quota resets';
      if (this.enter('quota_limited', message))
        d.report(new FeatureFlagError('definitions_quota_limited', message));
      this.apply(loadDefinitions({ flags: [] }, 'cleared', undefined, undefined));
      return undefined;
    }
    this.enter('failing', `flag definitions request answered ${status}; keeping the previous definitions`);
    return undefined;
  }

  private applyBootstrap(raw: unknown, from: string): void {
    const data = normaliseDefinitions(raw);
    if (data === undefined) {
      this.deps.report(new FeatureFlagError('bootstrap', `${from} has no flags array`));
      return;
    }
    this.apply(loadDefinitions(data, 'bootstrap', undefined, this.deps.options.evaluationContexts));
  }

  private apply(loaded: LoadedDefinitions): void {
    this.current = loaded;
    const keys = neverLocalKeys(loaded.compiled);
    const fingerprint = keys.join('\u0000');
    if (keys.length > 0 && fingerprint !== this.warnedKeys) {
      const shown = keys.slice(0, MAX_KEYS_SHOWN).join(', ');
      const more = keys.length > MAX_KEYS_SHOWN ? ` and ${keys.length - MAX_KEYS_SHOWN} more` : '';
      this.deps.logger.warn(
        `${keys.length} flag(s) can never be evaluated locally and will use /flags: ${shown}${more}`,
      );
    }
    this.warnedKeys = fingerprint;
    if (loaded.source !== 'cleared') this.deps.loaded(loaded.count);
    this.wake();
  }

  /** Moves to `state`, logging one line if it changed; returns whether it changed. */
  private enter(state: PollState, message: string): boolean {
    const previous = this.state;
    if (state === previous) {
      this.deps.logger.debug(message);
      return false;
    }
    this.state = state;
    if (state === 'ok') {
      if (previous === 'init') this.deps.logger.info(message);
      else this.deps.logger.warn(`flag definitions recovered: ${message}`);
    } else this.deps.logger.warn(message);
    return true;
  }

  private providerError(method: string, error: unknown): void {
    this.deps.report(
      new FeatureFlagError('cache_provider', `flagDefinitionCacheProvider.${method}() failed`, {
        cause: error,
      }),
    );
  }
}
