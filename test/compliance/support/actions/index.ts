import type { Action } from '../context.js';
import { ADAPTER_STEPS } from './adapter-steps.js';
import { EVENT_ASSERTS } from './event-asserts.js';
import { FEATURE_FLAGS_SUITE_ACTIONS, FLAG_ASSERTS } from './flag-asserts.js';
import { REQUEST_ASSERTS } from './request-asserts.js';
import { RESPONSE_ASSERTS } from './response-asserts.js';
import { RETRY_ASSERTS } from './retry-asserts.js';

/** Every contract action the runner implements, by its contract name. */
export const ACTIONS: ReadonlyMap<string, Action> = new Map([
  ...ADAPTER_STEPS,
  ...REQUEST_ASSERTS,
  ...EVENT_ASSERTS,
  ...FLAG_ASSERTS,
  ...RETRY_ASSERTS,
  ...RESPONSE_ASSERTS,
]);

/** Per suite, the actions whose subject differs from the capture suites' (see FEATURE_FLAGS_SUITE_ACTIONS). */
const SUITE_ACTIONS: ReadonlyMap<string, ReadonlyMap<string, Action>> = new Map([
  ['feature_flags', FEATURE_FLAGS_SUITE_ACTIONS],
]);

/** The action a step of `suite` runs, or `undefined` when the runner does not implement it. */
export function actionFor(suite: string, name: string): Action | undefined {
  return SUITE_ACTIONS.get(suite)?.get(name) ?? ACTIONS.get(name);
}

/** Assertions do not replace the "last action result" that assert_action_result* inspects. */
export function isAssertion(action: string): boolean {
  return action.startsWith('assert_');
}
