import { afterEach, describe, expect, it } from 'vitest';
import { EventTooLargeError, type PostHogError, ValidationError } from '../../src/index.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/recording-client.js';

let recording: RecordingClient;
let logged: string[];

function record(): RecordingClient {
  logged = [];
  const log = (message: string) => logged.push(message);
  recording = createRecordingClient({ logger: { debug() {}, info() {}, warn: log, error: log } });
  return recording;
}

afterEach(async () => {
  await recording?.client.shutdown();
});

const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;

describe('bad input never throws and never poisons the queue', () => {
  it.each([
    ['a missing event name', { distinctId: 'u' }, 'event'],
    ['an empty event name', { distinctId: 'u', event: '  ' }, 'event'],
    ['a numeric event name', { distinctId: 'u', event: 42 }, 'event'],
    ['an object distinct id', { distinctId: { id: 1 }, event: 'e' }, 'distinctId'],
    ['a NaN distinct id', { distinctId: Number.NaN, event: 'e' }, 'distinctId'],
    ['array properties', { distinctId: 'u', event: 'e', properties: [1, 2] }, 'properties'],
    ['string properties', { distinctId: 'u', event: 'e', properties: 'plan=pro' }, 'properties'],
    ['bad groups', { distinctId: 'u', event: 'e', groups: 'acme' }, 'groups'],
    ['a bad group key', { distinctId: 'u', event: 'e', groups: { company: { id: 1 } } }, 'groups.company'],
    ['an invalid timestamp', { distinctId: 'u', event: 'e', timestamp: 'yesterday' }, 'timestamp'],
    ['an invalid Date', { distinctId: 'u', event: 'e', timestamp: new Date(Number.NaN) }, 'timestamp'],
    ['a string instead of a message', 'signed up', 'message'],
    ['null', null, 'message'],
  ])('rejects %s with a typed error, logged and emitted, keeping the rest', async (_, message, field) => {
    const { client, events } = record();
    const emitted: PostHogError[] = [];
    client.on('error', (error) => emitted.push(error));
    client.capture({ distinctId: 'u', event: 'before' });
    let result: ReturnType<typeof client.capture> | undefined;
    expect(() => {
      result = client.capture(message as never);
    }).not.toThrow();
    client.capture({ distinctId: 'u', event: 'after' });
    await client.flush();
    expect(result?.ok).toBe(false);
    const error = result && !result.ok ? result.error : undefined;
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(emitted).toEqual([error]);
    expect(logged.filter((line) => line.includes(field))).toHaveLength(1);
    expect(events.map((e) => e.event)).toEqual(['before', 'after']);
    expect(client.stats()).toMatchObject({ captured: 2, rejected: 1, delivered: 2 });
  });

  it('normalises awkward values instead of failing', async () => {
    const { client, events } = record();
    const result = client.capture({
      distinctId: 'u',
      event: 'awkward',
      properties: {
        undef: undefined,
        nan: Number.NaN,
        big: 10n,
        date: new Date(Date.UTC(2025, 0, 1)),
        map: new Map([['k', 'v']]),
        boxed: { s: new String('ab'), n: new Number(5), b: new Boolean(false) },
        circular,
        ...JSON.parse('{"__proto__": {"admin": true}}'),
      },
    });
    await client.flush();
    expect(result.ok).toBe(true);
    expect(events[0]?.properties).toMatchObject({
      nan: null,
      big: '10',
      date: '2025-01-01T00:00:00.000Z',
      map: { k: 'v' },
      boxed: { s: 'ab', n: 5, b: false }, // as JSON.stringify writes them
      circular: { a: 1, self: '[Circular]' },
    });
    expect(Object.keys(events[0]?.properties ?? {})).not.toContain('undef');
    expect(Object.keys(events[0]?.properties ?? {})).not.toContain('__proto__');
  });

  it('sends or refuses properties objects that throw when read, and never throws itself', async () => {
    const { client, events } = record();
    const throwing = () => {
      throw new Error('boom');
    };
    // A value inside that cannot be read is sent as "[Unserializable]"; the event keeps everything else.
    const nested = { a: 1, nested: new Proxy({}, { get: throwing }) };
    expect(client.capture({ distinctId: 'u', event: 'hostile', properties: nested }).ok).toBe(true);
    // A properties object that cannot be read at all is refused: sending {} would lose every property silently.
    const unreadable: unknown[] = [
      Object.defineProperty({ a: 1 }, 'toJSON', { get: throwing }),
      { a: 1, toJSON: throwing },
      new Proxy({ a: 1 }, { get: throwing }),
      new Proxy({ a: 1 }, { ownKeys: throwing }),
      new Proxy({ a: 1 }, { getOwnPropertyDescriptor: throwing }),
      { toJSON: () => 'not an object' },
    ];
    const reasons: string[] = [];
    for (const properties of unreadable) {
      const results = [
        client.capture({ distinctId: 'u', event: 'unreadable', properties: properties as never }),
        await client.captureImmediate({
          distinctId: 'u',
          event: 'unreadable',
          properties: properties as never,
        }),
      ];
      for (const result of results) {
        const error = result.ok ? undefined : result.error;
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('properties');
        reasons.push((error as ValidationError).message);
      }
    }
    expect(new Set(reasons)).toEqual(
      new Set([
        'posthog-ts: properties could not be read (a getter, proxy trap or toJSON threw)',
        'posthog-ts: properties must be an object once normalised (toJSON returned "not an object")',
      ]),
    );
    expect(logged.some((line) => line.includes('properties could not be read'))).toBe(true);
    // Not even its type can be told: refused with a reason, like any other bad input.
    const opaque = new Proxy({ a: 1 }, { getPrototypeOf: throwing, has: throwing });
    const calls = [
      () => client.capture({ distinctId: 'u', event: 'opaque', properties: opaque as never }),
      () => client.identify({ distinctId: 'u', properties: opaque as never }),
      () => client.groupIdentify({ groupType: 'company', groupKey: 'c', properties: opaque as never }),
      () => client.setPersonProperties({ distinctId: 'u', properties: opaque as never }),
      () => client.capture(new Proxy({}, { get: throwing }) as never),
      () => client.enqueue(new Proxy({}, { get: throwing }) as never),
      () => client.captureException(new Error('x'), 'u', opaque as never),
    ];
    for (const call of calls) {
      const result = call();
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.error).toBeInstanceOf(ValidationError);
    }
    expect(() => client.register(opaque as never)).not.toThrow();
    expect(logged.some((line) => line.includes('could not be read (boom)'))).toBe(true);
    client.capture({ distinctId: 'u', event: 'after' });
    await client.flush();
    expect(events.map((event) => event.event)).toEqual(['hostile', 'after']);
    expect(events[0]?.properties).toMatchObject({ a: 1, nested: '[Unserializable]' });
  });

  it('copies properties into $set / $group_set as capture would write them, refusing what is no object', async () => {
    const { client, events } = record();
    const date = new Date(Date.UTC(2025, 0, 1));
    // A Date has no properties: refused, as capture() refuses it, rather than sent as an empty $group_set.
    const refused = client.groupIdentify({
      groupType: 'company',
      groupKey: 'acme',
      properties: date as never,
    });
    expect(!refused.ok && refused.error).toMatchObject({ field: 'properties' });
    expect(client.identify({ distinctId: 'u', properties: date as never }).ok).toBe(false);
    expect(client.setPersonProperties({ distinctId: 'u', properties: date as never }).ok).toBe(false);
    // A Map and an object with toJSON are copied as their JSON, not as their (empty) own keys.
    const map = new Map<string, unknown>([['plan', 'pro']]);
    client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: map as never });
    client.identify({ distinctId: 'u', properties: { toJSON: () => ({ email: 'a@b.c' }) } as never });
    client.setPersonProperties({ distinctId: 'u', properties: map as never });
    // A null anonymous id is left out, as posthog-node leaves it out: there is nothing to merge.
    client.identify({ distinctId: 'u', properties: { $anon_distinct_id: null, name: 'Ann' } });
    // A falsy $set reads as none, as in posthog-node: the other properties are set.
    client.identify({ distinctId: 'u', properties: { $set: false, $set_once: 0, name: 'Bo' } as never });
    await client.flush();
    expect(events.map((e) => [e.event, e.properties.$group_set ?? e.properties.$set])).toEqual([
      ['$groupidentify', { plan: 'pro' }],
      ['$identify', { email: 'a@b.c' }],
      ['$set', { plan: 'pro' }],
      ['$identify', { name: 'Ann' }],
      ['$identify', { name: 'Bo' }],
    ]);
    expect(events[3]?.properties).not.toHaveProperty('$anon_distinct_id');
    expect(events[4]?.properties.$set_once).toEqual({});
  });

  it('merges properties given with toJSON as their result, keeping groups, super properties and $lib', async () => {
    const { client, events } = record();
    const properties = { toJSON: () => ({ plan: 'pro' }) } as never;
    client.capture({ distinctId: 'u', event: 'alone', properties });
    client.capture({ distinctId: 'u', event: 'grouped', properties, groups: { company: 'acme' } });
    client.register({ service: 'api' });
    client.capture({ distinctId: 'u', event: 'registered', properties });
    const dated = client.capture({ distinctId: 'u', event: 'dated', properties: new Date() as never });
    expect(!dated.ok && dated.error).toMatchObject({ field: 'properties' });
    await client.flush();
    expect(events.map((e) => e.event)).toEqual(['alone', 'grouped', 'registered']);
    for (const event of events) expect(event.properties).toMatchObject({ plan: 'pro', $lib: 'posthog-ts' });
    expect(events[1]?.properties.$groups).toEqual({ company: 'acme' });
    expect(events[2]?.properties.service).toBe('api');
  });

  it('sends an event with an empty distinct id personless, as posthog-node does, rather than losing it', async () => {
    const { client, events } = record();
    expect(client.capture({ distinctId: '', event: 'anonymous checkout' }).ok).toBe(true);
    expect(client.capture({ distinctId: '  ', event: 'blank' }).ok).toBe(true);
    // A request context's id fills in for an empty one.
    client.withContext({ distinctId: 'from-context' }, () =>
      client.capture({ distinctId: '', event: 'in context' }),
    );
    expect(client.identify({ distinctId: '', properties: {} }).ok).toBe(false); // identify needs a person
    await client.flush();
    expect(events.map((e) => [e.event, e.properties.$process_person_profile])).toEqual([
      ['anonymous checkout', false],
      ['blank', false],
      ['in context', undefined],
    ]);
    expect(events[2]?.distinct_id).toBe('from-context');
  });

  it('rejects an event larger than PostHog accepts, naming its size and the limit', async () => {
    const { client, events } = record();
    const result = client.capture({
      distinctId: 'u',
      event: 'huge',
      properties: { blob: 'x'.repeat(1_100_000) },
    });
    client.capture({ distinctId: 'u', event: 'small' });
    await client.flush();
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect((error as EventTooLargeError).limit).toBe(1_000_000);
    expect((error as EventTooLargeError).size).toBeGreaterThan(1_100_000);
    expect(error?.message).toMatch(/huge.*\d+ bytes.*limit is 1000000/);
    expect(events.map((e) => e.event)).toEqual(['small']);
  });

  it('counts multi-byte characters as bytes when checking the size', () => {
    const { client } = record();
    const result = client.capture({
      distinctId: 'u',
      event: 'emoji',
      properties: { text: '😀'.repeat(300_000) },
    });
    expect(result.ok).toBe(false);
  });

  it('logs a repeated rejection once per window, not once per call', async () => {
    const { client } = record();
    for (let i = 0; i < 1000; i++) client.capture({ distinctId: 'u' } as never);
    expect(logged).toHaveLength(1);
    expect(client.stats().rejected).toBe(1000);
  });
});

describe('capture snapshots the event', () => {
  it('later changes to the caller objects do not change an event already captured', async () => {
    const { client, events } = record();
    const props: Record<string, unknown> = { step: 1, nested: { n: 1 } };
    client.capture({ distinctId: 'u', event: 'a', properties: props });
    props.step = 2;
    (props.nested as { n: number }).n = 2;
    client.capture({ distinctId: 'u', event: 'b', properties: props });
    await client.flush();
    expect(events.map((e) => [e.properties.step, (e.properties.nested as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});
