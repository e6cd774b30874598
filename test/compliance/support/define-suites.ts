import { afterAll, describe, it, vi } from 'vitest';
import { startAdapter } from '../../../compliance/server.js';
import type { CaptureMode } from '../../../src/index.js';
import { loadContract, selectTests, suiteTests } from './contract.js';
import { applyErrata } from './errata.js';
import { runContractTest } from './run-contract-test.js';

/** Longest test: a 15 s wait after a flush that itself waits through retries. */
const TEST_TIMEOUT_MS = 60_000;

async function capabilitiesOf(adapterUrl: string): Promise<string[]> {
  const health: unknown = await (await fetch(`${adapterUrl}/health`)).json();
  const list = (health as { capabilities?: unknown } | null)?.capabilities;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new Error(`adapter /health has no capabilities list: ${JSON.stringify(health)}`);
  }
  return list;
}

/**
 * Registers every test of `suites` as its own vitest test, run against one in-process adapter in `mode`.
 * Tests are selected by the adapter's advertised capabilities, as the harness does; the others are listed as
 * skipped with the reason. The contract waits in real time (up to 15 s a test), so all tests of the file run
 * concurrently, each with its own mock server and test id.
 */
export async function defineComplianceSuites(mode: CaptureMode, suites: readonly string[]): Promise<void> {
  // vitest caps concurrent tests at 5 by default; the contract's tests mostly sleep, so run them all at once.
  vi.setConfig({ maxConcurrency: 1000 });
  const adapter = await startAdapter({ captureMode: mode });
  afterAll(() => adapter.close());
  const capabilities = await capabilitiesOf(adapter.url);
  const contract = loadContract();
  describe.concurrent(`compliance (capture mode ${mode})`, () => {
    for (const suite of suites) {
      const { selected, skipped } = selectTests(suiteTests(contract, suite), capabilities);
      describe.concurrent(suite, () => {
        for (const test of selected) {
          it(`${test.category} › ${test.name}`, { timeout: TEST_TIMEOUT_MS }, () =>
            runContractTest(applyErrata(test, mode), adapter.url, mode),
          );
        }
        for (const { test, reason } of skipped) it.skip(`${test.category} › ${test.name} (${reason})`);
      });
    }
  });
}
