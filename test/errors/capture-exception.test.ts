import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExceptionItem, newDefaultException, PostHog } from '../../src/index.js';
import { startLocalPostHog } from '../../src/testing/index.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/recording-client.js';

let recording: RecordingClient;

afterEach(async () => {
  await recording?.client.shutdown();
});

function list(event: { properties: Record<string, unknown> } | undefined): ExceptionItem[] {
  return event?.properties.$exception_list as ExceptionItem[];
}

describe('captureException', () => {
  it('sends $exception with the cause chain, frames in PostHog order and source context', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    function failingQuery(): never {
      throw new Error('query failed', { cause: new TypeError('socket closed') });
    }
    let thrown: unknown;
    try {
      failingQuery();
    } catch (error) {
      thrown = error;
    }
    const result = client.captureException(thrown, 'user-1', { route: '/orders' });
    expect(result.ok).toBe(true);
    await client.flush();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      event: '$exception',
      distinct_id: 'user-1',
      uuid: result.ok ? result.uuid : '',
    });
    expect(event.properties).toMatchObject({ route: '/orders', $exception_level: 'error' });
    const [root, cause] = list(event);
    expect(root).toMatchObject({
      type: 'Error',
      value: 'query failed',
      mechanism: { type: 'generic', handled: true },
    });
    expect(cause).toMatchObject({
      type: 'TypeError',
      value: 'socket closed',
      mechanism: { type: 'chained', source: 'cause', parent_id: 0 },
    });
    const frames = root!.stacktrace!.frames;
    const throwing = frames[frames.length - 1]!;
    expect(throwing.function).toContain('failingQuery');
    expect(throwing.filename).toBe('test/errors/capture-exception.test.ts');
    expect(throwing.in_app).toBe(true);
    expect(throwing.context_line).toContain("throw new Error('query failed'");
  });

  it('handles non-Error throwables and personless captures', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    client.captureException('Uncaught TypeError: boom');
    client.captureException({ code: 42, reason: 'bad' });
    client.captureException(null);
    await client.flush();
    expect(events.map((e) => list(e)[0]?.type)).toEqual(['TypeError', 'Error', 'Error']);
    expect(events.every((e) => e.properties.$process_person_profile === false)).toBe(true);
    expect(list(events[0])[0]?.mechanism).toMatchObject({ synthetic: true });
  });

  it('an exception captured just before shutdown() is delivered', async () => {
    const server = await startLocalPostHog();
    const client = new PostHog('phc_test', { host: server.url });
    client.captureException(new Error('last words'), 'u');
    await client.shutdown();
    expect(server.eventsNamed('$exception')).toHaveLength(1);
    await server.stop();
  });

  it('captureExceptionImmediate resolves once the event is delivered', async () => {
    recording = createRecordingClient();
    const result = await recording.client.captureExceptionImmediate(new RangeError('now'), 'u');
    expect(result.ok).toBe(true);
    expect(recording.events).toHaveLength(1);
  });

  it('newDefaultException builds the Go-style message with the call site stack', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    const when = new Date(Date.UTC(2025, 0, 1));
    client.enqueue(newDefaultException(when, 'u', 'DatabaseError', 'connection refused'));
    await client.flush();
    const [item] = list(events[0]);
    expect(events[0]?.timestamp).toBe('2025-01-01T00:00:00.000Z');
    expect(item).toMatchObject({ type: 'DatabaseError', value: 'connection refused' });
    expect(item?.stacktrace?.frames.at(-1)?.filename).toContain('capture-exception.test.ts');
  });

  it('the same error object reported twice in one turn is one event; in a later turn it is another', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    const error = new Error('twice');
    const first = client.captureException(error, 'u');
    const second = client.captureException(error, 'u');
    expect(second).toEqual(first);
    await new Promise((resolve) => setTimeout(resolve, 5));
    client.captureException(error, 'u');
    await client.flush();
    expect(events).toHaveLength(2);
  });

  it("skips errors flagged as already captured, and lets the caller's own $exception_list win", async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    const seen = Object.assign(new Error('reported by posthog-js'), {
      __posthog_previously_captured_error: true,
    });
    const skipped = client.captureException(seen, 'u');
    expect(!skipped.ok && skipped.error.code).toBe('filtered');
    expect((await client.captureExceptionImmediate(seen, 'u')).ok).toBe(false);
    const own = [{ type: 'Custom', value: 'from the caller' }];
    client.captureException(new Error('ignored'), 'u', { $exception_list: own });
    await client.flush();
    expect(events).toHaveLength(1);
    expect(list(events[0])).toEqual(own);
  });

  it('names frame modules from the main script directory: dir.sub:file', async () => {
    const script = process.argv[1];
    // As if started with `node test/main.js`: this file is test/errors/capture-exception.test.ts.
    process.argv[1] = fileURLToPath(new URL('../main.js', import.meta.url));
    try {
      recording = createRecordingClient();
      const { client, events } = recording;
      client.captureException(new Error('where'), 'u');
      await client.flush();
      const frames = list(events[0])[0]?.stacktrace?.frames ?? [];
      expect(frames.at(-1)?.module).toBe('errors:capture-exception.test.ts');
    } finally {
      process.argv[1] = script as string;
    }
  });

  it('exceptions inherit the request context', async () => {
    recording = createRecordingClient();
    const { client, events } = recording;
    client.withContext({ distinctId: 'ctx', properties: { $current_url: 'http://x/y' } }, () => {
      client.captureException(new Error('in request'));
    });
    await client.flush();
    expect(events[0]).toMatchObject({ distinct_id: 'ctx', properties: { $current_url: 'http://x/y' } });
  });
});
