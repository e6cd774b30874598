import { describe, expect, it } from 'vitest';
import { useLocalServer } from '../helpers/local-server.js';

/** A logger that keeps every line with its level. */
function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const DEFINITIONS = {
  flags: [
    {
      key: 'new-checkout',
      active: true,
      filters: { groups: [{ properties: [], rollout_percentage: 100 }], payloads: { true: '{"steps":2}' } },
    },
  ],
};

describe('offline', () => {
  // The client points at a live local server, so any request it made would be recorded there.
  const local = useLocalServer();

  it('sends nothing: events are logged one by one after debug(), counted as delivered', async () => {
    const { lines, logger } = recordingLogger();
    const posthog = local.client({ offline: true, logger, flushAt: 2 });
    posthog.debug();
    posthog.capture({ distinctId: 'user-1', event: 'signup', properties: { plan: 'pro' } });
    posthog.identify({ distinctId: 'user-1', properties: { email: 'a@example.com' } });
    posthog.capture({ distinctId: 'user-2', event: 'checkout' });
    const immediate = await posthog.captureImmediate({ distinctId: 'user-3', event: 'paid' });
    expect(immediate.ok).toBe(true);
    await posthog.flush();
    expect(local.server.requests).toHaveLength(0);
    const sent = lines.filter((l) => l.message.startsWith('[posthog-ts] offline, not sent:'));
    // captureImmediate goes out before the queued batch does.
    expect(sent.map((l) => l.message.split(' ').slice(4, 7).join(' '))).toEqual([
      'paid for user-3',
      'signup for user-1',
      '$identify for user-1',
      'checkout for user-2',
    ]);
    expect(sent.every((l) => l.level === 'info')).toBe(true);
    const json = JSON.parse(
      sent[1]?.message.replace(/^\[posthog-ts\] offline, not sent: signup for user-1 /, '') ?? '',
    );
    expect(json).toMatchObject({ event: 'signup', distinct_id: 'user-1', properties: { plan: 'pro' } });
    expect(posthog.stats()).toMatchObject({ delivered: 4, queued: 0, inFlight: 0 });
    expect(posthog.toJSON()).toMatchObject({ offline: true, disabled: false });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringMatching(/^\[posthog-ts\] offline: nothing is sent to PostHog/),
    ]);
  });

  it('writes no event line without debug(), and still runs before_send', async () => {
    const { lines, logger } = recordingLogger();
    const seen: string[] = [];
    const posthog = local.client({
      offline: true,
      logger,
      before_send: (event) => {
        seen.push(event.event);
        return event;
      },
    });
    posthog.capture({ distinctId: 'user-1', event: 'quiet' });
    await posthog.flush();
    expect(seen).toEqual(['quiet']);
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(posthog.stats().delivered).toBe(1);
    expect(local.server.requests).toHaveLength(0);
  });

  it('evaluates flags from flagDefinitions only: no poll with a secretKey, no /flags, no remote config', async () => {
    const { lines, logger } = recordingLogger();
    const posthog = local.client({
      offline: true,
      logger,
      secretKey: 'phs_secret',
      flagDefinitions: DEFINITIONS,
    });
    expect(await posthog.waitForLocalEvaluationReady(2000)).toBe(true);
    expect(await posthog.getFeatureFlag('new-checkout', 'user-1')).toBe(true);
    expect(await posthog.getFeatureFlagPayload('new-checkout', 'user-1')).toEqual({ steps: 2 });
    // Not in the definitions: a connected client would ask /flags; an offline one answers undefined.
    expect(await posthog.getFeatureFlag('unknown-flag', 'user-1')).toBeUndefined();
    // Not even when a call asks for it.
    expect(
      await posthog.getFeatureFlag('unknown-flag', 'user-1', { onlyEvaluateLocally: false }),
    ).toBeUndefined();
    expect(await posthog.getAllFlags('user-1', { onlyEvaluateLocally: false })).toEqual({
      'new-checkout': true,
    });
    posthog.capture({
      distinctId: 'user-1',
      event: 'with flags',
      sendFeatureFlags: { onlyEvaluateLocally: false, flagKeys: ['unknown-flag'] },
    });
    expect(await posthog.getRemoteConfigPayload('new-checkout')).toBeUndefined();
    await posthog.reloadFeatureFlags();
    posthog.overrideFeatureFlags({ 'forced-flag': 'variant-b' });
    expect(await posthog.getFeatureFlag('forced-flag', 'user-1')).toBe('variant-b');
    await posthog.flush(); // the $feature_flag_called events, into the log
    expect(local.server.requests).toHaveLength(0);
    expect(posthog.stats().flags).toEqual({
      definitionsRequests: 0,
      definitionsNotModified: 0,
      definitionsLoaded: 0,
      flagsRequests: 0,
      remoteConfigRequests: 0,
      remoteConfigCacheHits: 0,
    });
    expect(lines.filter((l) => l.level !== 'info' && l.level !== 'debug')).toHaveLength(1); // the start warning
  });

  it('counts the flag requests a connected client makes, and none for a disabled one', async () => {
    local.server.setFlagDefinitions({ flags: DEFINITIONS.flags });
    const connected = local.client({ secretKey: 'phs_secret' });
    await connected.waitForLocalEvaluationReady(2000);
    await connected.getFeatureFlag('unknown-flag', 'user-1'); // not in the definitions: asks /flags
    expect(connected.stats().flags).toMatchObject({
      definitionsRequests: 1,
      definitionsLoaded: 1,
      flagsRequests: 1,
    });
    expect(local.client({ disabled: true }).stats().flags.flagsRequests).toBe(0);
  });

  it('refuses a non-boolean offline with a ConfigError naming it', () => {
    expect(() => local.client({ offline: 'yes' as never })).toThrow(/offline/);
  });
});
