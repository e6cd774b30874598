import { randomUUID } from 'node:crypto';
import { actionFor, isAssertion } from './actions/index.js';
import { check } from './checks.js';
import { AdapterClient, type StepContext } from './context.js';
import type { ContractTest } from './contract.js';
import { ComplianceMock } from './mock.js';
import { Params } from './params.js';

/** Prefixes a failure with the step it happened in, keeping the error's class and stack. */
function inStep(error: unknown, where: string): Error {
  if (error instanceof Error) {
    error.message = `${where}: ${error.message}`;
    return error;
  }
  return new Error(`${where}: ${String(error)}`);
}

/**
 * Runs one contract test the way PostHog's harness does: its own mock server, its own test id (so its own SDK
 * instance in the adapter), /reset first, then the steps in order. Throws on the first failed step.
 */
export async function runContractTest(test: ContractTest, adapterUrl: string, label: string): Promise<void> {
  const mock = await ComplianceMock.start();
  const testId = `${label}-${test.suite}-${test.name}-${randomUUID().slice(0, 8)}`;
  const adapter = new AdapterClient(adapterUrl, testId);
  const ctx: StepContext = { adapter, mock, results: [], requests: () => mock.captureRequests() };
  try {
    await adapter.call('POST', '/reset');
    for (const [i, step] of test.steps.entries()) {
      const where = `step ${i + 1} ${step.action} ${JSON.stringify(step.params)}`;
      const action = actionFor(test.suite, step.action);
      if (!action) throw new Error(`${where}: the runner does not implement this action`);
      try {
        const result = await action(new Params(step.action, step.params), ctx);
        if (!isAssertion(step.action)) ctx.results.push(result);
      } catch (error) {
        throw inStep(error, where);
      }
    }
    // Parallel isolation: everything this mock saw came from this test's SDK instance, tagged as such.
    for (const request of mock.requests()) {
      const tag = request.headers['x-test-id'];
      check(
        tag === testId,
        `request ${request.index} carried X-Test-Id ${tag ?? '(none)'}, expected ${testId}`,
      );
    }
  } finally {
    await adapter.call('POST', '/reset').catch(() => undefined);
    await mock.stop();
  }
}
