/**
 * Scenario 4: delivery under injected faults. The throughput loop (scenarios/throughput.mjs) against a server
 * answering 20% of capture requests with 500/503/429/413 and resetting 2% of connections (seeded).
 * Retry delays are shortened through SDK options (see run.mjs for the values used).
 * delivered = unique uuids the server accepted; lost = events - delivered; duplicated = server's duplicates.
 */
import { run as throughput } from './throughput.mjs';

export const FAULTS = { seed: 42, errorRate: 0.2, statuses: [500, 503, 429, 413], resetRate: 0.02 };

export function run({ sdk, events, retryDelayMs = 50, seed = FAULTS.seed, waitTimeoutMs = 300_000 }) {
  return throughput({ sdk, events, faults: { ...FAULTS, seed }, retryDelayMs, waitTimeoutMs });
}
