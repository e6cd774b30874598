import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { posthogLogMethod, posthogPinoHooks } from '../../src/integrations/pino.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import { exceptionList, LineSink, root } from './helpers.js';

let recording: RecordingClient | undefined;
afterEach(async () => {
  await recording?.client.shutdown();
  recording = undefined;
});

function setup(options: Partial<Parameters<typeof posthogLogMethod>[0]> = {}, level = 'info') {
  recording = createRecordingClient();
  const sink = new LineSink();
  const logger = pino(
    {
      level,
      hooks: posthogPinoHooks({
        client: recording.client,
        distinctId: (record) => record.fields.userId as string | undefined,
        ...options,
      }),
    },
    sink,
  );
  return { logger, sink, recording };
}

function parsed(sink: LineSink): Array<Record<string, unknown>> {
  return sink.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('pino integration', () => {
  it('captures warn and above; every line still reaches the destination unchanged', async () => {
    const { logger, sink, recording } = setup();
    const error = new TypeError('card declined');
    logger.info({ userId: 'u1' }, 'just info');
    logger.warn({ userId: 'u1', orderId: 7 }, 'retrying %s', 'payment');
    logger.error({ userId: 'u1', err: error }, 'payment failed');
    await recording.client.flush();
    const lines = parsed(sink);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [30, 'just info'],
      [40, 'retrying payment'],
      [50, 'payment failed'],
    ]);
    expect((lines[2]?.err as { message: string } | undefined)?.message).toBe('card declined');
    expect(recording.events.map(root)).toEqual([
      { type: 'retrying payment', value: '<no linked error>' },
      { type: 'payment failed', value: 'TypeError: card declined' },
    ]);
    expect(recording.events.map((event) => event.distinct_id)).toEqual(['u1', 'u1']);
    expect(recording.events[1]?.properties.$exception_level).toBe('error');
    expect(exceptionList(recording.events[1])[0]?.stacktrace?.frames.at(-1)?.filename).toContain(
      'pino.test.ts',
    );
    // Fields are opt-in properties.
    expect(recording.events[0]?.properties.orderId).toBeUndefined();
  });

  it('reads an Error logged on its own, child bindings and a minimum level', async () => {
    const { logger, sink, recording } = setup({ minLevel: 'error' });
    const child = logger.child({ userId: 'u2' });
    child.warn('not captured');
    child.error(new RangeError('out of stock'));
    child.fatal({ error: { cause: new Error('db down') } }, 'crashing');
    await recording.client.flush();
    expect(sink.lines).toHaveLength(3);
    expect(recording.events.map(root)).toEqual([
      { type: 'out of stock', value: 'RangeError: out of stock' },
      { type: 'crashing', value: 'db down' },
    ]);
    expect(recording.events[1]?.properties.$exception_level).toBe('fatal');
  });

  it('a throwing distinct-id function does not break logging', async () => {
    const onError: unknown[] = [];
    const { logger, sink, recording } = setup({
      distinctId: () => {
        throw new Error('lookup failed');
      },
      onError: (error) => onError.push(error),
    });
    expect(() => logger.error('still logged')).not.toThrow();
    await recording.client.flush();
    expect(parsed(sink)[0]?.msg).toBe('still logged');
    expect(recording.events).toHaveLength(0);
    expect(onError).toHaveLength(1);
  });

  it('uses the request context distinct id', async () => {
    const { logger, recording } = setup({ distinctId: undefined });
    logger.error('outside any context');
    recording.client.withContext({ distinctId: 'ctx-user' }, () => logger.error('inside'));
    await recording.client.flush();
    expect(recording.events.map((event) => [event.distinct_id, root(event).type])).toEqual([
      ['ctx-user', 'inside'],
    ]);
  });

  it('chains an existing logMethod hook', async () => {
    recording = createRecordingClient();
    const sink = new LineSink();
    const logger = pino(
      {
        hooks: {
          logMethod: posthogLogMethod({
            client: recording.client,
            distinctId: () => 'u3',
            logMethod(args, method) {
              method.apply(this, [`[app] ${String(args[0])}`]);
            },
          }),
        },
      },
      sink,
    );
    logger.warn('careful');
    await recording.client.flush();
    expect(parsed(sink)[0]?.msg).toBe('[app] careful');
    expect(root(recording.events[0]).type).toBe('[app] careful');
  });
});
