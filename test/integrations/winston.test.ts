import { afterEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { PostHogTransport, type PostHogTransportOptions } from '../../src/integrations/winston.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import { exceptionList, LineSink, root } from './helpers.js';

let recording: RecordingClient | undefined;
afterEach(async () => {
  await recording?.client.shutdown();
  recording = undefined;
});

function setup(options: Partial<PostHogTransportOptions> = {}) {
  recording = createRecordingClient();
  const sink = new LineSink();
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [
      new winston.transports.Stream({ stream: sink }),
      new PostHogTransport({
        client: recording.client,
        distinctId: (record) => record.fields.userId as string | undefined,
        ...options,
      }),
    ],
  });
  return { logger, sink, recording };
}

async function settle(logger: winston.Logger, client: RecordingClient['client']): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  expect(logger).toBeDefined();
  await client.flush();
}

describe('winston PostHogTransport', () => {
  it('captures warn and above; the other transport still gets every line', async () => {
    const { logger, sink, recording } = setup();
    logger.info('hello', { userId: 'u1' });
    logger.warn('slow query', { userId: 'u1', ms: 900 });
    logger.error('payment failed', { userId: 'u1', err: new TypeError('card declined') });
    await settle(logger, recording.client);
    expect(sink.lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'hello',
      'slow query',
      'payment failed',
    ]);
    expect(recording.events.map(root)).toEqual([
      { type: 'slow query', value: '<no linked error>' },
      { type: 'payment failed', value: 'TypeError: card declined' },
    ]);
    expect(recording.events[0]?.properties.$exception_level).toBe('warning');
  });

  it('reads an Error passed as meta or logged on its own', async () => {
    const { logger, recording } = setup({ distinctId: () => 'u2' });
    const cause = new Error('timeout');
    logger.error('could not reach bank', new Error('upstream failed', { cause }));
    logger.error(new RangeError('bad amount'));
    await settle(logger, recording.client);
    expect(recording.events.map(root)).toEqual([
      { type: 'could not reach bank', value: 'upstream failed' },
      { type: 'bad amount', value: 'RangeError: bad amount' },
    ]);
    const list = exceptionList(recording.events[0]);
    expect(list[1]).toMatchObject({ value: 'timeout', mechanism: { source: 'cause' } });
    expect(list[0]?.stacktrace?.frames.at(-1)?.filename).toContain('winston.test.ts');
  });

  it('honours minLevel and a throwing distinct-id function', async () => {
    const errors: unknown[] = [];
    const { logger, sink, recording } = setup({
      minLevel: 'error',
      distinctId: (record) => {
        if (record.message === 'explode') throw new Error('lookup failed');
        return 'u3';
      },
      onError: (error) => errors.push(error),
    });
    logger.warn('below');
    logger.error('explode');
    logger.error('captured');
    await settle(logger, recording.client);
    expect(sink.lines).toHaveLength(3);
    expect(recording.events.map((event) => root(event).type)).toEqual(['captured']);
    expect(errors).toHaveLength(1);
  });

  it('uses the request context distinct id', async () => {
    const { logger, recording } = setup({ distinctId: undefined });
    logger.error('no context');
    recording.client.withContext({ distinctId: 'ctx-user' }, () => {
      logger.error('in context');
    });
    await settle(logger, recording.client);
    expect(recording.events.map((event) => [event.distinct_id, root(event).type])).toEqual([
      ['ctx-user', 'in context'],
    ]);
  });
});
