import { afterEach, describe, expect, it } from 'vitest';
import { type EventMessage, type OutgoingEvent, type PostHogOptions, Properties } from '../../src/index.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/recording-client.js';

let recording: RecordingClient;
const errors: string[] = [];

function record(options: PostHogOptions): RecordingClient {
  errors.length = 0;
  const log = (message: string) => errors.push(message);
  recording = createRecordingClient({ logger: { debug() {}, info() {}, warn: log, error: log }, ...options });
  return recording;
}

afterEach(async () => {
  await recording?.client.shutdown();
});

describe('before_send', () => {
  it('sees every outgoing event type and can modify it', async () => {
    const seen: string[] = [];
    const { client, events } = record({
      before_send: (event) => {
        seen.push(`${event.type}:${event.event}`);
        delete event.properties.email;
        event.properties.scrubbed = true;
        return event;
      },
    });
    client.capture({ distinctId: 'u', event: 'e', properties: { email: 'a@b' } });
    client.identify({ distinctId: 'u', properties: { email: 'a@b' } });
    client.alias({ distinctId: 'u', alias: 'v' });
    client.groupIdentify({ groupType: 'org', groupKey: 'o' });
    client.captureAi({ distinctId: 'u', event: '$ai_generation' });
    client.enqueue({ type: 'exception', exceptionList: [{ type: 'E', value: 'v' }] });
    await client.flush();
    expect(seen).toEqual([
      'capture:e',
      'identify:$identify',
      'alias:$create_alias',
      'groupIdentify:$groupidentify',
      'ai:$ai_generation',
      'exception:$exception',
    ]);
    expect(events.every((e) => e.properties.scrubbed === true && !('email' in e.properties))).toBe(true);
  });

  it('also sees immediate sends, person-property events, exceptions and $feature_flag_called', async () => {
    const seen: string[] = [];
    const { client, events } = record({
      before_send: (event) => {
        seen.push(`${event.type}:${event.event}`);
        event.properties.hooked = true;
        return event;
      },
    });
    client.setPersonProperties({ distinctId: 'u', properties: { plan: 'pro' } });
    client.captureException(new Error('boom'), 'u');
    await client.getFeatureFlag('some-flag', 'u');
    await client.captureImmediate({ distinctId: 'u', event: 'now' });
    await client.identifyImmediate({ distinctId: 'u' });
    await client.flush();
    expect(seen.sort()).toEqual(
      [
        'capture:$set',
        'exception:$exception',
        'capture:$feature_flag_called',
        'capture:now',
        'identify:$identify',
      ].sort(),
    );
    expect(events).toHaveLength(5);
    expect(events.every((e) => e.properties.hooked === true)).toBe(true);
  });

  it('runs an array of hooks in order, and null drops the event quietly', async () => {
    const order: string[] = [];
    const { client, events } = record({
      before_send: [
        (event) => {
          order.push('first');
          return event.event === 'drop me' ? null : event;
        },
        (event) => {
          order.push('second');
          event.event = `${event.event}!`;
          return event;
        },
      ],
    });
    client.capture({ distinctId: 'u', event: 'drop me' });
    const kept = client.capture({ distinctId: 'u', event: 'keep me' });
    await client.flush();
    expect(order).toEqual(['first', 'first', 'second']);
    expect(events.map((e) => e.event)).toEqual(['keep me!']);
    expect(kept.ok).toBe(true);
    expect(client.stats().dropped.filtered).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a throwing hook drops only that event, with a logged reason, and never breaks the client', async () => {
    const { client, events } = record({
      before_send: (event: OutgoingEvent) => {
        if (event.event === 'bad') throw new Error('hook bug');
        return event;
      },
    });
    const result = client.capture({ distinctId: 'u', event: 'bad' });
    client.capture({ distinctId: 'u', event: 'good' });
    await client.flush();
    expect(result.ok ? undefined : result.error.code).toBe('before_send');
    expect(events.map((e) => e.event)).toEqual(['good']);
    expect(errors.join('\n')).toContain('before_send threw');
    expect(client.stats().dropped.before_send).toBe(1);
  });

  it('repairs what a hook broke, or refuses the event', async () => {
    const { client, events } = record({
      before_send: (event) => ({ ...event, uuid: 'broken', timestamp: '2025-01-02T08:34:05+05:30' }),
    });
    client.capture({ distinctId: 'u', event: 'e' });
    await client.flush();
    expect(events[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[0]?.timestamp).toBe('2025-01-02T03:04:05.000Z');
  });

  it('takes a new object with only some fields, as posthog-node hooks return: the rest keep their values', async () => {
    const { client, events } = record({
      before_send: [
        (event) => ({ event: event.event, distinctId: event.distinctId, properties: { kept: 1 } }),
        (event) => ({ ...event, timestamp: new Date('2025-01-02T03:04:05.678Z') }),
      ],
    });
    const first = client.capture({ distinctId: 'u', event: 'e', timestamp: '2024-06-01T00:00:00Z' });
    const second = client.capture({ distinctId: 'u', event: 'f' });
    await client.flush();
    expect(events).toHaveLength(2);
    // The uuid capture() returned is the one sent, though the first hook's object has none.
    expect(events[0]?.uuid).toBe(first.ok ? first.uuid : undefined);
    expect(events[1]?.uuid).toBe(second.ok ? second.uuid : undefined);
    expect(events[0]?.timestamp).toBe('2025-01-02T03:04:05.678Z');
    expect(events[0]?.properties).toMatchObject({ kept: 1, $lib: 'posthog-ts' });
  });

  it('drops the event on any falsy return, and keeps the distinct id and properties a hook leaves out', async () => {
    const { client, events } = record({
      before_send: [
        (event) => (event.event === 'dropped' ? (false as const) : event),
        (event) => ({ event: `${event.event}!` }),
        (event) => ({ ...event, distinctId: event.distinctId === 'u' ? 7 : event.distinctId }),
      ],
    });
    client.capture({ distinctId: 'x', event: 'dropped' });
    client.capture({ distinctId: 'u', event: 'kept', properties: { a: 1 } });
    await client.flush();
    expect(events.map((e) => [e.event, e.distinct_id, e.properties?.a])).toEqual([['kept!', '7', 1]]);
    expect(client.stats().dropped.filtered).toBe(1);
  });

  it('takes an EventMessage back: a Properties builder and an epoch-ms timestamp', async () => {
    const { client, events } = record({
      before_send: (event): EventMessage => ({
        event: event.event,
        properties: new Properties().set('built', true),
        timestamp: Date.UTC(2025, 0, 2),
      }),
    });
    client.capture({ distinctId: 'u', event: 'e' });
    await client.flush();
    expect(events[0]?.properties).toMatchObject({ built: true });
    expect(events[0]?.timestamp).toBe('2025-01-02T00:00:00.000Z');
    expect(events[0]?.distinct_id).toBe('u');
  });

  it('copies properties a hook returns of its own: a frozen or shared object is sent, never written to', async () => {
    const shared = Object.freeze({ plan: 'pro' });
    const builder = new Properties().set('seats', 3);
    const { client, events } = record({
      before_send: (event) => ({ ...event, properties: event.event === 'frozen' ? shared : builder }),
    });
    client.capture({ distinctId: 'u', event: 'frozen' });
    client.capture({ distinctId: 'u', event: 'built' });
    await client.flush();
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({ plan: 'pro', $lib: 'posthog-ts' }),
      expect.objectContaining({ seats: 3, $lib: 'posthog-ts' }),
    ]);
    expect(shared).toEqual({ plan: 'pro' });
    expect(builder.values).toEqual({ seats: 3 });
  });

  it('keeps the timestamp a hook leaves out', async () => {
    const { client, events } = record({
      before_send: (event) => ({ event: event.event, distinctId: event.distinctId, properties: {} }),
    });
    client.capture({ distinctId: 'u', event: 'e', timestamp: '2024-06-01T02:00:00+02:00' });
    await client.flush();
    expect(events[0]?.timestamp).toBe('2024-06-01T00:00:00.000Z');
  });

  it('a hook that changes nothing changes nothing, even for timestamps beyond the year 9999', async () => {
    const { client, events } = record({ before_send: (event) => event });
    const farthest = new Date(8.64e15); // the last instant a Date holds, written with an expanded year
    expect(client.capture({ distinctId: 'u', event: 'far', timestamp: farthest }).ok).toBe(true);
    expect(client.capture({ distinctId: 'u', event: 'lower', timestamp: '2024-06-01t08:00:00z' }).ok).toBe(
      true,
    );
    await client.flush();
    expect(events.map((e) => e.timestamp)).toEqual([
      '+275760-09-13T00:00:00.000Z',
      '2024-06-01T08:00:00.000Z',
    ]);
  });
});
