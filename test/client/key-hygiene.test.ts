import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PostHog, type PostHogOptions } from '../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';

/**
 * The secret key must never reach what a client prints, logs, emits or returns. The project key (`phc_…`) is
 * public (every event carries it), the secret key (`phx_…` / `phs_…`) opens the whole project.
 */

const SECRET = 'phx_Secret0123456789abcdefSECRET';
const WRONG_SERVER_KEY = 'phx_the_server_wants_another_key';

let server: LocalPostHog | undefined;
let client: PostHog | undefined;

afterEach(async () => {
  await client?.shutdown(2000);
  client = undefined;
  await server?.stop();
  server = undefined;
});

/** Everything a value shows when logged: inspected deeply with hidden fields, causes included. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, { depth: 20, showHidden: true, getters: true });
}

function recordingLogger(lines: string[]): NonNullable<PostHogOptions['logger']> {
  const log =
    (level: string) =>
    (...args: unknown[]): void => {
      lines.push(`${level} ${args.map(shown).join(' ')}`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('the secret key', () => {
  it('is in no log line, emitted error or returned value, on any failure path, with debug on', async () => {
    server = await startLocalPostHog({ secretKey: WRONG_SERVER_KEY });
    const lines: string[] = [];
    client = new PostHog('phc_project', {
      host: server.url,
      personalApiKey: SECRET,
      logger: recordingLogger(lines),
      fetchRetryCount: 1,
      fetchRetryDelay: 1,
      requestTimeout: 300,
      featureFlagsRequestTimeoutMs: 300,
    });
    client.debug();
    client.on('*', (name, payload) => {
      lines.push(`event ${name} ${shown(payload)}`);
    });
    // Capture: rejected (401), failing (500, reset) and timing out.
    server.script(
      'capture',
      { status: 401, body: 'invalid key' },
      { status: 500 },
      { reset: true },
      { hang: true },
      { hang: true },
    );
    const returned: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      returned.push(client.capture({ distinctId: `u${i}`, event: 'e' }));
      await client.flush();
    }
    returned.push(client.capture({ distinctId: { id: 1 } as never, event: 'e' })); // refused at capture
    // Flags: the definitions route refuses the key (401), then fails (500, reset); remote calls fail too.
    server.script('definitions', { status: 500 }, { reset: true });
    server.script('flags', { status: 500 }, { reset: true }, { status: 401 });
    returned.push(await client.getFeatureFlag('f', 'u'));
    returned.push(await client.getFeatureFlagResult('f', 'u'));
    returned.push(await client.getAllFlagsAndPayloads('u'));
    returned.push(await client.getRemoteConfigPayload('f'));
    returned.push(await client.reloadFeatureFlags().catch((error: unknown) => error));
    returned.push(client.captureException(new Error('boom'), 'u'));
    await client.shutdown(1000);
    returned.push(client.capture({ distinctId: 'u', event: 'after shutdown' }));
    returned.push(client.stats());

    const everything = [...lines, ...returned.map(shown)].join('\n');
    expect(lines.length).toBeGreaterThan(10); // the failures above were reported...
    expect(everything).toMatch(/401/);
    expect(everything).not.toContain(SECRET); // ...without the key
    expect(everything).not.toContain(SECRET.slice(4, 20));
  });

  it('is not in what console.log or JSON.stringify show of a client', () => {
    client = new PostHog('phc_project', {
      host: 'http://127.0.0.1:9',
      secretKey: SECRET,
      featureFlagsPollingInterval: null,
      logger: recordingLogger([]),
    });
    const printed = inspect(client, { depth: 20, showHidden: true });
    const json = JSON.stringify(client);
    expect(printed).not.toContain(SECRET);
    expect(json).not.toContain(SECRET);
    expect(JSON.parse(json)).toEqual({
      host: 'http://127.0.0.1:9',
      apiKey: 'phc_project',
      disabled: false,
      optedOut: false,
      closed: false,
      localEvaluation: true,
      offline: false,
    });
    expect(printed).toMatch(/^PostHog \{/);
    expect(printed).toContain("host: 'http://127.0.0.1:9'");
  });

  it('shows in options as [redacted] when printed or serialised, and stays readable and spreadable', () => {
    client = new PostHog('phc_project', {
      host: 'http://127.0.0.1:9/',
      personalApiKey: SECRET,
      featureFlagsPollingInterval: null,
      flushAt: 7,
      logger: recordingLogger([]),
    });
    const { options } = client;
    expect(inspect(options)).not.toContain(SECRET);
    expect(inspect(options)).toContain("personalApiKey: '[redacted]'");
    expect(JSON.parse(JSON.stringify(options))).toMatchObject({
      host: 'http://127.0.0.1:9',
      personalApiKey: '[redacted]',
      flushAt: 7,
    });
    // posthog-node's uses keep working: reading the key, and copying the options into another client.
    expect(options.personalApiKey).toBe(SECRET);
    const copy: PostHogOptions = { ...options };
    expect(copy.personalApiKey).toBe(SECRET);
    expect(Object.keys(copy)).not.toContain('toJSON');
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('is not in what a client built without one shows', () => {
    client = new PostHog('', { logger: recordingLogger([]) });
    expect(JSON.parse(JSON.stringify(client))).toMatchObject({ disabled: true, localEvaluation: false });
    expect(JSON.stringify(client.options)).toBe('{"logger":{},"host":"https://us.i.posthog.com"}');
  });
});
