import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, PostHog, PostHogClient } from '../../src/index.js';
import { webPlatform } from '../../src/platform/web.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('constructor options', () => {
  it.each([
    [{ host: 'ftp://example.com' }, 'host'],
    [{ host: 'not a url' }, 'host'],
    [{ flushAt: 0 }, 'flushAt'],
    [{ flushAt: 1.5 }, 'flushAt'],
    [{ maxBatchSize: -1 }, 'maxBatchSize'],
    [{ maxQueueSize: Number.NaN }, 'maxQueueSize'],
    [{ flushInterval: -5 }, 'flushInterval'],
    [{ requestTimeout: '10' }, 'requestTimeout'],
    [{ fetchRetryCount: -1 }, 'fetchRetryCount'],
    [{ personalApiKey: 'phc_project_key' }, 'personalApiKey'],
    [{ secretKey: ' phc_project_key' }, 'secretKey'],
    [{ queueOverflow: 'block' }, 'queueOverflow'],
    [{ captureMode: 'v2' }, 'captureMode'],
    [{ before_send: 'nope' }, 'before_send'],
    [{ logger: { warn() {} } }, 'logger'],
    [{ fetch: 42 }, 'fetch'],
    [{ compressionLevel: 0 }, 'compressionLevel'],
    [{ compressionLevel: 10 }, 'compressionLevel'],
    [{ compressionLevel: 2.5 }, 'compressionLevel'],
  ])('throws a ConfigError naming the option for %j', (options, option) => {
    let error: unknown;
    try {
      new PostHog('phc_key', options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe(option);
    expect((error as ConfigError).message).toContain(option);
  });

  it('never prints a secret in the error message', () => {
    try {
      new PostHog('phc_key', { secretKey: 'phc_abcdefghijklmnopqrstuvwxyz' });
    } catch (error) {
      expect((error as Error).message).not.toContain('abcdefghijklmnop');
    }
  });

  it.each(['phs_abcdefghijklmnopqrstuvwxyz', ' phx_abcdefghijklmnopqrstuvwxyz'])(
    'refuses a secret key given as the project API key (%s), without showing it',
    (key) => {
      let error: unknown;
      try {
        new PostHog(key, { logger: silent });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('apiKey');
      expect((error as ConfigError).message).toMatch(/project API key \(phc_…\)/);
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
        'abcdefghijklmnop',
      );
    },
  );

  it('accepts valid options, trims the host and raises maxBatchSize to flushAt', async () => {
    const client = new PostHog('phc_key', { host: 'http://localhost:8000///', flushAt: 500, logger: silent });
    expect((client as unknown as { config: { host: string; maxBatchSize: number } }).config).toMatchObject({
      host: 'http://localhost:8000',
      maxBatchSize: 500,
    });
    await client.shutdown();
  });

  it('documents its defaults in one exported object', () => {
    expect(DEFAULTS).toMatchObject({
      flushAt: 20,
      flushInterval: 5000,
      maxBatchSize: 100,
      maxQueueSize: 10_000,
    });
  });

  it('disables itself with one clear error when the API key is empty', async () => {
    const errors: string[] = [];
    const client = new PostHog('  ', { logger: { ...silent, error: (m: string) => errors.push(m) } });
    expect(client.isDisabled).toBe(true);
    const result = client.capture({ distinctId: 'u', event: 'e' });
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error.code).toBe('disabled');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('API key');
    await client.flush();
    await client.shutdown();
  });

  it('warns once that compressionLevel is ignored where the runtime cannot set a level, and only there', async () => {
    const warned = (options: object, platform: 'node' | 'web') => {
      const warnings: string[] = [];
      const logger = { ...silent, warn: (m: string) => warnings.push(m) };
      const client =
        platform === 'web'
          ? new PostHogClient('phc_key', { ...options, logger }, webPlatform)
          : new PostHog('phc_key', { ...options, logger });
      void client.shutdown();
      return warnings.filter((m) => m.includes('compressionLevel'));
    };
    expect(warned({ compressionLevel: 9 }, 'web')).toEqual([
      expect.stringContaining('compressionLevel 9 is ignored on this runtime'),
    ]);
    expect(warned({}, 'web')).toEqual([]);
    expect(warned({ compressionLevel: 9 }, 'node')).toEqual([]);
  });
});
