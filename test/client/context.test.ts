import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecordingClient, type RecordingClient } from '../../src/testing/recording-client.js';

let recording: RecordingClient;

afterEach(async () => {
  await recording?.client.shutdown();
});

describe('withContext', () => {
  it('events inside inherit distinct id, $session_id and properties, across awaits; explicit arguments win', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    await client.withContext(
      { distinctId: 'ctx-user', sessionId: 's-1', properties: { route: '/a', tier: 'x' } },
      async () => {
        client.capture({ event: 'implicit' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        client.capture({
          distinctId: 'explicit',
          event: 'explicit',
          properties: { tier: 'y', $session_id: 'own' },
        });
      },
    );
    client.capture({ distinctId: 'outside', event: 'outside' });
    await client.flush();
    expect(
      events.map((e) => [
        e.event,
        e.distinct_id,
        e.properties.route,
        e.properties.tier,
        e.properties.$session_id,
      ]),
    ).toEqual([
      ['implicit', 'ctx-user', '/a', 'x', 's-1'],
      ['explicit', 'explicit', '/a', 'y', 'own'],
      ['outside', 'outside', undefined, undefined, undefined],
    ]);
    expect(events[0]?.properties).not.toHaveProperty('$process_person_profile');
  });

  it('nested contexts merge, and fresh replaces', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    client.withContext({ distinctId: 'outer', properties: { a: 1 } }, () => {
      client.withContext({ sessionId: 's', properties: { b: 2 } }, () => {
        expect(client.getContext()).toEqual({
          distinctId: 'outer',
          sessionId: 's',
          properties: { a: 1, b: 2 },
        });
        client.capture({ event: 'merged' });
      });
      client.withContext({ properties: { c: 3 } }, () => client.capture({ event: 'fresh' }), { fresh: true });
    });
    await client.flush();
    expect(events[0]).toMatchObject({ distinct_id: 'outer', properties: { a: 1, b: 2, $session_id: 's' } });
    expect(events[1]?.properties).toMatchObject({ c: 3, $process_person_profile: false });
    expect(events[1]?.properties).not.toHaveProperty('a');
  });

  it('identify and alias do not take context properties', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    client.withContext({ distinctId: 'u', properties: { route: '/a' } }, () => {
      client.identify({ distinctId: 'u', properties: { email: 'e' } });
    });
    await client.flush();
    expect(events[0]?.properties).not.toHaveProperty('route');
  });

  it("keeps each client's context its own: one client's context is not another's", async () => {
    recording = createRecordingClient();
    const other = createRecordingClient();
    try {
      await recording.client.withContext({ distinctId: 'a', properties: { tenant: 'a' } }, async () => {
        await other.client.withContext({ distinctId: 'b' }, async () => {
          await Promise.resolve();
          recording.client.capture({ event: 'in a' });
          other.client.capture({ event: 'in b' });
        });
        other.client.capture({ event: 'b outside its context' });
      });
      await Promise.all([recording.client.flush(), other.client.flush()]);
      expect(recording.events.map((e) => [e.event, e.distinct_id, e.properties.tenant])).toEqual([
        ['in a', 'a', 'a'],
      ]);
      expect(other.events.map((e) => [e.event, e.distinct_id === 'b', 'tenant' in e.properties])).toEqual([
        ['in b', true, false],
        ['b outside its context', false, false],
      ]);
    } finally {
      await other.client.shutdown();
    }
  });

  it('shares one AsyncLocalStorage between clients, however many are created', async () => {
    // Node 20 copies every storage ever entered into each new async resource: one per client would make every
    // await of the process slower with each client created.
    const seen = new Set<unknown>();
    const original = AsyncLocalStorage.prototype.run;
    AsyncLocalStorage.prototype.run = function (this: AsyncLocalStorage<unknown>, ...args: never[]) {
      seen.add(this);
      return (original as (...a: never[]) => unknown).apply(this, args) as never;
    } as typeof original;
    try {
      for (let i = 0; i < 20; i++) {
        const client = createRecordingClient();
        client.client.withContext({ distinctId: `u${i}` }, () => client.client.capture({ event: 'e' }));
        await client.client.shutdown();
      }
    } finally {
      AsyncLocalStorage.prototype.run = original;
    }
    expect(seen.size).toBe(1);
  });
});
