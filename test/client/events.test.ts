import { describe, expect, it } from 'vitest';
import type { OutgoingEvent, PostHogEventName, RequestInfo } from '../../src/index.js';
import { useLocalServer } from '../helpers/local-server.js';

const local = useLocalServer({ flushAt: 1000 });
const newClient = local.client;

describe('client events (on)', () => {
  it('announces each queued event under its kind, as it will be sent', async () => {
    const ph = newClient();
    const seen: Array<[string, OutgoingEvent]> = [];
    for (const name of ['capture', 'identify', 'alias', 'groupIdentify'] as const)
      ph.on(name, (event) => seen.push([name, event]));
    const captured = ph.capture({
      distinctId: 'u1',
      event: 'signed up',
      properties: { plan: 'pro' },
      timestamp: new Date('2026-01-02T03:04:05+02:00'),
    });
    ph.identify({ distinctId: 'u1', properties: { email: 'a@example.com' } });
    ph.alias({ distinctId: 'u1', alias: 'anon-1' });
    ph.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { name: 'Acme' } });
    ph.captureException(new Error('boom'), 'u1');
    await ph.flush();

    expect(seen.map(([name, event]) => `${name}:${event.event}`)).toEqual([
      'capture:signed up',
      'identify:$identify',
      'alias:$create_alias',
      'groupIdentify:$groupidentify',
      'capture:$exception', // exceptions are announced as captures
    ]);
    const [, first] = seen[0] as [string, OutgoingEvent];
    expect(captured.ok && first.uuid === captured.uuid).toBe(true);
    expect(first).toMatchObject({
      type: 'capture',
      distinctId: 'u1',
      timestamp: '2026-01-02T01:04:05.000Z',
      properties: { plan: 'pro', $lib: 'posthog-ts' },
    });
    // The payload is what the server received, field for field.
    const received = local.server.events.find((event) => event.uuid === first.uuid);
    expect(received?.properties).toEqual(first.properties);
  });

  it('reports every request and every delivered batch', async () => {
    const ph = newClient({ fetchRetryDelay: 1 });
    const requests: RequestInfo[] = [];
    const flushed: Array<Record<string, unknown>[]> = [];
    ph.on('request', (info) => requests.push(info));
    ph.on('flush', (batch) => flushed.push(batch));
    local.server.script('capture', { status: 503 });
    const uuids = [1, 2, 3].map((i) => {
      const result = ph.capture({ distinctId: `u${i}`, event: 'e' });
      return result.ok ? result.uuid : '';
    });
    await ph.flush();

    expect(requests.map((r) => [r.path, r.attempt, r.status, r.eventCount])).toEqual([
      ['/batch/', 0, 503, 3],
      ['/batch/', 1, 200, 3],
    ]);
    expect(requests[1]?.uuids).toEqual(uuids);
    expect(requests[1]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(flushed).toHaveLength(1);
    expect(flushed[0]?.map((event) => event.uuid)).toEqual(uuids);
  });

  it("gives '*' listeners every event's name and payload, and narrows the payload by the name", async () => {
    const ph = newClient();
    const names: PostHogEventName[] = [];
    const errorCodes: string[] = [];
    ph.on('*', (name, payload) => {
      names.push(name);
      // Compiles only because checking the name narrowed the payload to PostHogError.
      if (name === 'error') errorCodes.push(payload.code);
    });
    ph.capture({ distinctId: 'u', event: 'e' });
    ph.capture({ distinctId: 'u', event: '' });
    await ph.flush();
    expect(names).toEqual(['capture', 'error', 'request', 'flush']);
    expect(errorCodes).toEqual(['validation']);
  });

  it('stops calling a listener once unsubscribed, and isolates one that throws', async () => {
    const ph = newClient();
    let calls = 0;
    let anyCalls = 0;
    ph.on('capture', () => {
      throw new Error('listener bug');
    });
    const off = ph.on('capture', () => calls++);
    const offAny = ph.on('*', () => anyCalls++);
    expect(ph.capture({ distinctId: 'u', event: 'one' }).ok).toBe(true);
    off();
    offAny();
    expect(ph.capture({ distinctId: 'u', event: 'two' }).ok).toBe(true);
    await ph.flush();
    expect([calls, anyCalls]).toEqual([1, 1]);
    expect(local.server.events.map((event) => event.event)).toEqual(['one', 'two']);
  });

  it('tells when local flag definitions are loaded, with the number of flags', async () => {
    local.server.setFlagDefinitions({
      flags: [
        { id: 1, key: 'a', active: true, filters: { groups: [{ rollout_percentage: 100 }] } },
        { id: 2, key: 'b', active: true, filters: { groups: [{ rollout_percentage: 0 }] } },
      ],
    });
    const loaded: number[] = [];
    const ph = newClient({ secretKey: 'phx_test', featureFlagsPollingInterval: null });
    ph.on('localEvaluationFlagsLoaded', (count) => loaded.push(count));
    await ph.waitForLocalEvaluationReady(2000);
    expect(loaded).toEqual([2]);
  });
});
