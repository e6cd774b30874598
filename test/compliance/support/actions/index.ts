import type { Action } from '../context.js';
import { ADAPTER_STEPS } from './adapter-steps.js';
import { EVENT_ASSERTS } from './event-asserts.js';
import { REQUEST_ASSERTS } from './request-asserts.js';
import { RESPONSE_ASSERTS } from './response-asserts.js';
import { RETRY_ASSERTS } from './retry-asserts.js';

/** Every contract action the runner implements, by its contract name. */
export const ACTIONS: ReadonlyMap<string, Action> = new Map([
  ...ADAPTER_STEPS,
  ...REQUEST_ASSERTS,
  ...EVENT_ASSERTS,
  ...RETRY_ASSERTS,
  ...RESPONSE_ASSERTS,
]);

/** Assertions do not replace the "last action result" that assert_action_result* inspects. */
export function isAssertion(action: string): boolean {
  return action.startsWith('assert_');
}
