import { afterEach, beforeEach } from 'vitest';
import { PostHog, type PostHogOptions } from '../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../src/testing/index.js';

/** A logger that drops everything, for tests that assert on events rather than on log lines. */
export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** What {@link useLocalServer} gives a test file. */
export interface LocalServerFixture {
  /** The running test's local server. */
  readonly server: LocalPostHog;
  /** A client of the running test's server (silent, `phc_test`), shut down after the test. */
  client(options?: PostHogOptions): PostHog;
}

/**
 * A fresh local PostHog server for every test of the file, stopped after it together with every client made
 * through {@link LocalServerFixture.client}. `defaults` are options every such client gets.
 */
export function useLocalServer(defaults: PostHogOptions = {}): LocalServerFixture {
  let current: LocalPostHog | undefined;
  const clients: PostHog[] = [];
  beforeEach(async () => {
    current = await startLocalPostHog();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.shutdown(2000)));
    await current?.stop();
    current = undefined;
  });
  const fixture: LocalServerFixture = {
    get server(): LocalPostHog {
      if (current === undefined) throw new Error('the local server runs only inside a test');
      return current;
    },
    client(options = {}) {
      const client = new PostHog('phc_test', {
        host: fixture.server.url,
        logger: silentLogger,
        ...defaults,
        ...options,
      });
      clients.push(client);
      return client;
    },
  };
  return fixture;
}
