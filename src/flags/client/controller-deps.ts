import type { EventMessage } from '../../api/messages.js';
import type { SdkLogger } from '../../logging/sdk-logger.js';
import type { Platform } from '../../platform/platform.js';
import type { Exchanger } from '../../transport/exchange.js';
import type { FlagCalledMeta } from './flag-called.js';
import type { ResolvedFlagOptions } from './flag-options.js';

/** What the feature-flag controller needs from the client that composes it. */
export interface FeatureFlagsControllerDeps {
  /** Project API key (`phc_…`). */
  readonly apiKey: string;
  /** PostHog host without a trailing slash. */
  readonly host: string;
  /** Project secret key or personal API key, for definitions and remote config. */
  readonly secretKey?: string | undefined;
  /** Resolved flag options (`resolveFlagOptions`). */
  readonly options: ResolvedFlagOptions;
  /** Timers and clock. */
  readonly platform: Platform;
  /** The HTTP transport: the `fetch` option's, or the platform's. */
  readonly exchange: Exchanger;
  /** The SDK's logger. */
  readonly logger: SdkLogger;
  /** Emits a client event: the flag count after a definitions load, or a {@link FeatureFlagError}. */
  emit(event: 'localEvaluationFlagsLoaded' | 'error', payload: number | Error): void;
  /**
   * Enqueues `$feature_flag_called` through the normal capture pipeline; `false` when the client refused it (queue
   * full, disabled, closed), so the read is reported again next time instead of never.
   */
  capture(message: EventMessage, meta: FlagCalledMeta): boolean | undefined;
  /** Lets flush/shutdown wait for in-flight work that will enqueue events. */
  track<T>(p: Promise<T>): Promise<T>;
}
