import type { FlagValue, JsonValue } from '../evaluation/types.js';

/** One flag of a `/flags` answer, normalised from the v2 (`flags`) or v1 (`featureFlags`) shape. */
export interface RemoteFlag {
  /** Flag key. */
  readonly key: string;
  /** `variant ?? enabled`; `undefined` when the server failed to evaluate it. */
  readonly value: FlagValue | undefined;
  /** Parsed payload, or null. */
  readonly payload: JsonValue | null;
  /** `reason.code`. */
  readonly reasonCode: string | undefined;
  /** `reason.description ?? reason.code`. */
  readonly reasonDescription: string | undefined;
  /** `metadata.id`. */
  readonly id: number | undefined;
  /** `metadata.version`. */
  readonly version: number | undefined;
  /** `metadata.has_experiment`, only when sent. */
  readonly hasExperiment: boolean | undefined;
  /** v2 `failed: true`. */
  readonly failed: boolean;
}

/** A readable `/flags` answer. */
export interface RemoteAnswer {
  /** Discriminant. */
  readonly ok: true;
  /** Flags by key (empty when quota limited). */
  readonly flags: ReadonlyMap<string, RemoteFlag>;
  /** `quotaLimited` contained `feature_flags`. */
  readonly quotaLimited: boolean;
  /** `errorsWhileComputingFlags`. */
  readonly errorsWhileComputing: boolean;
  /** `requestId`. */
  readonly requestId: string | undefined;
  /** `evaluatedAt` (epoch ms). */
  readonly evaluatedAt: number | undefined;
  /** `minimalFlagCalledEvents`, when sent. */
  readonly minimalEvents: boolean | undefined;
}

/** A `/flags` call that produced no usable answer. */
export interface RemoteFailure {
  /** Discriminant. */
  readonly ok: false;
  /** What kind of failure. */
  readonly errorKind: 'timeout' | 'server_error' | 'network_error' | 'invalid_response' | 'shutdown';
  /** The `$feature_flag_error` spelling: `timeout`, `connection_error`, `api_error_<status>`, `unknown_error`. */
  readonly errorCode: string;
  /** What happened, for logs and results. */
  readonly message: string;
}

/** Either outcome of a `/flags` call. */
export type RemoteOutcome = RemoteAnswer | RemoteFailure;

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Payloads travel as JSON text; a string that is not JSON is the payload itself. */
export function parsePayload(raw: unknown): JsonValue | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return raw as JsonValue;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return raw;
  }
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function v2Flag(key: string, raw: Obj): RemoteFlag {
  const reason = isObject(raw.reason) ? raw.reason : {};
  const meta = isObject(raw.metadata) ? raw.metadata : {};
  const failed = raw.failed === true;
  const variant = typeof raw.variant === 'string' && raw.variant !== '' ? raw.variant : undefined;
  const value: FlagValue | undefined = failed ? undefined : (variant ?? raw.enabled === true);
  return {
    key,
    value,
    payload: value === undefined || value === false ? null : parsePayload(meta.payload),
    reasonCode: str(reason.code),
    reasonDescription: str(reason.description) ?? str(reason.code),
    id: num(meta.id),
    version: num(meta.version),
    hasExperiment: typeof meta.has_experiment === 'boolean' ? meta.has_experiment : undefined,
    failed,
  };
}

function v1Flag(key: string, raw: unknown, payloads: Obj): RemoteFlag {
  const value: FlagValue = typeof raw === 'string' && raw !== '' ? raw : raw === true;
  return {
    key,
    value,
    payload: value === false ? null : parsePayload(payloads[key]),
    reasonCode: undefined,
    reasonDescription: undefined,
    id: undefined,
    version: undefined,
    hasExperiment: undefined,
    failed: false,
  };
}

/**
 * Reads a `/flags` body: the v2 `flags` map, or the older `featureFlags` + `featureFlagPayloads` shape. A body
 * with neither (or a non-object `flags`) is an invalid response, unless it is quota limited.
 */
export function parseFlagsBody(text: string): RemoteOutcome {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('the /flags response is not JSON');
  }
  if (!isObject(body)) return invalid('the /flags response is not an object');
  const quota = Array.isArray(body.quotaLimited)
    ? body.quotaLimited
    : Array.isArray(body.quota_limited)
      ? body.quota_limited
      : [];
  const quotaLimited = quota.includes('feature_flags');
  const flags = new Map<string, RemoteFlag>();
  if (!quotaLimited) {
    if (isObject(body.flags)) {
      for (const [key, raw] of Object.entries(body.flags))
        if (isObject(raw)) flags.set(key, v2Flag(key, raw));
    } else if (isObject(body.featureFlags)) {
      const payloads = isObject(body.featureFlagPayloads) ? body.featureFlagPayloads : {};
      for (const [key, raw] of Object.entries(body.featureFlags)) flags.set(key, v1Flag(key, raw, payloads));
    } else {
      return invalid('the /flags response has no flags');
    }
  }
  return {
    ok: true,
    flags,
    quotaLimited,
    errorsWhileComputing: body.errorsWhileComputingFlags === true,
    requestId: str(body.requestId),
    evaluatedAt: num(body.evaluatedAt),
    minimalEvents:
      typeof body.minimalFlagCalledEvents === 'boolean' ? body.minimalFlagCalledEvents : undefined,
  };
}

function invalid(message: string): RemoteFailure {
  return { ok: false, errorKind: 'invalid_response', errorCode: 'unknown_error', message };
}
