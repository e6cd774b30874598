import { arrivalGaps, check, describe, header, requestAt, same, uuidsOf } from '../checks.js';
import type { Action, StepContext } from '../context.js';
import type { ObservedRequest } from '../mock.js';
import { v1Results } from './response-asserts.js';

/**
 * Slack for "gaps never shrink": gaps are measured at the mock, so they carry gzip, event-loop and socket
 * noise of a few ms (more with ~100 tests sharing two cores). Two waits the SDK makes equal (a Retry-After
 * floor) must not fail on that noise; a real backoff step is hundreds of ms, far above it.
 */
const GAP_NOISE_MS = 100;

function atLeastTwo(ctx: StepContext): ObservedRequest[] {
  const requests = ctx.requests();
  check(requests.length >= 2, `need at least 2 capture requests to check a retry, got ${requests.length}`);
  return requests;
}

const finalSuccess: Action = (params, ctx) => {
  const statuses = params.has('success_statuses') ? params.list('success_statuses') : [200];
  const seen = ctx.requests().map((request) => request.status);
  check(
    seen.some((status) => statuses.includes(status)),
    `no request succeeded (statuses ${describe(seen)}, success ${describe(statuses)})`,
  );
};

const retryDelay: Action = (params, ctx) => {
  const min = params.integer('min_delay_ms');
  const gaps = arrivalGaps(atLeastTwo(ctx));
  for (const [i, gap] of gaps.entries())
    check(gap >= min, `retry ${i + 1} came ${gap} ms after the previous attempt, expected >= ${min}`);
};

const backoffImplemented: Action = (params, ctx) => {
  const min = params.integer('min_first_delay_ms');
  const gaps = arrivalGaps(atLeastTwo(ctx));
  const first = gaps[0] ?? 0;
  check(first >= min, `the first retry came ${first} ms after the first attempt, expected >= ${min}`);
  for (let i = 1; i < gaps.length; i++) {
    const [before, after] = [gaps[i - 1] ?? 0, gaps[i] ?? 0];
    check(after + GAP_NOISE_MS >= before, `backoff shrank: gaps ${describe(gaps)} ms`);
  }
};

/** Full retries: every later attempt carries exactly the events of the first, in the same order. */
const uuidPreservedOnRetry: Action = (_params, ctx) => {
  const [first, ...retries] = atLeastTwo(ctx);
  const original = uuidsOf(first!);
  check(original.length > 0, 'the first request carried no events');
  for (const retry of retries) {
    check(
      same(uuidsOf(retry), original),
      `request ${retry.index} carried ${describe(uuidsOf(retry))}, the first ${describe(original)}`,
    );
  }
};

const timestampPreservedOnRetry: Action = (_params, ctx) => {
  const [first, ...retries] = atLeastTwo(ctx);
  const original = new Map(first!.events.map((event) => [event.uuid, event.timestamp]));
  check(original.size > 0, 'the first request carried no events');
  for (const retry of retries) {
    for (const event of retry.events) {
      check(
        original.has(event.uuid),
        `request ${retry.index} carried an event (${describe(event.uuid)}) the first did not`,
      );
      const before = original.get(event.uuid);
      check(
        event.timestamp === before,
        `event ${event.uuid} timestamp went from ${describe(before)} to ${describe(event.timestamp)}`,
      );
    }
  }
};

function requestId(request: ObservedRequest): string {
  const value = header(request, 'posthog-request-id');
  check(value !== undefined, `request ${request.index} has no PostHog-Request-Id`);
  return value;
}

const attemptHeaderIncrements: Action = (_params, ctx) => {
  const requests = atLeastTwo(ctx);
  const id = requestId(requestAt(requests, 0));
  const attempts = requests
    .filter((r) => header(r, 'posthog-request-id') === id)
    .map((r) => header(r, 'posthog-attempt'));
  const expected = attempts.map((_, i) => String(i + 1));
  check(attempts.length >= 2, `only one attempt carries request id ${id}`);
  check(
    same(attempts, expected),
    `PostHog-Attempt went ${describe(attempts)}, expected ${describe(expected)}`,
  );
};

const requestIdPreservedOnRetry: Action = (_params, ctx) => {
  const requests = atLeastTwo(ctx);
  const ids = requests.map(requestId);
  check(
    ids.every((id) => id === ids[0]),
    `PostHog-Request-Id changed across attempts: ${describe(ids)}`,
  );
};

const requestTimestampChangesOnRetry: Action = (_params, ctx) => {
  const stamps = atLeastTwo(ctx).map((request) => {
    const value = header(request, 'posthog-request-timestamp');
    check(value !== undefined, `request ${request.index} has no PostHog-Request-Timestamp`);
    return value;
  });
  for (let i = 1; i < stamps.length; i++) {
    check(
      stamps[i] !== stamps[i - 1],
      `PostHog-Request-Timestamp repeated across attempts: ${describe(stamps)}`,
    );
  }
};

const differentRequestIds: Action = (_params, ctx) => {
  const requests = atLeastTwo(ctx);
  const [a, b] = [requestId(requestAt(requests, 0)), requestId(requestAt(requests, 1))];
  check(a !== b, `two independent requests share PostHog-Request-Id ${a}`);
};

/**
 * After a partial v1 answer, the retry carries exactly the events answered `retry`, unchanged, and no later
 * request resends an event answered anything else.
 */
const partialBatchRetryPruning: Action = (_params, ctx) => {
  const [first, ...later] = atLeastTwo(ctx);
  const results = v1Results(first!);
  const retryable = first!.events.filter((event) => results[String(event.uuid)]?.result === 'retry');
  check(retryable.length > 0, `the first answer asked to retry nothing: ${describe(results)}`);
  const retried = later[0]!;
  check(
    same(
      uuidsOf(retried),
      retryable.map((event) => event.uuid),
    ),
    `the retry carried ${describe(uuidsOf(retried))}, expected only ${describe(retryable.map((e) => e.uuid))}`,
  );
  for (const [i, event] of retried.events.entries()) {
    check(same(event, retryable[i]), `retried event ${describe(event.uuid)} changed between attempts`);
  }
  const allowed = new Set(retryable.map((event) => event.uuid));
  for (const request of later) {
    for (const uuid of uuidsOf(request))
      check(
        allowed.has(uuid as string),
        `request ${request.index} resent ${describe(uuid)}, which was not answered retry`,
      );
  }
};

export const RETRY_ASSERTS: ReadonlyMap<string, Action> = new Map([
  ['assert_final_success', finalSuccess],
  ['assert_retry_delay', retryDelay],
  ['assert_backoff_implemented', backoffImplemented],
  ['assert_uuid_preserved_on_retry', uuidPreservedOnRetry],
  ['assert_timestamp_preserved_on_retry', timestampPreservedOnRetry],
  ['assert_attempt_header_increments', attemptHeaderIncrements],
  ['assert_request_id_preserved_on_retry', requestIdPreservedOnRetry],
  ['assert_request_timestamp_changes_on_retry', requestTimestampChangesOnRetry],
  ['assert_different_request_ids', differentRequestIds],
  ['assert_partial_batch_retry_pruning', partialBatchRetryPruning],
]);
