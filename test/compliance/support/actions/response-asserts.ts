import { check, describe, header, isObject, requestAt, responseHeader } from '../checks.js';
import type { Action, StepContext } from '../context.js';
import type { ObservedRequest } from '../mock.js';
import type { TappedResponse } from '../response-tap.js';

type ResultsMap = Record<string, { result?: unknown; details?: unknown } | undefined>;

/** These assertions are about the mock's answer to the first capture request. */
function firstResponse(ctx: StepContext): { request: ObservedRequest; response: TappedResponse } {
  const request = requestAt(ctx.requests(), 0);
  check(request.response !== undefined, `no response was recorded for request ${request.index}`);
  return { request, response: request.response };
}

/** The `results` map of a v1 answer, failing when the answer has none. */
export function v1Results(request: ObservedRequest): ResultsMap {
  const body = request.response?.body ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    check(false, `the answer to request ${request.index} is not JSON: ${body.slice(0, 200)}`);
  }
  check(
    isObject(parsed) && isObject(parsed.results),
    `the answer to request ${request.index} has no results map: ${body.slice(0, 200)}`,
  );
  return parsed.results as ResultsMap;
}

const responseStatus: Action = (params, ctx) => {
  const expected = params.integer('expected');
  const { response } = firstResponse(ctx);
  check(response.status === expected, `the first answer was ${response.status}, expected ${expected}`);
};

const hasResultsMap: Action = (_params, ctx) => {
  const { request, response } = firstResponse(ctx);
  check(response.status === 200, `the first answer was ${response.status}, not 200`);
  v1Results(request);
};

const allEventsResult: Action = (params, ctx) => {
  const expected = params.string('expected_result');
  const results = v1Results(firstResponse(ctx).request);
  const entries = Object.entries(results);
  check(entries.length > 0, 'the results map is empty');
  for (const [uuid, entry] of entries)
    check(
      entry?.result === expected,
      `event ${uuid} result is ${describe(entry?.result)}, expected "${expected}"`,
    );
};

const resultsCount: Action = (params, ctx) => {
  const expected = params.integer('expected');
  const actual = Object.keys(v1Results(firstResponse(ctx).request)).length;
  check(actual === expected, `the results map has ${actual} entries, expected ${expected}`);
};

const retryAfterPresent: Action = (_params, ctx) => {
  const { request } = firstResponse(ctx);
  check(
    responseHeader(request, 'retry-after') !== undefined,
    `the first answer (${request.status}) has no Retry-After`,
  );
};

const retryAfterAbsent: Action = (_params, ctx) => {
  const { request } = firstResponse(ctx);
  const value = responseHeader(request, 'retry-after');
  check(value === undefined, `the first answer (${request.status}) has Retry-After: ${value}`);
};

const echoesRequestId: Action = (_params, ctx) => {
  const { request } = firstResponse(ctx);
  const sent = header(request, 'posthog-request-id');
  const echoed = responseHeader(request, 'posthog-request-id');
  check(sent !== undefined, 'the first request has no PostHog-Request-Id');
  check(
    echoed === sent,
    `the answer echoed PostHog-Request-Id ${describe(echoed)}, the request sent ${sent}`,
  );
};

export const RESPONSE_ASSERTS: ReadonlyMap<string, Action> = new Map([
  ['assert_v1_response_status', responseStatus],
  ['assert_v1_response_has_results_map', hasResultsMap],
  ['assert_v1_all_events_result', allEventsResult],
  ['assert_v1_response_results_count', resultsCount],
  ['assert_v1_retry_after_present', retryAfterPresent],
  ['assert_v1_retry_after_absent', retryAfterAbsent],
  ['assert_v1_response_echoes_request_id', echoesRequestId],
]);
