import { afterEach, describe, expect, it } from 'vitest';
import { describeLinkedError, findLinkedError, NO_LINKED_ERROR } from '../../src/integrations/log-error.js';
import { exceptionLevel, levelRank } from '../../src/integrations/log-levels.js';
import { LoggerCapture, logFieldsAsProperties } from '../../src/integrations/logger-capture.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import { exceptionList, root } from './helpers.js';

let recording: RecordingClient | undefined;
afterEach(async () => {
  await recording?.client.shutdown();
  recording = undefined;
});

describe('finding the record error', () => {
  const error = new TypeError('bad input');
  const cases: Array<[string, Record<string, unknown>, unknown]> = [
    ['err', { err: error }, error],
    ['error', { error }, error],
    ['Error (case-insensitive)', { Error: error }, error],
    ['ERR (case-insensitive)', { ERR: error }, error],
    ['a wrapper with a cause', { error: { cause: error } }, error],
    ['a nested err field', { err: { error: { cause: error } } }, error],
    ['a string', { err: 'disk full' }, 'disk full'],
    ['a number', { error: 42 }, 42],
    ['null is skipped for the next key', { err: null, error }, error],
    ['no error field', { message: 'x', reason: error }, undefined],
  ];
  it.each(cases)('%s', (_name, fields, expected) => {
    expect(findLinkedError(fields)).toBe(expected);
  });

  it('stops on self-referencing wrappers', () => {
    const loop: Record<string, unknown> = {};
    loop.error = loop;
    expect(findLinkedError({ err: loop })).toBe(loop);
  });

  it('describes what it found', () => {
    expect(describeLinkedError(undefined)).toBe(NO_LINKED_ERROR);
    expect(describeLinkedError(new Error('plain'))).toBe('plain');
    expect(describeLinkedError(new RangeError('too big'))).toBe('RangeError: too big');
    expect(describeLinkedError('text')).toBe('text');
    expect(describeLinkedError(7)).toBe('7');
    expect(describeLinkedError({ code: 'E1' })).toBe('Object captured as exception with keys: code');
  });
});

describe('levels', () => {
  it('places every logger on one scale', () => {
    expect(levelRank('warn')).toBe(40);
    expect(levelRank('WARNING')).toBe(40);
    expect(levelRank(50)).toBe(50);
    expect(levelRank('http')).toBeLessThan(levelRank('warn'));
    expect(levelRank('crit')).toBeGreaterThan(levelRank('error'));
    expect(levelRank('made-up')).toBe(30);
    expect(exceptionLevel(40)).toBe('warning');
    expect(exceptionLevel(60)).toBe('fatal');
  });
});

describe('LoggerCapture', () => {
  it('builds the exception from the record: type = message, value and stack = the error', async () => {
    recording = createRecordingClient();
    const capture = new LoggerCapture({ client: recording.client, distinctId: () => 'u1' });
    const cause = new Error('socket closed');
    const error = new TypeError('query failed', { cause });
    capture.capture({
      level: 'error',
      message: 'could not save order',
      fields: { err: error },
      time: new Date(),
    });
    await recording.client.flush();
    const [event] = recording.events;
    expect(event?.distinct_id).toBe('u1');
    expect(event?.properties.$exception_level).toBe('error');
    expect(root(event)).toEqual({ type: 'could not save order', value: 'TypeError: query failed' });
    const list = exceptionList(event);
    expect(list[0]?.mechanism).toMatchObject({ type: 'generic', handled: true, synthetic: false });
    expect(list[0]?.stacktrace?.frames.at(-1)?.filename).toContain('logger-capture.test.ts');
    expect(list[1]).toMatchObject({ type: 'Error', value: 'socket closed', mechanism: { source: 'cause' } });
  });

  it('uses the fallback value and the call-site stack when the record has no error', async () => {
    recording = createRecordingClient();
    const capture = new LoggerCapture({ client: recording.client, distinctId: () => 'u1' });
    capture.capture({ level: 'warn', message: 'disk almost full', fields: {}, time: new Date() });
    await recording.client.flush();
    const [event] = recording.events;
    expect(root(event)).toEqual({ type: 'disk almost full', value: NO_LINKED_ERROR });
    expect(exceptionList(event)[0]?.mechanism?.synthetic).toBe(true);
    expect(event?.properties.$exception_level).toBe('warning');
  });

  it('adds fingerprint and opt-in properties', async () => {
    recording = createRecordingClient();
    const capture = new LoggerCapture({
      client: recording.client,
      distinctId: (record) => record.fields.user as string,
      fingerprint: () => 'orders-save',
      properties: logFieldsAsProperties,
    });
    capture.capture({
      level: 50,
      message: 'failed',
      fields: { user: 'u9', orderId: 12, err: new Error('x') },
      time: new Date(),
    });
    await recording.client.flush();
    expect(recording.events[0]?.properties).toMatchObject({
      $exception_fingerprint: 'orders-save',
      user: 'u9',
      orderId: 12,
      err: 'Error: x',
    });
  });

  it('captures nothing without a distinct id, unless the request context has one', async () => {
    recording = createRecordingClient();
    const { client } = recording;
    const capture = new LoggerCapture({ client });
    const record = { level: 'error', message: 'boom', fields: {}, time: new Date() };
    capture.capture(record);
    client.withContext({ distinctId: 'from-context', sessionId: 's1' }, () => capture.capture(record));
    await client.flush();
    expect(recording.events).toHaveLength(1);
    expect(recording.events[0]?.distinct_id).toBe('from-context');
    expect(recording.events[0]?.properties.$session_id).toBe('s1');
  });

  it('skips records below the minimum level', async () => {
    recording = createRecordingClient();
    const capture = new LoggerCapture({
      client: recording.client,
      minLevel: 'error',
      distinctId: () => 'u1',
    });
    capture.capture({ level: 'warn', message: 'w', fields: {}, time: new Date() });
    capture.capture({ level: 'info', message: 'i', fields: {}, time: new Date() });
    await recording.client.flush();
    expect(recording.events).toHaveLength(0);
    expect(capture.enabled('error')).toBe(true);
    expect(capture.enabled('warn')).toBe(false);
  });

  it('a throwing callback skips the capture and is reported once', async () => {
    recording = createRecordingClient();
    const reported: string[] = [];
    const capture = new LoggerCapture({
      client: recording.client,
      distinctId: () => {
        throw new Error('no user');
      },
      onError: (_error, source) => reported.push(source),
    });
    const record = { level: 'error', message: 'boom', fields: {}, time: new Date() };
    expect(() => capture.capture(record)).not.toThrow();
    await recording.client.flush();
    expect(recording.events).toHaveLength(0);
    expect(reported).toEqual(['distinctId']);
  });
});
