import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, HttpException, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { lastValueFrom, of, throwError } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { PostHogInterceptor, type PostHogInterceptorOptions } from '../../src/integrations/nestjs.js';
import { createRecordingClient, type RecordingClient } from '../../src/testing/index.js';
import {
  asyncBoom,
  expectRequestContext,
  flushUntil,
  get,
  helloRoute,
  repeatedIdHeaderTest,
  rootException,
} from './middleware-helpers.js';

/**
 * The interceptor in a real Nest 11 application on Express, over loopback HTTP. The controller is declared by
 * calling Nest's decorators as functions, so the test needs no decorator compilation.
 */

let recording: RecordingClient | undefined;
let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  await recording?.client.shutdown();
  app = undefined;
  recording = undefined;
});

class OrdersController {
  async hello(): Promise<string> {
    await helloRoute((recording as RecordingClient).client);
    return 'hi';
  }
  async boom(): Promise<never> {
    return asyncBoom();
  }
  missing(): never {
    throw new HttpException('no such order', 404);
  }
}
Controller()(OrdersController);
for (const [method, path] of [
  ['hello', 'hello'],
  ['boom', 'boom'],
  ['missing', 'missing'],
] as const) {
  const descriptor = Object.getOwnPropertyDescriptor(
    OrdersController.prototype,
    method,
  ) as PropertyDescriptor;
  Get(path)(OrdersController.prototype, method, descriptor);
}
class AppModule {}
Module({ controllers: [OrdersController] })(AppModule);

async function start(
  options: PostHogInterceptorOptions,
  clientOptions: Parameters<typeof createRecordingClient>[0] = {},
): Promise<{ base: string; recording: RecordingClient }> {
  recording = createRecordingClient(clientOptions);
  const nest = await NestFactory.create(AppModule, { logger: false });
  nest.useGlobalInterceptors(new PostHogInterceptor(recording.client, options));
  await nest.listen(0, '127.0.0.1');
  app = nest;
  const { port } = nest.getHttpServer().address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, recording };
}

describe('NestJS interceptor', () => {
  it('gives events in a handler the request context, across awaits', async () => {
    const { base, recording } = await start({});
    expect((await get(base, '/hello?x=1')).text).toBe('hi');
    const [event] = await flushUntil(recording, 'hello seen', 1);
    expectRequestContext(event, 'GET', '/hello');
    expect(event?.properties.$current_url).toMatch(/\/hello\?x=1$/);
  });

  repeatedIdHeaderTest(() => start({}));

  it('takes the distinct id from getDistinctId first, then the header', async () => {
    const { base, recording } = await start({
      getDistinctId: (request: { headers: Record<string, string> }) => request.headers['x-user'],
    });
    await fetch(`${base}/hello`, { headers: { 'x-user': 'signed-in', 'X-POSTHOG-DISTINCT-ID': 'header' } });
    await fetch(`${base}/hello`, { headers: { 'X-POSTHOG-DISTINCT-ID': 'header' } });
    const events = await flushUntil(recording, 'hello seen', 2);
    expect(events.map((e) => e.distinct_id).sort()).toEqual(['header', 'signed-in']);
  });

  it('captures server errors with their status and leaves Nest to answer; 4xx only below minStatusToCapture', async () => {
    const { base, recording } = await start({ captureExceptions: true });
    const boom = await get(base, '/boom');
    expect(boom.status).toBe(500);
    expect(JSON.parse(boom.text)).toMatchObject({ statusCode: 500 }); // Nest's own exception filter
    expect((await get(base, '/missing')).status).toBe(404);
    const [event] = await flushUntil(recording, '$exception', 1);
    await recording.client.flush();
    expect(recording.eventsNamed('$exception')).toHaveLength(1); // not the 404
    expect(rootException(event)).toMatchObject({
      value: 'async boom',
      mechanism: { type: 'middleware', handled: false },
    });
    expect(event?.properties.$response_status_code).toBe(500);
    expectRequestContext(event, 'GET', '/boom');
  });

  it('applies minStatusToCapture to errors that carry a status only, as posthog-node does', async () => {
    const { base, recording } = await start({ captureExceptions: { minStatusToCapture: 501 } });
    await get(base, '/boom');
    const [event] = await flushUntil(recording, '$exception', 1);
    expect(rootException(event)?.value).toBe('async boom');
  });

  it('passes non-HTTP handlers and unreadable requests through untouched, never throwing', async () => {
    recording = createRecordingClient();
    const interceptor = new PostHogInterceptor(recording.client, { captureExceptions: true });
    const handled = { handle: () => of('result') };
    const rpc = { getType: () => 'rpc', switchToHttp: () => ({ getRequest: () => ({}) as never }) };
    expect(await lastValueFrom(interceptor.intercept(rpc, handled))).toBe('result');
    const odd = {
      switchToHttp: () => ({ getRequest: () => ({ url: 42, headers: 'x', method: {} }) as never }),
    };
    expect(await lastValueFrom(interceptor.intercept(odd, handled))).toBe('result');
  });

  it('rethrows exactly what the handler threw, even an error whose getStatus cannot be read', async () => {
    recording = createRecordingClient();
    const interceptor = new PostHogInterceptor(recording.client, { captureExceptions: true });
    const thrown = new Proxy(new Error('db down'), {
      get(target, key, receiver) {
        if (key === 'getStatus') throw new Error('lazy field lookup failed');
        return Reflect.get(target, key, receiver);
      },
    });
    const http = {
      getType: () => 'http',
      switchToHttp: () => ({
        getRequest: () => ({ url: '/boom', method: 'GET', headers: {} }) as never,
        getResponse: () => ({ statusCode: 500 }) as never,
      }),
    };
    const failing = { handle: () => throwError(() => thrown) };
    await expect(lastValueFrom(interceptor.intercept(http as never, failing))).rejects.toBe(thrown);
  });

  it('captures 4xx with minStatusToCapture 400, and nothing without captureExceptions', async () => {
    const first = await start({ captureExceptions: { minStatusToCapture: 400 } });
    await get(first.base, '/missing');
    const [event] = await flushUntil(first.recording, '$exception', 1);
    expect(event?.properties.$response_status_code).toBe(404);
    await app?.close();
    await first.recording.client.shutdown();

    const second = await start({});
    await get(second.base, '/boom');
    await get(second.base, '/hello');
    await flushUntil(second.recording, 'hello seen', 1);
    expect(second.recording.eventsNamed('$exception')).toHaveLength(0);
  });
});
