import { afterEach, describe, expect, it } from 'vitest';
import { Groups, Properties, VERSION } from '../../src/index.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/recording-client.js';

let recording: RecordingClient;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function record(options = {}): RecordingClient {
  recording = createRecordingClient({ logger: silent, ...options });
  return recording;
}

afterEach(async () => {
  await recording?.client.shutdown();
});

describe('the events on the wire', () => {
  it('capture: event, distinct id, uuid, UTC timestamp, library properties, groups', async () => {
    const { client, events } = record();
    const result = client.capture({
      distinctId: 'user-1',
      event: 'signed up',
      properties: new Properties().set('plan', 'pro').set('seats', 3),
      groups: new Groups().set('company', 'acme'),
      timestamp: '2025-01-02T08:34:05+05:30',
    });
    await client.flush();
    expect(result.ok).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      uuid: result.ok ? result.uuid : '',
      event: 'signed up',
      distinct_id: 'user-1',
      timestamp: '2025-01-02T03:04:05.000Z',
      properties: {
        plan: 'pro',
        seats: 3,
        $groups: { company: 'acme' },
        $lib: 'posthog-ts',
        $lib_version: VERSION,
        $is_server: true,
        $geoip_disable: true,
      },
    });
  });

  it('keeps a caller UUID, replaces an invalid one, and numbers distinct ids', async () => {
    const { client, events } = record();
    client.capture({ distinctId: 42, event: 'a', uuid: '0198C0DE-0000-7000-8000-000000000ABC' });
    client.capture({ distinctId: 'u', event: 'b', uuid: 'nope' });
    await client.flush();
    expect(events[0]).toMatchObject({ uuid: '0198c0de-0000-7000-8000-000000000abc', distinct_id: '42' });
    expect(events[1]?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[1]?.uuid).not.toBe('nope');
  });

  it('personless events get a generated id and $process_person_profile: false', async () => {
    const { client, events } = record();
    client.capture({ event: 'cron ran' });
    client.capture({ event: 'kept', properties: { $process_person_profile: true } });
    await client.flush();
    expect(events[0]?.distinct_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[0]?.properties.$process_person_profile).toBe(false);
    expect(events[1]?.properties.$process_person_profile).toBe(true);
  });

  it('$set / $set_once and $pageview pass through unchanged', async () => {
    const { client, events } = record();
    client.capture({
      distinctId: 'u',
      event: '$pageview',
      properties: {
        $current_url: 'https://example.com/a',
        $set: { name: 'Max' },
        $set_once: { first: '/blog' },
      },
    });
    await client.flush();
    expect(events[0]?.properties).toMatchObject({
      $current_url: 'https://example.com/a',
      $set: { name: 'Max' },
      $set_once: { first: '/blog' },
    });
  });

  it('identify, alias, groupIdentify, setPersonProperties, unsetPersonProperties', async () => {
    const { client, events } = record();
    client.identify({ distinctId: 'u', properties: { email: 'max@example.com' } });
    client.identify({
      distinctId: 'u',
      properties: { $set: { a: 1 }, $set_once: { b: 2 }, $anon_distinct_id: 'anon' },
    });
    client.alias({ distinctId: 'u', alias: 'old-id' });
    client.groupIdentify({
      groupType: 'company',
      groupKey: 'acme',
      properties: { name: 'Acme Inc.', employees: 11 },
    });
    client.groupIdentify({ groupType: 'company', groupKey: 7, distinctId: 'u' });
    client.setPersonProperties({
      distinctId: 'u',
      properties: { plan: 'pro' },
      propertiesOnce: { signup: 'x' },
    });
    client.unsetPersonProperties({ distinctId: 'u', properties: ['plan', ' ', 'old'] });
    await client.flush();
    const strip = ({ $lib, $lib_version, $is_server, $geoip_disable, ...rest }: Record<string, unknown>) =>
      rest;
    expect(events.map((e) => [e.event, e.distinct_id, strip(e.properties)])).toEqual([
      ['$identify', 'u', { $set: { email: 'max@example.com' }, $set_once: {} }],
      ['$identify', 'u', { $set: { a: 1 }, $set_once: { b: 2 }, $anon_distinct_id: 'anon' }],
      ['$create_alias', 'u', { distinct_id: 'u', alias: 'old-id' }],
      [
        '$groupidentify',
        '$company_acme',
        { $group_type: 'company', $group_key: 'acme', $group_set: { name: 'Acme Inc.', employees: 11 } },
      ],
      ['$groupidentify', 'u', { $group_type: 'company', $group_key: '7', $group_set: {} }],
      ['$set', 'u', { $set: { plan: 'pro' }, $set_once: { signup: 'x' } }],
      ['$set', 'u', { $unset: ['plan', 'old'] }],
    ]);
  });

  it('enqueue() takes the Go SDK style typed messages, exceptions included', async () => {
    const { client, events } = record();
    client.enqueue({ type: 'capture', distinctId: 'u', event: 'e' });
    client.enqueue({ type: 'identify', distinctId: 'u', properties: { a: 1 } });
    client.enqueue({ type: 'alias', distinctId: 'u', alias: 'a' });
    client.enqueue({ type: 'groupIdentify', groupType: 'org', groupKey: 'o1' });
    client.enqueue({
      type: 'exception',
      distinctId: 'u',
      exceptionList: [{ type: 'DatabaseError', value: 'connection refused' }],
      fingerprint: 'db',
    });
    await client.flush();
    expect(events.map((e) => e.event)).toEqual([
      'e',
      '$identify',
      '$create_alias',
      '$groupidentify',
      '$exception',
    ]);
    expect(events[4]?.properties).toMatchObject({
      $exception_list: [{ type: 'DatabaseError', value: 'connection refused' }],
      $exception_level: 'error',
      $exception_fingerprint: 'db',
    });
  });

  it('super properties apply to ordinary events, and the event wins on a clash', async () => {
    const { client, events } = record();
    client.register({ app: 'api', env: 'prod' });
    client.register(new Properties().set('region', 'eu'));
    client.unregister('env');
    client.capture({ distinctId: 'u', event: 'e', properties: { app: 'worker' } });
    client.identify({ distinctId: 'u' });
    await client.flush();
    expect(events[0]?.properties).toMatchObject({ app: 'worker', region: 'eu' });
    expect(events[0]?.properties).not.toHaveProperty('env');
    expect(events[1]?.properties).not.toHaveProperty('app');
  });

  it('setPersonProperties and unsetPersonProperties are captured $set events: super properties and context apply', async () => {
    const { client, events } = record();
    client.register({ service: 'api' });
    client.withContext({ sessionId: 's1', properties: { $current_url: 'https://x/y' } }, () => {
      client.setPersonProperties({ distinctId: 'u', properties: { plan: 'pro' } });
      client.unsetPersonProperties({ distinctId: 'u', properties: ['old'] });
    });
    await client.flush();
    const shared = { service: 'api', $session_id: 's1', $current_url: 'https://x/y' };
    expect(events[0]?.properties).toMatchObject({ ...shared, $set: { plan: 'pro' } });
    expect(events[1]?.properties).toMatchObject({ ...shared, $unset: ['old'] });
  });

  it('library properties win over the caller; isServer and disableGeoip can be turned off', async () => {
    const { client, events } = record({ isServer: false, disableGeoip: false });
    client.capture({ distinctId: 'u', event: 'e', properties: { $lib: 'spoofed' } });
    client.capture({ distinctId: 'u', event: 'f', disableGeoip: true });
    await client.flush();
    expect(events[0]?.properties.$lib).toBe('posthog-ts');
    expect(events[0]?.properties).not.toHaveProperty('$is_server');
    expect(events[0]?.properties).not.toHaveProperty('$geoip_disable');
    expect(events[1]?.properties.$geoip_disable).toBe(true);
  });

  it('sends the batch wrapper, gzip and the User-Agent; historical migration when asked', async () => {
    const { client, requests } = record({ historicalMigration: true });
    client.capture({ distinctId: 'u', event: 'e' });
    await client.flush();
    expect(requests[0]?.path).toBe('/batch/');
    expect(requests[0]?.headers).toMatchObject({
      'Content-Encoding': 'gzip',
      'User-Agent': `posthog-ts/${VERSION}`,
    });
    expect(requests[0]?.body).toMatchObject({ api_key: 'phc_test', historical_migration: true });
    expect(Number.isNaN(Date.parse(String(requests[0]?.body.sent_at)))).toBe(false);
  });

  it('does not compress with disableCompression', async () => {
    const { client, requests } = record({ disableCompression: true });
    client.capture({ distinctId: 'u', event: 'e' });
    await client.flush();
    expect(requests[0]?.headers).not.toHaveProperty('Content-Encoding');
    expect(requests[0]?.body).not.toHaveProperty('historical_migration');
  });

  it('AI events go to the AI endpoint; capture() never reroutes $ai_ events', async () => {
    const { client, requests } = record();
    const uuid = client.captureAi({
      distinctId: 'u',
      event: '$ai_generation',
      uuid: '0198c0de-0000-7000-8000-000000000abc',
    });
    client.capture({ distinctId: 'u', event: '$ai_generation' });
    await client.flush();
    expect(uuid).toBe('0198c0de-0000-7000-8000-000000000abc');
    const paths = requests.map((r) => r.path).sort();
    expect(paths).toEqual(['/batch/', '/i/v0/ai/batch/']);
  });

  it('capture v1 moves session, window and option properties out of properties', async () => {
    const { client, requests, events } = record({ captureMode: 'v1' });
    client.capture({
      distinctId: 'u',
      event: 'e',
      properties: {
        $session_id: 's1',
        $window_id: 'w1',
        $process_person_profile: false,
        $cookieless_mode: true,
        keep: 1,
      },
    });
    await client.flush();
    expect(requests[0]?.path).toBe('/i/v1/analytics/events');
    expect(requests[0]?.headers).toMatchObject({ Authorization: 'Bearer phc_test', 'PostHog-Attempt': '1' });
    expect(requests[0]?.body).not.toHaveProperty('api_key');
    expect(events[0]).toMatchObject({
      session_id: 's1',
      window_id: 'w1',
      options: { process_person_profile: false, cookieless_mode: true },
    });
    expect(events[0]?.properties).toMatchObject({ keep: 1 });
    expect(events[0]?.properties).not.toHaveProperty('$session_id');
  });

  it('sends properties as JSON.stringify writes them, on the pass-through and the merged path', async () => {
    const { client, events } = record();
    const samples: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 200; i++) {
      samples.push({
        text: i % 7 === 0 ? `quote " and \\ and \n ${i}` : `value-${i}`,
        int: i,
        float: i / 7,
        bad: i % 5 === 0 ? Number.NaN : Number.POSITIVE_INFINITY,
        flag: i % 2 === 0,
        none: null,
        skipped: undefined,
        when: new Date(1_700_000_000_000 + i),
        list: [i, `x${i}`, undefined, { deep: [i] }],
        nested: { [`key-${i % 3}`]: { n: -i, s: '😀' } },
        [`dynamic "${i % 4}"`]: i,
      });
    }
    for (const properties of samples) client.capture({ distinctId: 'u', event: 'e', properties });
    client.register({ super: 1 }); // from here on, properties are merged into an object of the SDK's own
    for (const properties of samples) client.capture({ distinctId: 'u', event: 'e', properties });
    await client.flush();
    expect(events).toHaveLength(400);
    // Batches may arrive in any order: `int` says which sample an event came from, `super` which pass.
    const seen = new Set<string>();
    for (const event of events) {
      const {
        $lib,
        $lib_version,
        $is_server,
        $geoip_disable,
        super: superProperty,
        ...rest
      } = event.properties as Record<string, unknown>;
      expect($lib).toBe('posthog-ts');
      expect(rest).toEqual(JSON.parse(JSON.stringify(samples[rest.int as number])));
      seen.add(`${rest.int}/${superProperty}`);
    }
    expect(seen.size).toBe(400);
  });
});
