import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostHog } from '../../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../../src/testing/index.js';

/** capture({ sendFeatureFlags }): what it asks of /flags and what the event carries, as in posthog-node. */

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const DEFINITIONS = {
  flags: [
    { id: 1, key: 'beta', active: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
    {
      id: 2,
      key: 'needs-plan',
      active: true,
      // Inconclusive locally without the person property: only the server could settle it.
      filters: {
        groups: [{ properties: [{ key: 'plan', value: 'pro', type: 'person' }], rollout_percentage: 100 }],
      },
    },
  ],
};

let server: LocalPostHog;
let client: PostHog | undefined;

beforeEach(async () => {
  server = await startLocalPostHog();
  server.setFlagsResponse(() => ({
    flags: {
      beta: { key: 'beta', enabled: true },
      'needs-plan': { key: 'needs-plan', enabled: true },
    },
  }));
});

afterEach(async () => {
  await client?.shutdown(2000);
  client = undefined;
  await server.stop();
});

const flagsBodies = (): Array<Record<string, unknown>> =>
  server.requests.filter((r) => r.route === 'flags').map((r) => r.body as Record<string, unknown>);

describe('capture({ sendFeatureFlags })', () => {
  it("evaluates the flags with the event's groups and geoip setting", async () => {
    client = new PostHog('phc_test', { host: server.url, logger: silent });
    client.capture({
      distinctId: 'u',
      event: 'e',
      groups: { company: 'acme' },
      disableGeoip: true,
      sendFeatureFlags: true,
    });
    await client.flush();
    const [body] = flagsBodies();
    expect(body).toMatchObject({
      groups: { company: 'acme' },
      group_properties: { company: { $group_key: 'acme' } },
      geoip_disable: true,
    });
    expect(server.events[0]?.properties).toMatchObject({ '$feature/beta': true });
  });

  it('asks nothing of /flags once definitions are loaded, unless told to', async () => {
    server.setFlagDefinitions(DEFINITIONS);
    client = new PostHog('phc_test', {
      host: server.url,
      logger: silent,
      secretKey: 'phx_test',
      featureFlagsPollingInterval: null,
    });
    await client.waitForLocalEvaluationReady(2000);
    client.capture({ distinctId: 'u', event: 'local only', sendFeatureFlags: true });
    await client.flush();
    expect(flagsBodies()).toHaveLength(0);
    expect(server.events[0]?.properties).toMatchObject({ '$feature/beta': true });
    expect(server.events[0]?.properties).not.toHaveProperty('$feature/needs-plan');

    client.capture({ distinctId: 'u', event: 'asks', sendFeatureFlags: { onlyEvaluateLocally: false } });
    await client.flush();
    expect(flagsBodies()).toHaveLength(1);
    expect(server.eventsNamed('asks')[0]?.properties).toMatchObject({ '$feature/needs-plan': true });
  });

  it('keeps its flags when shutdown() follows at once', async () => {
    client = new PostHog('phc_test', { host: server.url, logger: silent });
    client.capture({ distinctId: 'u', event: 'last words', sendFeatureFlags: true });
    await client.shutdown();
    expect(flagsBodies()).toHaveLength(1);
    expect(server.events[0]?.properties).toMatchObject({
      '$feature/beta': true,
      $active_feature_flags: ['beta', 'needs-plan'],
    });
  });
});
