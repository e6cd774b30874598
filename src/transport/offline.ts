import type { FetchResponse } from '../api/transport.js';
import type { SdkLogger } from '../logging/sdk-logger.js';
import type { Exchange, Exchanger } from './exchange.js';

/** The endpoints that take events: `/batch/`, the AI batch endpoint and capture v1. */
const CAPTURE_PATHS =
  /^[a-z]+:\/\/[^/]+(?:\/[^?]*)?\/(?:batch\/|i\/v0\/ai\/batch\/|i\/v1\/analytics\/events)(?:\?|$)/i;

const ACCEPTED: FetchResponse = {
  status: 200,
  headers: { get: () => null },
  text: async () => '{"status":1}',
};

/**
 * The exchanger of an `offline` client: no request leaves the process. A capture request (its body is text, since
 * offline turns compression off) is answered 200 after each of its events is written to the logger at info level;
 * anything else fails as an unreachable host would, though an offline client's flag layer asks for nothing.
 */
export function offlineExchanger(logger: SdkLogger): Exchanger {
  return (url, request): Exchange => {
    const body = request.body;
    if (request.method !== 'POST' || typeof body !== 'string' || !CAPTURE_PATHS.test(url)) {
      return { response: Promise.reject(new Error(`offline: no request is made (${url})`)), abort: () => {} };
    }
    logBatch(logger, body);
    return { response: Promise.resolve(ACCEPTED), abort: () => {} };
  };
}

/** One info line per event of a capture body: its name, distinct id and JSON. */
function logBatch(logger: SdkLogger, body: string): void {
  if (!logger.debugEnabled) return; // info lines are written only after debug()
  let events: unknown[] = [];
  try {
    const parsed = JSON.parse(body) as { batch?: unknown };
    if (Array.isArray(parsed.batch)) events = parsed.batch;
  } catch {
    // Not JSON: nothing to show per event.
  }
  for (const event of events) {
    const { event: name, distinct_id: id } = (event ?? {}) as { event?: unknown; distinct_id?: unknown };
    logger.info(`offline, not sent: ${String(name)} for ${String(id)} ${JSON.stringify(event)}`);
  }
}
