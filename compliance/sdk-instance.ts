import type { CaptureMode, FetchLike, Logger, RequestInfo } from '../src/index.js';
import { PostHog } from '../src/index.js';
import type { InitRequest } from './requests.js';

/** One HTTP attempt as `/state` reports it (the contract's `requests_made` item). */
export interface RequestRecord {
  timestamp_ms: number;
  status_code: number;
  retry_attempt: number;
  event_count: number;
  uuid_list: string[];
}

/** The contract's `/state` body. */
export interface StateSnapshot {
  pending_events: number;
  total_events_captured: number;
  total_events_sent: number;
  total_retries: number;
  last_error: string | null;
  requests_made: RequestRecord[];
}

/** SDK clients alive in this process, across every adapter it runs. */
let liveClients = 0;

/**
 * Each client registers one `beforeExit` hook until it shuts down. A parallel harness run legitimately holds
 * dozens of clients, which would otherwise trip Node's "possible EventEmitter leak" warning at 11.
 */
function reserveExitListener(): void {
  liveClients++;
  const wanted = liveClients + 10;
  if (process.getMaxListeners() < wanted) process.setMaxListeners(wanted);
}

// Failures reach /state through the `error` event; logging them too would only flood the adapter's output.
const QUIET_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * One SDK client plus what the harness asks about it. Its `fetch` tags every request with `X-Test-Id` and
 * can be cut off for good, which is how `/reset` guarantees nothing reaches the mock server afterwards.
 */
export class SdkInstance {
  readonly client: PostHog;
  private readonly requests: RequestRecord[] = [];
  private lastError: string | null = null;
  private closed = false;
  private readonly inFlight = new Set<AbortController>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly testId: string | undefined,
    init: InitRequest,
    captureMode: CaptureMode,
  ) {
    reserveExitListener();
    try {
      this.client = new PostHog(init.apiKey, {
        ...init.options,
        captureMode,
        fetch: this.send,
        logger: QUIET_LOGGER,
      });
    } catch (error) {
      liveClients--; // an unusable configuration registers no hook
      throw error;
    }
    this.client.on('request', (info) => this.record(info));
    this.client.on('error', (error) => {
      this.lastError = error.message;
    });
  }

  /** The SDK's most recent error message (a refused call or a failed delivery). */
  get lastErrorMessage(): string | null {
    return this.lastError;
  }

  state(): StateSnapshot {
    const stats = this.client.stats();
    return {
      // In-flight events are not sent yet either; the harness reads this as "not delivered so far".
      pending_events: stats.queued + stats.inFlight,
      total_events_captured: stats.captured,
      total_events_sent: stats.delivered,
      total_retries: stats.retries,
      last_error: this.lastError,
      requests_made: this.requests.map((r) => ({ ...r, uuid_list: [...r.uuid_list] })),
    };
  }

  /**
   * Stops the client for good: the fetch seam refuses new requests and aborts open ones first, then
   * `shutdown(0)` drops the queue and any pending retry. Shutting down alone is not enough: its final flush
   * would otherwise send what is still queued.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      for (const controller of this.inFlight) controller.abort(new Error('adapter: instance was reset'));
      this.inFlight.clear();
      liveClients--;
      this.closing = this.client.shutdown(0);
    }
    return this.closing;
  }

  private record(info: RequestInfo): void {
    this.requests.push({
      // When the attempt started, which is what the harness compares across retries.
      timestamp_ms: Math.round(Date.now() - info.durationMs),
      // The contract wants an integer; 0 stands for "no response" (network error, timeout, reset).
      status_code: info.status ?? 0,
      retry_attempt: info.attempt,
      event_count: info.eventCount,
      uuid_list: [...info.uuids],
    });
  }

  private readonly send: FetchLike = async (url, init) => {
    if (this.closed) throw new Error('adapter: instance was reset; request not sent');
    const headers = this.testId === undefined ? init.headers : { ...init.headers, 'X-Test-Id': this.testId };
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      // The SDK's bodies (string or Uint8Array) are valid fetch bodies; the DOM typings are narrower.
      const request = {
        method: init.method,
        headers,
        body: init.body,
        signal: AbortSignal.any([init.signal, controller.signal]),
      } as RequestInit;
      return await globalThis.fetch(url, request);
    } finally {
      this.inFlight.delete(controller);
    }
  };
}
