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
});
