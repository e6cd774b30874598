import {
  bodyOf,
  check,
  describe,
  header,
  instant,
  isUtcRfc3339,
  isUuid,
  requestAt,
  same,
} from '../checks.js';
import type { Action, StepContext } from '../context.js';
import type { ObservedRequest } from '../mock.js';

/** The capture requests, failing when there are none (every request-level assertion needs one). */
function recorded(ctx: StepContext): ObservedRequest[] {
  const requests = ctx.requests();
  check(requests.length > 0, 'no capture request reached the mock server');
  return requests;
}

const normalizePath = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path);

const requestCount: Action = (params, ctx) => {
  const actual = ctx.requests().length;
  const expected = params.integer('expected');
  check(actual === expected, `expected ${expected} capture requests, got ${actual}`);
};

const requestCountGte: Action = (params, ctx) => {
  const actual = ctx.requests().length;
  const expected = params.integer('expected');
  check(actual >= expected, `expected at least ${expected} capture requests, got ${actual}`);
};

const sdkDidNotRetry: Action = (_params, ctx) => {
  const actual = ctx.requests().length;
  check(actual === 1, `expected exactly 1 capture request (no retry), got ${actual}`);
};

const requestPath: Action = (params, ctx) => {
  const expected = normalizePath(params.string('expected'));
  for (const request of recorded(ctx)) {
    check(
      normalizePath(request.path) === expected,
      `request ${request.index} went to ${request.path}, expected ${expected}`,
    );
  }
};

/** Every request the mock saw, flag routes included: "no requests were made to any of the listed paths". */
const noRequestsToPaths: Action = (params, ctx) => {
  const forbidden = new Set(params.list('paths').map((path) => normalizePath(String(path))));
  for (const request of ctx.mock.requests()) {
    check(
      !forbidden.has(normalizePath(request.path)),
      `request ${request.index} went to forbidden ${request.path}`,
    );
  }
};

/** Every request must carry the header (with the value, when one is expected). */
const requestHasHeader: Action = (params, ctx) => {
  const name = params.string('header');
  const expected = params.optionalString('expected');
  for (const request of recorded(ctx)) {
    const value = header(request, name);
    check(value !== undefined, `request ${request.index} has no ${name} header`);
    if (expected !== undefined)
      check(value === expected, `request ${request.index} ${name} is "${value}", expected "${expected}"`);
  }
};

const headerAbsent: Action = (params, ctx) => {
  const name = params.string('header');
  for (const request of recorded(ctx)) {
    const value = header(request, name);
    check(value === undefined, `request ${request.index} has ${name}: ${value}`);
  }
};

/** Header checks below inspect the first request, as the contract describes them. */
function firstHeader(ctx: StepContext, name: string): string {
  const value = header(requestAt(recorded(ctx), 0), name);
  check(value !== undefined, `the first request has no ${name} header`);
  return value;
}

const headerValueMatches: Action = (params, ctx) => {
  const name = params.string('header');
  const pattern = new RegExp(params.string('pattern'));
  const value = header(requestAt(recorded(ctx), 0), name);
  if (value === undefined && params.optionalBoolean('optional') === true) return;
  check(value !== undefined, `the first request has no ${name} header`);
  check(pattern.test(value), `${name} "${value}" does not match ${pattern}`);
};

const headerIsUuid: Action = (params, ctx) => {
  const name = params.string('header');
  const value = firstHeader(ctx, name);
  check(isUuid(value), `${name} "${value}" is not a UUID`);
};

const headerIsRfc3339: Action = (params, ctx) => {
  const name = params.string('header');
  const value = firstHeader(ctx, name);
  check(isUtcRfc3339(value), `${name} "${value}" is not canonical RFC 3339 UTC`);
};

const headerIsInteger: Action = (params, ctx) => {
  const name = params.string('header');
  const value = firstHeader(ctx, name);
  check(/^-?\d+$/.test(value), `${name} "${value}" is not an integer`);
  if (params.has('expected')) {
    const expected = params.integer('expected');
    check(Number(value) === expected, `${name} is ${value}, expected ${expected}`);
  }
};

const authorizationBearerToken: Action = (params, ctx) => {
  const expected = params.optionalString('expected');
  for (const request of recorded(ctx)) {
    const value = header(request, 'authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(value);
    check(match !== null, `request ${request.index} Authorization "${value}" is not a Bearer token`);
    if (expected !== undefined)
      check(
        match[1] === expected,
        `request ${request.index} bearer token is "${match[1]}", expected "${expected}"`,
      );
  }
};

const batchFormat: Action = (params, ctx) => {
  for (const request of recorded(ctx)) {
    const body = bodyOf(request);
    if (params.optionalBoolean('has_api_key_field') === true)
      check(typeof body.api_key === 'string', `request ${request.index} body has no api_key field`);
    if (params.optionalBoolean('has_batch_array') === true)
      check(Array.isArray(body.batch), `request ${request.index} body has no batch array`);
  }
};

const tokenPresent: Action = (params, ctx) => {
  const expected = params.string('expected');
  for (const request of recorded(ctx)) {
    const token = bodyOf(request).api_key;
    check(
      token === expected,
      `request ${request.index} api_key is ${describe(token)}, expected "${expected}"`,
    );
  }
};

const bodyField: Action = (params, ctx) => {
  const field = params.string('field');
  const body = bodyOf(requestAt(recorded(ctx), params.optionalInteger('request_index', 0)));
  check(Object.hasOwn(body, field), `body has no ${field} field`);
  if (params.has('expected')) {
    const expected = params.value('expected');
    check(
      same(body[field], expected),
      `body ${field} is ${describe(body[field])}, expected ${describe(expected)}`,
    );
  }
};

const bodyFieldAbsent: Action = (params, ctx) => {
  const fields = params.list('fields').map(String);
  for (const request of recorded(ctx)) {
    const body = bodyOf(request);
    for (const field of fields)
      check(!Object.hasOwn(body, field), `request ${request.index} body has ${field}`);
  }
};

const v1BodyFormat: Action = (_params, ctx) => {
  for (const request of recorded(ctx)) {
    const body = bodyOf(request);
    check(
      isUtcRfc3339(body.created_at),
      `request ${request.index} created_at ${describe(body.created_at)} is not canonical RFC 3339 UTC`,
    );
    check(
      Array.isArray(body.batch) && body.batch.length > 0,
      `request ${request.index} batch is not a non-empty array`,
    );
  }
};

const v1CreatedAtRecent: Action = (params, ctx) => {
  const maxAgeMs = params.optionalInteger('max_age_seconds', 5) * 1000;
  const createdAt = bodyOf(requestAt(recorded(ctx), 0)).created_at;
  check(isUtcRfc3339(createdAt), `created_at ${describe(createdAt)} is not canonical RFC 3339 UTC`);
  const age = Math.abs(Date.now() - instant(createdAt));
  check(age <= maxAgeMs, `created_at ${createdAt} is ${age} ms from now (max ${maxAgeMs})`);
};

const compressedBodyDecompressible: Action = (_params, ctx) => {
  const request = requestAt(recorded(ctx), 0);
  check(
    request.encoding !== 'identity',
    `the first request was not compressed (encoding ${request.encoding})`,
  );
  check(
    bodyOf(request) !== undefined && request.events.length > 0,
    'the decompressed body carried no events',
  );
};

const eventsInBatchCount: Action = (params, ctx) => {
  const request = requestAt(recorded(ctx), params.optionalInteger('request_index', 0));
  const expected = params.integer('expected');
  const operator = params.optionalString('operator') ?? 'eq';
  const actual = request.events.length;
  if (operator === 'gte')
    check(actual >= expected, `request ${request.index} carried ${actual} events, expected >= ${expected}`);
  else check(actual === expected, `request ${request.index} carried ${actual} events, expected ${expected}`);
};

export const REQUEST_ASSERTS: ReadonlyMap<string, Action> = new Map([
  ['assert_request_count', requestCount],
  ['assert_request_count_gte', requestCountGte],
  ['assert_sdk_did_not_retry', sdkDidNotRetry],
  ['assert_request_path', requestPath],
  ['assert_no_requests_to_paths', noRequestsToPaths],
  ['assert_request_has_header', requestHasHeader],
  ['assert_header_absent', headerAbsent],
  ['assert_header_value_matches', headerValueMatches],
  ['assert_header_is_uuid', headerIsUuid],
  ['assert_header_is_rfc3339', headerIsRfc3339],
  ['assert_header_is_integer', headerIsInteger],
  ['assert_authorization_bearer_token', authorizationBearerToken],
  ['assert_batch_format', batchFormat],
  ['assert_token_present', tokenPresent],
  ['assert_body_field', bodyField],
  ['assert_body_field_absent', bodyFieldAbsent],
  ['assert_v1_body_format', v1BodyFormat],
  ['assert_v1_created_at_recent', v1CreatedAtRecent],
  ['assert_compressed_body_decompressible', compressedBodyDecompressible],
  ['assert_events_in_batch_count', eventsInBatchCount],
]);
