import {
  check,
  describe,
  firstEvent,
  instant,
  isObject,
  isUtcRfc3339,
  isUuid,
  propertiesOf,
  requestAt,
  same,
} from '../checks.js';
import type { Action } from '../context.js';

const eventField: Action = (params, ctx) => {
  const field = params.string('field');
  const expected = params.value('expected');
  const actual = firstEvent(ctx.requests())[field];
  check(same(actual, expected), `event ${field} is ${describe(actual)}, expected ${describe(expected)}`);
};

const eventHasField: Action = (params, ctx) => {
  const field = params.string('field');
  const event = firstEvent(ctx.requests());
  check(
    Object.hasOwn(event, field),
    `event has no ${field} field (fields: ${Object.keys(event).join(', ')})`,
  );
};

const eventProperty: Action = (params, ctx) => {
  const property = params.string('property');
  const properties = propertiesOf(firstEvent(ctx.requests()));
  if (params.has('exists')) {
    const exists = params.optionalBoolean('exists') === true;
    check(
      Object.hasOwn(properties, property) === exists,
      `event property ${property} ${exists ? 'is missing' : 'is present'}`,
    );
  }
  if (params.has('expected')) {
    const expected = params.value('expected');
    check(
      same(properties[property], expected),
      `event property ${property} is ${describe(properties[property])}, expected ${describe(expected)}`,
    );
  }
};

const uuidFormat: Action = (params, ctx) => {
  const field = params.string('field');
  const value = firstEvent(ctx.requests())[field];
  check(isUuid(value), `event ${field} ${describe(value)} is not a UUID`);
};

const eventFieldIsRfc3339: Action = (params, ctx) => {
  const field = params.string('field');
  const value = firstEvent(ctx.requests())[field];
  check(isUtcRfc3339(value), `event ${field} ${describe(value)} is not canonical RFC 3339 UTC`);
  const expected = params.optionalString('expected');
  // The same instant in any UTC spelling (Z or +00:00, with or without fractional zeros) is equal.
  if (expected !== undefined)
    check(
      instant(value) === instant(expected),
      `event ${field} is ${value}, expected the instant ${expected}`,
    );
};

const eventFieldIsString: Action = (params, ctx) => {
  const field = params.string('field');
  const value = firstEvent(ctx.requests())[field];
  check(typeof value === 'string', `event ${field} ${describe(value)} is not a string`);
};

const eventFieldNotInProperties: Action = (params, ctx) => {
  const field = params.string('field');
  const event = firstEvent(ctx.requests());
  check(Object.hasOwn(event, field), `event has no root ${field} field`);
  check(!Object.hasOwn(propertiesOf(event), field), `event properties also carry ${field}`);
};

const eventPropertyIsObject: Action = (params, ctx) => {
  const property = params.string('property');
  const value = propertiesOf(firstEvent(ctx.requests()))[property];
  check(isObject(value), `event property ${property} ${describe(value)} is not an object`);
};

/** Checked on every event of the chosen request: batched events must carry their options too. */
const eventOption: Action = (params, ctx) => {
  const option = params.string('option');
  const request = requestAt(ctx.requests(), params.optionalInteger('request_index', 0));
  check(request.events.length > 0, `request ${request.index} carried no events`);
  for (const [i, event] of request.events.entries()) {
    const options = event.options;
    const present = isObject(options) && Object.hasOwn(options, option);
    const value = isObject(options) ? options[option] : undefined;
    const where = `event ${i} of request ${request.index}: options.${option}`;
    if (params.optionalBoolean('absent') === true)
      check(!present, `${where} is present (${describe(value)})`);
    if (params.optionalBoolean('exists') === true) check(present, `${where} is missing`);
    if (params.has('expected')) {
      const expected = params.value('expected');
      check(
        present && same(value, expected),
        `${where} is ${present ? describe(value) : 'missing'}, expected ${describe(expected)}`,
      );
    }
  }
};

const v1EventFormat: Action = (_params, ctx) => {
  const requests = ctx.requests();
  check(requests.length > 0, 'no capture request reached the mock server');
  for (const request of requests) {
    for (const [i, event] of request.events.entries()) {
      for (const field of ['event', 'uuid', 'distinct_id', 'timestamp']) {
        check(
          typeof event[field] === 'string',
          `event ${i} of request ${request.index} has no string ${field}`,
        );
      }
    }
  }
};

function allUuids(ctx: Parameters<Action>[1]): unknown[] {
  return ctx.requests().flatMap((request) => request.events.map((event) => event.uuid));
}

const allUuidsUnique: Action = (_params, ctx) => {
  const uuids = allUuids(ctx);
  check(uuids.length > 0, 'no events were recorded');
  check(new Set(uuids).size === uuids.length, `UUIDs are not unique: ${describe(uuids)}`);
};

const differentUuids: Action = (_params, ctx) => {
  const uuids = allUuids(ctx);
  check(uuids.length >= 2, `need at least 2 events, got ${uuids.length}`);
  check(new Set(uuids).size === uuids.length, `events share UUIDs: ${describe(uuids)}`);
};

const noDuplicateEventsInBatch: Action = (_params, ctx) => {
  const requests = ctx.requests();
  check(requests.length > 0, 'no capture request reached the mock server');
  for (const request of requests) {
    const uuids = request.events.map((event) => event.uuid);
    check(
      new Set(uuids).size === uuids.length,
      `request ${request.index} repeats an event: ${describe(uuids)}`,
    );
  }
};

const actionResult: Action = (params, ctx) => {
  const expected = params.value('expected');
  const field = params.optionalString('field');
  let actual = ctx.results.at(-1);
  if (field !== undefined) {
    check(isObject(actual), `the last action result ${describe(actual)} is not an object`);
    actual = actual[field];
  }
  check(
    same(actual, expected),
    `action result${field ? `.${field}` : ''} is ${describe(actual)}, expected ${describe(expected)}`,
  );
};

/**
 * The uuid a capture call returned must be the one on the wire. "The last action result" is read as the last
 * result that carries a uuid: in the contract this assertion follows a `flush`, whose result has none, and its
 * description names capture_ai's returned uuid as the one to compare.
 */
const actionResultUuidMatchesEvent: Action = (_params, ctx) => {
  const result = [...ctx.results].reverse().find((r) => isObject(r) && typeof r.uuid === 'string');
  check(isObject(result) && typeof result.uuid === 'string', 'no earlier step returned a uuid');
  const onWire = firstEvent(ctx.requests()).uuid;
  check(
    onWire === result.uuid,
    `the adapter returned uuid ${result.uuid}, the wire event has ${describe(onWire)}`,
  );
};

export const EVENT_ASSERTS: ReadonlyMap<string, Action> = new Map([
  ['assert_event_field', eventField],
  ['assert_event_has_field', eventHasField],
  ['assert_event_property', eventProperty],
  ['assert_uuid_format', uuidFormat],
  ['assert_event_field_is_rfc3339', eventFieldIsRfc3339],
  ['assert_event_field_is_string', eventFieldIsString],
  ['assert_event_field_not_in_properties', eventFieldNotInProperties],
  ['assert_event_property_is_object', eventPropertyIsObject],
  ['assert_event_option', eventOption],
  ['assert_v1_event_format', v1EventFormat],
  ['assert_all_uuids_unique', allUuidsUnique],
  ['assert_different_uuids', differentUuids],
  ['assert_no_duplicate_events_in_batch', noDuplicateEventsInBatch],
  ['assert_action_result', actionResult],
  ['assert_action_result_uuid_matches_event', actionResultUuidMatchesEvent],
]);
