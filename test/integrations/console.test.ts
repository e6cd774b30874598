import { Console } from 'node:console';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentConsole, wrapConsole } from '../../src/integrations/console.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import { exceptionList, LineSink, root } from './helpers.js';

let recording: RecordingClient | undefined;
afterEach(async () => {
  await recording?.client.shutdown();
  recording = undefined;
});

function realConsole() {
  const out = new LineSink();
  const err = new LineSink();
  return { out, err, target: new Console({ stdout: out, stderr: err }) };
}

describe('console wrapper', () => {
  it('captures warn/error; lines still print to the real console streams', async () => {
    recording = createRecordingClient();
    const { out, err, target } = realConsole();
    const log = wrapConsole(target, { client: recording.client, distinctId: () => 'u1' });
    log.log('plain %d', 1);
    log.info('info');
    log.warn('disk at %d%%', 91);
    log.error('payment failed', new TypeError('card declined'));
    log.error(new Error('alone'));
    log.table([{ a: 1 }]);
    await recording.client.flush();
    expect(out.lines[0]).toBe('plain 1');
    expect(out.lines[1]).toBe('info');
    expect(err.lines[0]).toBe('disk at 91%');
    expect(err.lines[1]).toBe('payment failed TypeError: card declined');
    expect(recording.events.map(root)).toEqual([
      { type: 'disk at 91%', value: '<no linked error>' },
      { type: 'payment failed', value: 'TypeError: card declined' },
      { type: 'Error', value: 'alone' },
    ]);
    expect(exceptionList(recording.events[1])[0]?.stacktrace?.frames.at(-1)?.filename).toContain(
      'console.test.ts',
    );
  });

  it('reads err/error fields of object arguments and honours minLevel', async () => {
    recording = createRecordingClient();
    const { target } = realConsole();
    const log = wrapConsole(target, { client: recording.client, distinctId: () => 'u1', minLevel: 'error' });
    log.warn('ignored');
    log.error('job failed', { job: 'mail', error: 'SMTP 550' });
    await recording.client.flush();
    expect(recording.events.map(root)).toEqual([
      { type: "job failed { job: 'mail', error: 'SMTP 550' }", value: 'SMTP 550' },
    ]);
  });

  it('a throwing distinct-id function does not break logging', async () => {
    recording = createRecordingClient();
    const { err, target } = realConsole();
    const log = wrapConsole(target, {
      client: recording.client,
      distinctId: () => {
        throw new Error('nope');
      },
      onError: () => {},
    });
    expect(() => log.error('still printed')).not.toThrow();
    await recording.client.flush();
    expect(err.lines).toEqual(['still printed']);
    expect(recording.events).toHaveLength(0);
  });

  it('uses the request context; instrumentConsole patches and restores', async () => {
    recording = createRecordingClient();
    const { err, target } = realConsole();
    const original = target.error;
    const restore = instrumentConsole(target, { client: recording.client });
    target.error('no id here');
    recording.client.withContext({ distinctId: 'ctx-user' }, () => target.error('with id'));
    restore();
    expect(target.error).toBe(original);
    target.error('after restore');
    await recording.client.flush();
    expect(err.lines).toEqual(['no id here', 'with id', 'after restore']);
    expect(recording.events.map((event) => [event.distinct_id, root(event).type])).toEqual([
      ['ctx-user', 'with id'],
    ]);
  });
});
