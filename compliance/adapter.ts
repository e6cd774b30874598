/**
 * The posthog-ts compliance adapter, for PostHog's SDK compliance harness.
 *
 *   npm run compliance:adapter -- --port 8080 --host 0.0.0.0 --capture-mode v1
 */
import { parseArgs } from 'node:util';
import type { CaptureMode } from '../src/index.js';
import { startAdapter } from './server.js';

function options(): { port: number; host: string; captureMode: CaptureMode } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'capture-mode': { type: 'string', default: 'v0' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535`);
  const mode = values['capture-mode'];
  if (mode !== 'v0' && mode !== 'v1') throw new Error('--capture-mode must be v0 or v1');
  return { port, host: values.host, captureMode: mode };
}

async function main(): Promise<void> {
  const adapter = await startAdapter(options());
  console.log(`posthog-ts compliance adapter listening on ${adapter.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    adapter.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// A stray rejection inside an SDK instance must not take down the adapter the harness is talking to.
process.on('unhandledRejection', (reason) => console.error('unhandled rejection:', reason));

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
