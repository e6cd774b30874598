import type { BinaryBody } from '../api/transport.js';
import type { DeliveryFailureReason } from '../errors/delivery-error.js';
import type { Platform } from '../platform/platform.js';
import { sleep } from '../platform/sleep.js';
import { isoFromMs } from '../utils/timestamp.js';
import { readV1Results } from './capture-v1-route.js';
import type { Exchanger } from './exchange.js';
import { httpRequest } from './http.js';
import { backoffDelay, classifyStatus, parseRetryAfter } from './retry-policy.js';
import { bodyText, type Route } from './routes.js';

/** Settings the sender reads; a subset of the resolved client config. */
export interface SenderSettings {
  host: string;
  apiKey: string;
  requestTimeout: number;
  fetchRetryCount: number;
  fetchRetryDelay: number;
  fetchRetryMaxDelay: number;
  maxRetryDuration: number;
  disableCompression: boolean;
  compressionLevel: number;
  historicalMigration: boolean;
}

/** What the sender reports back, per attempt and per settled event. */
export interface SenderHooks {
  attempt(info: {
    path: string;
    attempt: number;
    status: number | undefined;
    batch: readonly string[];
    durationMs: number;
    error: Error | undefined;
  }): void;
  delivered(batch: readonly string[]): void;
  failed(
    batch: readonly string[],
    reason: DeliveryFailureReason,
    status: number | undefined,
    detail: string | undefined,
  ): void;
}

/** The sender's view of the client's lifecycle. */
export interface SenderLifecycle {
  /** Aborted when `shutdown()` gives up: in-flight requests and backoff waits end at once. */
  readonly cancel: AbortSignal;
  /** The `shutdown()` deadline, once shutdown has started. */
  deadline(): number | undefined;
}

/**
 * Delivers one batch to one route: gzip, POST with a timeout, retry transient failures with backoff, split on
 * 413, and for capture v1 resend only the events the server asked for. It settles every event exactly once
 * through {@link SenderHooks}, and never throws.
 */
export class BatchSender {
  constructor(
    private readonly route: Route,
    private readonly settings: SenderSettings,
    private readonly platform: Platform,
    private readonly exchange: Exchanger,
    private readonly hooks: SenderHooks,
    private readonly lifecycle: SenderLifecycle,
    private readonly newRequestId: () => string,
  ) {}

  /** Sends `batch`; resolves when every event in it is delivered (`true`) or some were given up on (`false`). */
  send(batch: readonly string[]): Promise<boolean> {
    return this.deliver(batch, this.platform.now());
  }

  private async deliver(batch: readonly string[], startedAt: number): Promise<boolean> {
    const { route, settings, platform } = this;
    const requestId = this.newRequestId();
    let pending = batch;
    let lastStatus: number | undefined;
    let lastDetail: string | undefined;
    let allDelivered = true;
    const fail = (reason: DeliveryFailureReason): false => {
      this.hooks.failed(pending, reason, lastStatus, lastDetail);
      return false;
    };
    for (let attempt = 0; ; attempt++) {
      if (this.lifecycle.cancel.aborted) return fail('shutdown_timeout');
      const context = {
        apiKey: settings.apiKey,
        nowIso: isoFromMs(platform.now()),
        attempt,
        requestId,
        historicalMigration: settings.historicalMigration,
        compressed: false,
      };
      const envelope = route.envelope(context);
      let body: string | BinaryBody | undefined;
      if (!settings.disableCompression) {
        try {
          const bytes = platform.encodeList(envelope.head, pending, envelope.tail);
          body = await platform.gzip(bytes, settings.compressionLevel);
          context.compressed = true;
        } catch {
          // Sending uncompressed beats not sending; the server accepts both.
        }
      }
      // Uncompressed bodies stay strings, as a custom `fetch` has always received them.
      body ??= bodyText(envelope, pending);
      const began = platform.now();
      const outcome = await httpRequest(
        this.exchange,
        platform,
        settings.host + route.path,
        { method: 'POST', headers: route.headers(context), body },
        settings.requestTimeout,
        this.lifecycle.cancel,
      );
      this.hooks.attempt({
        path: route.path,
        attempt,
        status: outcome.ok ? outcome.status : undefined,
        batch: pending,
        durationMs: platform.now() - began,
        error: outcome.ok ? undefined : outcome.error,
      });

      let retryAfter: number | undefined;
      if (outcome.ok) {
        lastStatus = outcome.status;
        const verdict = classifyStatus(outcome.status);
        if (verdict === 'ok') {
          if (!route.perEventResults) {
            this.hooks.delivered(pending);
            return allDelivered;
          }
          const results = readV1Results(pending, outcome.body);
          if (!results) {
            this.hooks.delivered(pending); // a 2xx whose body we cannot read is not retried
            return allDelivered;
          }
          const retry = pending.filter((_, i) => results[i] === 'retry');
          this.settleV1(pending, results);
          if (results.includes('drop')) allDelivered = false;
          if (retry.length === 0) return allDelivered;
          pending = retry;
          lastDetail = 'the server asked to retry some events';
        } else if (verdict === 'split') {
          if (pending.length === 1) {
            lastDetail = snippet(outcome.body);
            return fail('too_large');
          }
          // Halving isolates the event the server cannot take instead of losing everything with it.
          const middle = pending.length >> 1;
          const first = await this.deliver(pending.slice(0, middle), startedAt);
          const second = await this.deliver(pending.slice(middle), startedAt);
          return allDelivered && first && second;
        } else if (verdict === 'reject') {
          lastDetail = snippet(outcome.body);
          return fail('rejected');
        } else {
          lastDetail = snippet(outcome.body);
        }
        retryAfter = parseRetryAfter(outcome.headers.get('retry-after'), platform.now());
      } else {
        if (this.lifecycle.cancel.aborted) return fail('shutdown_timeout');
        lastStatus = undefined;
        lastDetail = outcome.error.message;
      }

      const retry = attempt + 1;
      if (retry > settings.fetchRetryCount) return fail('retries_exhausted');
      const delay = backoffDelay(retry, settings.fetchRetryDelay, settings.fetchRetryMaxDelay, retryAfter);
      const now = platform.now();
      if (now + delay - startedAt > settings.maxRetryDuration) return fail('retries_exhausted');
      const deadline = this.lifecycle.deadline();
      if (deadline !== undefined && now + delay >= deadline) return fail('shutdown_timeout');
      if (!(await sleep(platform, delay, this.lifecycle.cancel))) return fail('shutdown_timeout');
    }
  }

  private settleV1(batch: readonly string[], results: readonly string[]): void {
    const ok = batch.filter((_, i) => results[i] === 'ok');
    const dropped = batch.filter((_, i) => results[i] === 'drop');
    if (ok.length) this.hooks.delivered(ok);
    if (dropped.length)
      this.hooks.failed(dropped, 'dropped_by_server', 200, 'capture v1 answered drop/limited');
  }
}

function snippet(body: string): string | undefined {
  const text = body.trim();
  return text ? (text.length > 200 ? `${text.slice(0, 200)}…` : text) : undefined;
}
