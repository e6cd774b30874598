import { type Acceptance, type Answer, errorAnswer, v1ResultsBody } from './answers.js';
import type { ReceivedEvent } from './types.js';

const BATCH_OK = JSON.stringify({ status: 'Ok' });
const NO_EVENTS: readonly ReceivedEvent[] = Object.freeze([]);

/**
 * The events a capture body carries: the objects in its `batch` array. The array itself is returned when every
 * item is an object, which is the normal case and spares a copy per request on the benchmark path.
 */
export function extractEvents(body: unknown): readonly ReceivedEvent[] {
  const batch = (body as { batch?: unknown } | null | undefined)?.batch;
  if (!Array.isArray(batch)) return NO_EVENTS;
  for (const item of batch) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return batch.filter(
        (x): x is ReceivedEvent => typeof x === 'object' && x !== null && !Array.isArray(x),
      );
    }
  }
  return batch as ReceivedEvent[];
}

function hasBatch(body: unknown): boolean {
  return Array.isArray((body as { batch?: unknown } | null | undefined)?.batch);
}

/** The normal answer to `/batch/` and `/i/v0/ai/batch/`: `{"status":"Ok"}`, or 400 for a body that is not a batch. */
export function defaultBatchAnswer(body: unknown): Answer {
  if (!hasBatch(body)) return errorAnswer(400, 'Request body is not a JSON object with a batch array');
  return {
    kind: 'respond',
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: BATCH_OK,
    delayMs: 0,
    accept: 'all',
  };
}

/** The normal answer to capture v1: every event `ok`, keyed by uuid. */
export function defaultV1Answer(body: unknown, events: readonly ReceivedEvent[]): Answer {
  if (!hasBatch(body)) return errorAnswer(400, 'Request body is not a JSON object with a batch array');
  const { body: results } = v1ResultsBody(events);
  let accept: Acceptance = 'all';
  // Without a uuid an event gets no result, and a v1 client treats a missing result as dropped.
  if (events.some((event) => typeof event.uuid !== 'string')) {
    accept = new Map(Object.keys(results.results).map((uuid) => [uuid, 'ok']));
  }
  return {
    kind: 'respond',
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(results),
    delayMs: 0,
    accept,
  };
}
