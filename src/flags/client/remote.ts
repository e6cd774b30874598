import type { Platform } from '../../platform/platform.js';
import { sleep } from '../../platform/sleep.js';
import type { Exchanger } from '../../transport/exchange.js';
import { httpRequest } from '../../transport/http.js';
import { backoffDelay } from '../../transport/retry-policy.js';
import { normalize } from '../../utils/normalize.js';
import { LIB_NAME, VERSION } from '../../version.js';
import type { FlagCounters } from './flag-counters.js';
import { parseFlagsBody, type RemoteFailure, type RemoteOutcome } from './remote-parse.js';
import type { FlagCallOptions } from './types.js';

/** Headers of every flag-layer request. */
export const FLAG_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json',
  'User-Agent': `${LIB_NAME}/${VERSION}`,
});

/** A retry is only worth it if this much of the call's budget is left after the wait. */
const MIN_ATTEMPT_MS = 50;
const RETRY_BASE_MS = 100;

/** What {@link RemoteFlags} needs. */
export interface RemoteFlagsConfig {
  readonly apiKey: string;
  readonly host: string;
  readonly exchange: Exchanger;
  readonly platform: Platform;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly evaluationContexts: readonly string[] | undefined;
  /** `geoip_disable` when a call does not say (see `ResolvedFlagOptions.flagsGeoipDisable`). */
  readonly geoipDisable: boolean;
  /** Aborted at shutdown. */
  readonly cancel: AbortSignal;
  /** Where `/flags` requests are counted. */
  readonly counters: FlagCounters;
}

/** Builds the official `/flags` body. Exported for tests and the local server. */
export function flagsRequestBody(
  apiKey: string,
  distinctId: string,
  options: FlagCallOptions | undefined,
  flagKeys: readonly string[] | undefined,
  evaluationContexts: readonly string[] | undefined,
  geoipDisable = false,
): Record<string, unknown> {
  const groups = options?.groups ?? {};
  const groupProperties: Record<string, Record<string, unknown>> = {};
  const given = options?.groupProperties;
  if (given !== undefined) for (const type of Object.keys(given)) groupProperties[type] = { ...given[type] };
  // The server matches group filters on `$group_key` like any other property, so every passed group gets one.
  for (const type of Object.keys(groups)) {
    groupProperties[type] = { $group_key: String(groups[type]), ...groupProperties[type] };
  }
  const person = options?.personProperties ?? {};
  const body: Record<string, unknown> = {
    token: apiKey,
    distinct_id: distinctId,
    groups,
    person_properties: person,
    group_properties: groupProperties,
    geoip_disable: options?.disableGeoip ?? geoipDisable,
  };
  if (flagKeys !== undefined) body.flag_keys_to_evaluate = flagKeys;
  const device = person.$device_id;
  if (typeof device === 'string' && device !== '') body.$device_id = device;
  if (evaluationContexts !== undefined) body.evaluation_contexts = evaluationContexts;
  body.evaluation_runtime = 'server';
  return body;
}

/**
 * The `/flags` body as JSON. Person and group properties come from application data: a BigInt id (Prisma's, say)
 * or a cycle would make `JSON.stringify` throw, so such a body is normalised as event properties are.
 */
function requestJson(body: Record<string, unknown>): string {
  try {
    return JSON.stringify(body);
  } catch {
    try {
      return JSON.stringify(normalize(body));
    } catch {
      // Properties too large to send at all: the flags are asked for without them (a flag call never throws).
      return JSON.stringify(normalize({ ...body, person_properties: {}, group_properties: {} }));
    }
  }
}

function isConnectionRefused(error: Error): boolean {
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return code === 'ECONNREFUSED';
}

/**
 * `POST /flags/?v=2`. The whole call, retries and waits included, fits in `timeoutMs`, so a flag call never
 * waits longer than the caller configured; a retry (network error other than connection refused, 502, 504)
 * only happens when enough of that budget is left.
 */
export class RemoteFlags {
  constructor(private readonly config: RemoteFlagsConfig) {}

  /** Evaluates flags remotely. Never rejects. */
  async evaluate(
    distinctId: string,
    options: FlagCallOptions | undefined,
    flagKeys: readonly string[] | undefined,
  ): Promise<RemoteOutcome> {
    const c = this.config;
    const body = requestJson(
      flagsRequestBody(c.apiKey, distinctId, options, flagKeys, c.evaluationContexts, c.geoipDisable),
    );
    const url = `${c.host}/flags/?v=2`;
    const deadline = c.platform.now() + c.timeoutMs;
    let failure: RemoteFailure = { ok: false, errorKind: 'timeout', errorCode: 'timeout', message: '' };
    for (let attempt = 0; attempt <= c.maxRetries; attempt++) {
      if (attempt > 0) {
        const wait = backoffDelay(attempt, RETRY_BASE_MS, 1000, undefined);
        if (deadline - c.platform.now() - wait < MIN_ATTEMPT_MS) break;
        await this.sleep(wait);
      }
      const remaining = deadline - c.platform.now();
      if (remaining <= 0 || c.cancel.aborted) break;
      c.counters.flagsRequests++;
      const outcome = await httpRequest(
        c.exchange,
        c.platform,
        url,
        { method: 'POST', headers: { ...FLAG_HEADERS }, body },
        remaining,
        c.cancel,
      );
      if (outcome.ok) {
        if (outcome.status === 200) return parseFlagsBody(outcome.body);
        failure = {
          ok: false,
          errorKind: 'server_error',
          errorCode: `api_error_${outcome.status}`,
          message: `/flags answered ${outcome.status}`,
        };
        if (outcome.status !== 502 && outcome.status !== 504) return failure;
        continue;
      }
      if (c.cancel.aborted) {
        return { ok: false, errorKind: 'shutdown', errorCode: 'unknown_error', message: 'client shut down' };
      }
      if (outcome.timedOut) {
        return {
          ok: false,
          errorKind: 'timeout',
          errorCode: 'timeout',
          message: `/flags did not answer within ${c.timeoutMs} ms`,
        };
      }
      failure = {
        ok: false,
        errorKind: 'network_error',
        errorCode: 'connection_error',
        message: `/flags request failed: ${outcome.error.message}`,
      };
      if (isConnectionRefused(outcome.error)) return failure;
    }
    if (failure.errorKind === 'timeout' && failure.message === '') {
      return { ...failure, message: `/flags did not answer within ${c.timeoutMs} ms` };
    }
    return failure;
  }

  private async sleep(ms: number): Promise<void> {
    // A caller awaits this flag value: the unref'd retry timer must not let the process exit meanwhile.
    const release = this.config.platform.holdOpen();
    try {
      await sleep(this.config.platform, ms, this.config.cancel);
    } finally {
      release();
    }
  }
}
