import { setTimeout as sleep } from 'node:timers/promises';
import type { RouteGroup, ScriptedResponse, V1Result } from '../../../../src/testing/index.js';
import { isObject } from '../checks.js';
import type { Action } from '../context.js';
import type { Params } from '../params.js';

/** The contract's defaults for `init`: the test key and this test's mock server. */
const init: Action = (params, ctx) =>
  ctx.adapter.call('POST', '/init', { api_key: 'phc_test_key', host: ctx.mock.url, ...params.raw });

const capture: Action = (params, ctx) => ctx.adapter.call('POST', '/capture', { ...params.raw });

const captureAi: Action = (params, ctx) => ctx.adapter.call('POST', '/capture_ai', { ...params.raw });

/** Replaces `{index}` in every string of a template, however deeply nested. */
function fillTemplate(value: unknown, index: number): unknown {
  if (typeof value === 'string') return value.replaceAll('{index}', String(index));
  if (Array.isArray(value)) return value.map((item) => fillTemplate(item, index));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillTemplate(v, index)]));
  return value;
}

const captureMultiple: Action = async (params, ctx) => {
  const count = params.integer('count');
  const template = params.object('params');
  const results: unknown[] = [];
  // One after another, as a caller would: the order of the events in the batch is part of some assertions.
  for (let i = 0; i < count; i++) {
    results.push(
      await ctx.adapter.call('POST', '/capture', fillTemplate(template, i) as Record<string, unknown>),
    );
  }
  return results;
};

const flush: Action = (_params, ctx) => ctx.adapter.call('POST', '/flush');

const reset: Action = (_params, ctx) => ctx.adapter.call('POST', '/reset');

const getFeatureFlag: Action = (params, ctx) =>
  ctx.adapter.call('POST', '/get_feature_flag', { ...params.raw });

function v1Result(value: unknown): V1Result {
  if (typeof value === 'string') return value as V1Result;
  if (isObject(value) && typeof value.result === 'string') {
    return typeof value.details === 'string'
      ? { result: value.result, details: value.details }
      : { result: value.result };
  }
  throw new Error(`configure_mock_responses: bad v1_event_results entry ${JSON.stringify(value)}`);
}

/** The contract's mock response, in LocalPostHog's script vocabulary. */
function scripted(value: unknown): ScriptedResponse {
  if (!isObject(value)) throw new Error('configure_mock_responses: each response must be a mapping');
  const response: ScriptedResponse = {};
  if (typeof value.status_code === 'number') response.status = value.status_code;
  if (isObject(value.headers)) {
    response.headers = Object.fromEntries(Object.entries(value.headers).map(([k, v]) => [k, String(v)]));
  }
  if (typeof value.body === 'string') response.body = value.body;
  if (Array.isArray(value.v1_event_results)) response.v1Results = value.v1_event_results.map(v1Result);
  return response;
}

/**
 * `configure_mock_responses` for a suite whose requests of interest are `group`'s: capture suites script the
 * capture endpoints, the feature_flags suite scripts `/flags` (see SUITE_ACTIONS).
 */
export function configureMockResponses(group: RouteGroup): Action {
  return (params: Params, ctx) => {
    ctx.mock.script(group, params.list('responses').map(scripted));
  };
}

/** Real time: retry delays and Retry-After are part of what the contract checks. */
const wait: Action = async (params) => {
  await sleep(params.integer('duration_ms'));
};

export const ADAPTER_STEPS: ReadonlyMap<string, Action> = new Map([
  ['init', init],
  ['capture', capture],
  ['capture_ai', captureAi],
  ['capture_multiple', captureMultiple],
  ['flush', flush],
  ['reset', reset],
  ['get_feature_flag', getFeatureFlag],
  ['configure_mock_responses', configureMockResponses('capture')],
  ['wait', wait],
]);
