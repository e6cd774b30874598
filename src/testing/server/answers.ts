import { STATUS_CODES } from 'node:http';
import type { ReceivedEvent, ReceivedRoute, ScriptedResponse, V1Result } from './types.js';

/**
 * Which of a request's events count as delivered: all, none, or (capture v1) those whose uuid maps to an
 * `ok`/`warning` result.
 */
export type Acceptance = 'all' | 'none' | ReadonlyMap<string, string>;

/** What the server decided to do with a request. Header names are lower-case so overrides replace, not add. */
export type Answer = RespondAnswer | { kind: 'reset'; delayMs: number } | { kind: 'hang' };

/** An answer that writes a response. */
export interface RespondAnswer {
  kind: 'respond';
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
  delayMs: number;
  accept: Acceptance;
}

/** Statuses PostHog's v1 capture endpoint marks as retryable by sending `Retry-After`. */
const V1_RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

const ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'missing_authorization',
  402: 'billing_limit_exceeded',
  403: 'forbidden',
  404: 'not_found',
  408: 'body_read_timeout',
  413: 'payload_too_large',
  415: 'unsupported_content_type',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** A JSON answer that accepts nothing. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): RespondAnswer {
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    delayMs: 0,
    accept: 'none',
  };
}

/** PostHog's error envelope, which the v1 endpoint documents and the compliance mock imitates. */
export function errorBody(status: number, description?: string): Record<string, string> {
  return {
    error: ERROR_CODES[status] ?? `http_${status}`,
    error_description: description ?? STATUS_CODES[status] ?? 'Error',
    error_uri: status === 402 ? 'https://posthog.com/docs/billing/limits' : 'https://posthog.com/docs/api',
  };
}

/** An error answer in PostHog's envelope. */
export function errorAnswer(
  status: number,
  description?: string,
  headers: Record<string, string> = {},
): Answer {
  return jsonAnswer(status, errorBody(status, description), headers);
}

/** The v1 results body for `events`, with `results[i]` applying to the i-th event (`ok` past the end). */
export function v1ResultsBody(
  events: readonly ReceivedEvent[],
  results: readonly V1Result[] = [],
): { body: { results: Record<string, { result: string; details?: string }> }; anyRetry: boolean } {
  const map: Record<string, { result: string; details?: string }> = {};
  let anyRetry = false;
  events.forEach((event, i) => {
    const given = results[i] ?? 'ok';
    const entry = typeof given === 'string' ? { result: given } : given;
    if (entry.result === 'retry') anyRetry = true;
    // An event without a uuid cannot be keyed; PostHog would reject it, and the client cannot match a result.
    if (typeof event.uuid === 'string') map[event.uuid] = entry;
  });
  return { body: { results: map }, anyRetry };
}

/** Reads `{results: {uuid: {result}}}` out of a v1 answer body, so custom bodies decide acceptance too. */
export function acceptanceFromV1Body(body: string | undefined): Acceptance {
  if (body === undefined) return 'none';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'none';
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (typeof results !== 'object' || results === null) return 'none';
  const map = new Map<string, string>();
  for (const [uuid, entry] of Object.entries(results)) {
    const result = (entry as { result?: unknown } | null)?.result;
    if (typeof result === 'string') map.set(uuid, result);
  }
  return map;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/**
 * Turns a scripted response into an answer. A script that gives neither body nor v1 results and a 2xx status
 * only adjusts the default answer (status, headers, delay), which is how a test slows down a normal response.
 */
export function scriptedAnswer(
  script: ScriptedResponse,
  route: ReceivedRoute,
  events: readonly ReceivedEvent[],
  fallback: () => Answer,
): Answer {
  const delayMs = Math.max(0, script.delayMs ?? 0);
  if (script.hang === true) return { kind: 'hang' };
  if (script.reset === true) return { kind: 'reset', delayMs };
  const status = script.status ?? 200;
  const ok = status >= 200 && status < 300;
  const headers = lowerCaseKeys(script.headers);
  let answer: Answer;
  let anyRetry = false;
  if (route === 'capture_v1' && script.v1Results !== undefined) {
    const built = v1ResultsBody(events, script.v1Results);
    anyRetry = built.anyRetry;
    answer = jsonAnswer(status, built.body);
  } else if (script.body !== undefined) {
    const body = typeof script.body === 'string' ? script.body : JSON.stringify(script.body);
    answer = { ...jsonAnswer(status, null), body };
  } else if (ok) {
    answer = fallback();
    if (answer.kind !== 'respond') return answer;
    // Only an explicit status overrides the default one, so `{delayMs}` alone keeps a default 401 or 304.
    if (script.status !== undefined) answer = { ...answer, status };
  } else {
    answer = errorAnswer(status);
  }
  if (answer.kind !== 'respond') return answer;
  const finalOk = answer.status >= 200 && answer.status < 300;
  if (route === 'capture_v1' && (anyRetry || (!finalOk && V1_RETRYABLE.has(answer.status)))) {
    answer.headers['retry-after'] = '1';
  }
  Object.assign(answer.headers, headers);
  answer.delayMs = delayMs;
  if (!finalOk) answer.accept = 'none';
  else if (route === 'capture_v1') answer.accept = acceptanceFromV1Body(answer.body);
  else if (answer.accept === 'none') answer.accept = 'all';
  return answer;
}
