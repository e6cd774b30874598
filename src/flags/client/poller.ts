import type { SdkLogger } from '../../logging/sdk-logger.js';
import type { Platform, TimerHandle } from '../../platform/platform.js';
import type { Exchanger } from '../../transport/exchange.js';
import { readDefinitionsFile } from './bootstrap-file.js';
import {
  type LoadedDefinitions,
  loadDefinitions,
  neverLocalKeys,
  normaliseDefinitions,
} from './definitions.js';
import { loadOnce } from './definitions-load.js';
import { FeatureFlagError } from './errors.js';
import type { FlagCounters } from './flag-counters.js';
import type { ResolvedFlagOptions } from './flag-options.js';
import { PollHealth } from './poll-health.js';
import type { FlagDefinitionsData } from './types.js';

/** What the poller needs from the controller. */
export interface PollerDeps {
  readonly apiKey: string;
  readonly host: string;
  readonly secretKey: string | undefined;
  readonly exchange: Exchanger;
  readonly platform: Platform;
  readonly logger: SdkLogger;
  readonly options: ResolvedFlagOptions;
  /** Reports a problem on the client's `error` event. */
  report(error: FeatureFlagError): void;
  /** Called after every load that replaced the definitions, with the flag count. */
  loaded(count: number): void;
  /** Aborted at shutdown. */
  readonly cancel: AbortSignal;
  /** Where definitions requests are counted. */
  readonly counters: FlagCounters;
}

/** Keys shown in the "never evaluable locally" warning. */
const MAX_KEYS_SHOWN = 10;

/**
 * Loads local-evaluation definitions: bootstrap (object or file), then `GET /flags/definitions` on a timer,
 * coordinated with an optional cache provider. Keeps the last good definitions on failures, clears them on
 * 402, backs off (jittered, capped at 60 s) on 401/403/429, and logs one line per change of health, not per
 * poll. One load is in `definitions-load.ts` (cache provider) and `definitions-fetch.ts` (the request); the
 * health and backoff in `poll-health.ts`.
 */
export class DefinitionsPoller {
  /** The definitions in use, or undefined before anything loaded. */
  current: LoadedDefinitions | undefined;
  /** A fetch or cache load succeeded at least once (200 or 304, or a cache hit). */
  loadedOnce = false;
  /** The first load attempt finished (whatever its outcome). */
  firstAttemptDone = false;
  /** ETag of the definitions in use, sent as `If-None-Match`. */
  etag: string | undefined;
  /**
   * The body of the last definitions fetched, kept only with a cache provider: a `304` confirms them, and they are
   * handed to the provider again so that its copy is known fresh too.
   */
  fetchedBody: FlagDefinitionsData | undefined;
  /** The last fetch was answered `304 Not Modified`. */
  notModified = false;
  /** Stopped at shutdown: no more timers, and a fetch answering late is ignored. */
  stopped = false;
  /** State machine and backoff of the polls. */
  readonly health: PollHealth;
  private timer: TimerHandle | undefined;
  private inflight: Promise<void> | undefined;
  private warnedKeys = '';
  private readonly waiters = new Set<() => void>();

  constructor(readonly deps: PollerDeps) {
    this.health = new PollHealth(deps.logger);
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
    const run = loadOnce(this)
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
    const delay = this.health.nextDelay(d.options.pollingInterval);
    if (delay === undefined) return;
    if (d.secretKey === undefined && d.options.flagDefinitionCacheProvider === undefined) return;
    this.timer = d.platform.setTimer(() => {
      this.timer = undefined;
      void this.reload();
    }, delay);
  }

  private applyBootstrap(raw: unknown, from: string): void {
    const data = normaliseDefinitions(raw);
    if (data === undefined) {
      this.deps.report(new FeatureFlagError('bootstrap', `${from} has no flags array`));
      return;
    }
    this.apply(loadDefinitions(data, 'bootstrap', undefined, this.deps.options.evaluationContexts));
  }

  /** Swaps in loaded definitions, warns (once per set of keys) about flags never evaluable locally, wakes waiters. */
  apply(loaded: LoadedDefinitions): void {
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
}
