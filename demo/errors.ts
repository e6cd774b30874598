/** The demo's error-tracking part: a handled exception, a logger warning, and a failing route. */
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import type { PostHog } from '../src/index.js';
import { posthogErrorHandler, posthogRequestContext } from '../src/integrations/express.js';
import { posthogPinoHooks } from '../src/integrations/pino.js';

export async function demoErrors(posthog: PostHog, userId: string): Promise<void> {
  console.log('error tracking:');

  // 1. A handled exception, with its cause.
  try {
    throw new Error('payment provider timed out', { cause: new Error('ETIMEDOUT 10.0.0.7:443') });
  } catch (error) {
    posthog.captureException(error, userId, { provider: 'acme-pay' });
  }
  console.log('  captured a handled exception (with its cause chain)');

  // 2. A logger warning becomes an exception; the line still goes to the log.
  const logger = pino(
    { hooks: posthogPinoHooks({ client: posthog, distinctId: (record) => record.fields.userId as string }) },
    pino.destination({ dest: 1, sync: true }),
  );
  logger.warn({ userId, err: new Error('stock service answered 503') }, 'inventory sync failed');

  // 3. A failing route behind the Express middleware: the request context and status code come along.
  const app = express();
  app.use(posthogRequestContext(posthog));
  app.get('/orders/:id', () => {
    throw new Error('order store unavailable');
  });
  app.use(posthogErrorHandler(posthog));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  console.log(
    "  GET /orders/42 (Express's own error handler still runs and prints the stack, as it always does):",
  );
  const response = await fetch(`http://127.0.0.1:${port}/orders/42`, {
    headers: { 'X-POSTHOG-DISTINCT-ID': userId },
  });
  console.log(`  → answered ${response.status} by Express, and captured with the request context`);
  await new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  console.log('');
}
