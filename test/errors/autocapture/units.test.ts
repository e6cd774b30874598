import { afterEach, describe, expect, it } from 'vitest';
import {
  installExceptionAutocapture,
  isIgnoredRejection,
  TypeRateLimiter,
  unhandledRejectionsMode,
} from '../../../src/exceptions/autocapture/index.js';
import { reasonFromWarning } from '../../../src/exceptions/autocapture/rejection-warning.js';
import type { ExceptionItem } from '../../../src/index.js';
import { createRecordingClient, type RecordingClient } from '../../../src/testing/index.js';

describe('unhandledRejectionsMode', () => {
  it('reads execArgv over NODE_OPTIONS, last flag wins, default throw', () => {
    expect(unhandledRejectionsMode([], undefined)).toBe('throw');
    expect(unhandledRejectionsMode(['--unhandled-rejections=warn'], '--unhandled-rejections=strict')).toBe(
      'warn',
    );
    expect(unhandledRejectionsMode([], '--max-old-space-size=100 --unhandled-rejections=none')).toBe('none');
    expect(unhandledRejectionsMode(['--unhandled-rejections', 'strict'], undefined)).toBe('strict');
    expect(
      unhandledRejectionsMode(
        ['--unhandled-rejections=warn', '--unhandled-rejections=warn-with-error-code'],
        '',
      ),
    ).toBe('warn-with-error-code');
    expect(unhandledRejectionsMode(['--unhandled-rejections=bogus'], undefined)).toBe('throw');
  });
});

describe('TypeRateLimiter', () => {
  it('allows a burst per type, then refills slowly', () => {
    let now = 0;
    const limiter = new TypeRateLimiter({ bucketSize: 10, refillPerSecond: 0.1 }, () => now);
    const burst = Array.from({ length: 15 }, () => limiter.take('TypeError'));
    expect(burst.filter(Boolean)).toHaveLength(10);
    expect(limiter.take('RangeError')).toBe(true);
    now += 9_999;
    expect(limiter.take('TypeError')).toBe(false);
    now += 1;
    expect(limiter.take('TypeError')).toBe(true);
    expect(limiter.take('TypeError')).toBe(false);
  });
});

describe('ignored rejections and warnings', () => {
  it('skips aborts and framework control flow only', () => {
    expect(isIgnoredRejection(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isIgnoredRejection(Object.assign(new Error('x'), { digest: 'DYNAMIC_SERVER_USAGE;abc' }))).toBe(
      true,
    );
    expect(isIgnoredRejection({ $$typeof: Symbol.for('react.postpone') })).toBe(true);
    expect(isIgnoredRejection(new Error('real'))).toBe(false);
    expect(isIgnoredRejection('AbortError')).toBe(false);
  });

  it("rebuilds the reason from Node's rejection warning", () => {
    const stack = 'TypeError: bad\n    at f (file:///a.js:1:2)';
    const rebuilt = reasonFromWarning({ name: 'UnhandledPromiseRejectionWarning', message: stack });
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt).toMatchObject({ name: 'TypeError', message: 'bad', stack });
    expect(reasonFromWarning({ name: 'UnhandledPromiseRejectionWarning', message: 'plain' })).toBe('plain');
    expect(
      reasonFromWarning({
        name: 'UnhandledPromiseRejectionWarning',
        message: 'Unhandled promise rejection. This error originated…',
      }),
    ).toBeUndefined();
    expect(reasonFromWarning({ name: 'DeprecationWarning', message: 'x' })).toBeUndefined();
  });
});

// What Node does first for an uncaught exception, done by hand; the monitor never changes the outcome.
const emitter: NodeJS.EventEmitter = process;

describe('installExceptionAutocapture in process', () => {
  const recordings: RecordingClient[] = [];
  afterEach(async () => {
    await Promise.all(recordings.splice(0).map((recording) => recording.client.shutdown()));
  });

  const counts = () =>
    ['uncaughtExceptionMonitor', 'uncaughtException', 'newListener', 'removeListener'].map((event) =>
      process.listenerCount(event),
    );

  it('shares one set of process listeners between clients and removes it with the last', async () => {
    const before = counts();
    const a = createRecordingClient();
    const b = createRecordingClient();
    recordings.push(a, b);
    const stopA = installExceptionAutocapture(a.client, { mode: 'throw' });
    const during = counts();
    const stopB = installExceptionAutocapture(b.client, { mode: 'throw' });
    expect(counts()).toEqual(during);
    expect(during[0]).toBe((before[0] ?? 0) + 1);

    emitter.emit('uncaughtExceptionMonitor', new TypeError('seen by both'), 'uncaughtException');
    await Promise.all([a.client.flush(), b.client.flush()]);
    for (const recording of [a, b]) {
      const list = recording.events[0]?.properties.$exception_list as ExceptionItem[];
      expect(list[0]).toMatchObject({
        type: 'TypeError',
        value: 'seen by both',
        mechanism: { type: 'onuncaughtexception', handled: false },
      });
    }
    stopA();
    expect(counts()).toEqual(during);
    stopB();
    expect(counts()).toEqual(before);
  });

  /** Runs `body` with the test runner's own unhandledRejection listeners away, so the application's can be simulated. */
  async function withoutRunnerListeners(body: (recording: RecordingClient) => Promise<void>): Promise<void> {
    const recording = createRecordingClient();
    recordings.push(recording);
    const runner = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    try {
      await body(recording);
    } finally {
      for (const listener of runner) process.on('unhandledRejection', listener);
    }
  }

  it('follows application unhandledRejection listeners in throw mode', async () => {
    await withoutRunnerListeners(async (recording) => {
      const stop = installExceptionAutocapture(recording.client, { mode: 'throw' });
      expect(process.listenerCount('unhandledRejection')).toBe(0); // listening would silence Node's crash
      const app = () => {};
      process.on('unhandledRejection', app);
      await Promise.resolve(); // the SDK joins after the call that added the listener
      expect(process.listeners('unhandledRejection')).toHaveLength(2);
      expect(process.listeners('unhandledRejection')[1]).toBe(app);
      process.off('unhandledRejection', app);
      expect(process.listenerCount('unhandledRejection')).toBe(0);
      stop();
    });
  });

  it('leaves no listener behind when the application adds its own in the tick the last client stops', async () => {
    await withoutRunnerListeners(async (recording) => {
      const stop = installExceptionAutocapture(recording.client, { mode: 'throw' });
      const app = () => {};
      process.on('unhandledRejection', app); // a graceful-shutdown routine, say
      stop(); // before the SDK's check of the new listener has run
      await Promise.resolve();
      await Promise.resolve();
      // Only the application's: a leftover SDK listener would keep Node from crashing on later rejections.
      expect(process.listeners('unhandledRejection')).toEqual([app]);
      process.off('unhandledRejection', app);
      expect(process.listenerCount('unhandledRejection')).toBe(0);
    });
  });

  it('stops capturing for a client that was shut down', async () => {
    const recording = createRecordingClient({ logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const stop = installExceptionAutocapture(recording.client, { mode: 'throw' });
    const before = process.listenerCount('uncaughtExceptionMonitor');
    await recording.client.shutdown();
    emitter.emit('uncaughtExceptionMonitor', new Error('after shutdown'), 'uncaughtException');
    expect(process.listenerCount('uncaughtExceptionMonitor')).toBe(before - 1);
    stop();
  });
});
