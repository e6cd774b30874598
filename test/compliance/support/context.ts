import type { ComplianceMock, ObservedRequest } from './mock.js';
import type { Params } from './params.js';

/** Calls the adapter on behalf of one contract test, always with that test's `test_id`. */
export class AdapterClient {
  constructor(
    readonly baseUrl: string,
    readonly testId: string,
  ) {}

  /** POSTs (or GETs) one adapter endpoint; anything but 200 fails the step with the adapter's answer. */
  async call(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<unknown> {
    const url = `${this.baseUrl}${path}?test_id=${encodeURIComponent(this.testId)}`;
    const init: RequestInit = { method };
    if (method === 'POST') {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body ?? {});
    }
    const response = await fetch(url, init);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`adapter ${method} ${path} -> ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}

/** What the steps of one contract test share. */
export interface StepContext {
  readonly adapter: AdapterClient;
  readonly mock: ComplianceMock;
  /** Results of the non-assertion steps so far, oldest first, for `assert_action_result*`. */
  readonly results: unknown[];
  /** Capture-path requests recorded so far. */
  requests(): ObservedRequest[];
}

/** One contract action: adapter calls return their result; assertions throw on failure. */
export type Action = (params: Params, ctx: StepContext) => Promise<unknown> | unknown;
