import type { ReceivedEvent } from '../../../../src/testing/index.js';
import { bodyOf, check, describe, header, isObject, propertiesOf, same } from '../checks.js';
import type { Action, StepContext } from '../context.js';
import type { ObservedRequest } from '../mock.js';
import { configureMockResponses } from './adapter-steps.js';

/** The `/flags` requests, failing when there are none (what the flag-request assertions inspect). */
function flagsRecorded(ctx: StepContext): ObservedRequest[] {
  const requests = ctx.mock.flagsRequests();
  check(requests.length > 0, 'no /flags request reached the mock server');
  return requests;
}

/** The first `/flags` request, which the field and query-param assertions read (as the harness does). */
function firstFlagsRequest(ctx: StepContext): ObservedRequest {
  const [first] = flagsRecorded(ctx);
  check(first !== undefined, 'no /flags request reached the mock server');
  return first;
}

const flagsRequestCount: Action = (params, ctx) => {
  const expected = params.integer('expected');
  const actual = ctx.mock.flagsRequests().length;
  check(actual === expected, `expected ${expected} /flags requests, got ${actual}`);
};

/** Dot notation into the JSON body (`person_properties.$device_id`); deep equality for objects and arrays. */
const flagsRequestField: Action = (params, ctx) => {
  const field = params.string('field');
  const expected = params.value('expected');
  let current: unknown = bodyOf(firstFlagsRequest(ctx));
  const walked: string[] = [];
  for (const part of field.split('.')) {
    check(
      isObject(current),
      `/flags body ${walked.join('.') || '(root)'} is ${describe(current)}, not an object`,
    );
    check(
      Object.hasOwn(current, part),
      `/flags body has no ${[...walked, part].join('.')} (keys there: ${Object.keys(current).join(', ')})`,
    );
    walked.push(part);
    current = current[part];
  }
  check(
    same(current, expected),
    `/flags body ${field} is ${describe(current)}, expected ${describe(expected)}`,
  );
};

const flagsRequestQueryParam: Action = (params, ctx) => {
  const name = params.string('param');
  const expected = params.string('expected');
  const request = firstFlagsRequest(ctx);
  const actual = request.query[name];
  check(
    actual === expected,
    `/flags request ${request.path} query ${name} is ${describe(actual)}, expected "${expected}"`,
  );
};

/** In the feature_flags suite the header assertion is about the `/flags` requests, every one of them. */
const flagsHeaderAbsent: Action = (params, ctx) => {
  const name = params.string('header');
  for (const request of flagsRecorded(ctx)) {
    const value = header(request, name);
    check(value === undefined, `/flags request ${request.index} has ${name}: ${value}`);
  }
};

/** Events named `name` across every capture-path request (the flag routes carry none), in order. */
function eventsNamed(ctx: StepContext, name: string): ReceivedEvent[] {
  return ctx.requests().flatMap((request) => request.events.filter((event) => event.event === name));
}

const eventCountWithName: Action = (params, ctx) => {
  const name = params.string('name');
  const expected = params.integer('expected');
  const actual = eventsNamed(ctx, name).length;
  check(actual === expected, `expected ${expected} ${name} events, got ${actual}`);
};

const eventPropertyInNamedEvent: Action = (params, ctx) => {
  const name = params.string('event_name');
  const property = params.string('property');
  const expected = params.value('expected');
  const [event] = eventsNamed(ctx, name);
  check(event !== undefined, `no ${name} event reached the mock server`);
  const properties = propertiesOf(event);
  check(Object.hasOwn(properties, property), `the ${name} event has no ${property} property`);
  check(
    same(properties[property], expected),
    `${name} property ${property} is ${describe(properties[property])}, expected ${describe(expected)}`,
  );
};

export const FLAG_ASSERTS: ReadonlyMap<string, Action> = new Map([
  ['assert_flags_request_count', flagsRequestCount],
  ['assert_flags_request_field', flagsRequestField],
  ['assert_flags_request_query_param', flagsRequestQueryParam],
  ['assert_event_count_with_name', eventCountWithName],
  ['assert_event_property_in_named_event', eventPropertyInNamedEvent],
]);

/**
 * Actions whose subject in the feature_flags suite is the `/flags` traffic rather than capture: the mock
 * responses it configures answer `/flags`, and its `assert_header_absent` is about the `/flags` request.
 */
export const FEATURE_FLAGS_SUITE_ACTIONS: ReadonlyMap<string, Action> = new Map([
  ['configure_mock_responses', configureMockResponses('flags')],
  ['assert_header_absent', flagsHeaderAbsent],
]);
