import { describe, expect, it } from 'vitest';
import { createRecordingClient } from '../../src/testing/recording-client.js';

describe('createRecordingClient', () => {
  it('records what would be sent, and answers flag routes as a PostHog with no flags would', async () => {
    const errors: string[] = [];
    const { client, events, requests } = createRecordingClient({
      secretKey: 'phx_test',
      featureFlagsPollingInterval: null,
      logger: {
        debug() {},
        info() {},
        warn: (m: string) => errors.push(m),
        error: (m: string) => errors.push(m),
      },
    });
    client.on('error', (error) => errors.push(error.message));
    client.capture({ distinctId: 'u', event: 'signed up', properties: { plan: 'pro' } });
    expect(await client.waitForLocalEvaluationReady(100)).toBe(false); // loaded, but no flags
    expect(await client.getFeatureFlag('missing', 'u')).toBeUndefined();
    expect(await client.getRemoteConfigPayload('missing')).toBeUndefined();
    await client.flush();
    // As against PostHog: an unknown remote-config flag is a 404, reported; nothing else is.
    expect(errors).toEqual(["posthog-ts: remote config for 'missing' failed: answered 404"]);
    expect(events.map((e) => e.event)).toEqual(['signed up', '$feature_flag_called']);
    expect(events[1]?.properties.$feature_flag_error).toBe('flag_missing');
    expect(requests.map((r) => r.path)).toContain('/flags/definitions');
    await client.shutdown();
  });
});
