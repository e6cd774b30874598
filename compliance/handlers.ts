import type { CaptureMode } from '../src/index.js';
import { LIB_NAME, VERSION } from '../src/version.js';
import { parseGetFeatureFlag } from './flag-request.js';
import { HttpError, type JsonObject } from './http-util.js';
import { parseCapture, parseInit } from './requests.js';
import type { SdkInstances } from './sdk-instances.js';

/** Bumped when the adapter's behaviour changes, independently of the SDK version. */
export const ADAPTER_VERSION = '1.1.0';

/** What a handler needs: the instances and the capture mode the adapter was started with. */
export interface AdapterContext {
  readonly instances: SdkInstances;
  readonly captureMode: CaptureMode;
}

/** One call: its parsed body and the harness's test id (absent without parallel mode). */
export interface Call {
  readonly body: JsonObject;
  readonly testId: string | undefined;
}

export type Handler = (ctx: AdapterContext, call: Call) => Promise<JsonObject> | JsonObject;

/**
 * Capabilities select the harness's suites and tests, so they list only what this SDK passes. The
 * feature_flags suite needs none: it has no `requires`, and contract 1.2 defines no capability string for
 * flags, so the harness runs it against every adapter (`/get_feature_flag` is part of the base interface).
 */
export function capabilities(mode: CaptureMode): string[] {
  return [mode === 'v1' ? 'capture_v1' : 'capture_v0', 'capture_ai_v0', 'encoding_gzip'];
}

const health: Handler = (ctx) => ({
  sdk_name: LIB_NAME,
  sdk_version: VERSION,
  adapter_version: ADAPTER_VERSION,
  supports_parallel: true,
  capabilities: capabilities(ctx.captureMode),
});

const init: Handler = async (ctx, call) => {
  const request = parseInit(call.body);
  try {
    await ctx.instances.init(call.testId, request);
  } catch (error) {
    // The constructor throws ConfigError for options it cannot use (a malformed host, for example).
    throw new HttpError(400, error instanceof Error ? error.message : String(error));
  }
  return { success: true };
};

const capture: Handler = (ctx, call) => {
  const instance = ctx.instances.get(call.testId);
  const result = instance.client.capture(parseCapture(call.body));
  if (!result.ok) throw new HttpError(400, result.error.message);
  return { success: true, uuid: result.uuid };
};

const captureAi: Handler = (ctx, call) => {
  const instance = ctx.instances.get(call.testId);
  const uuid = instance.client.captureAi(parseCapture(call.body));
  // captureAi only returns undefined on refusal; the reason was just reported on the `error` event.
  if (uuid === undefined) throw new HttpError(400, instance.lastErrorMessage ?? 'the SDK refused the event');
  return { success: true, uuid };
};

const flush: Handler = async (ctx, call) => {
  const { client } = ctx.instances.get(call.testId);
  const before = client.stats().delivered;
  // The SDK's flush resolves once every earlier event is delivered or given up on, retries included.
  await client.flush();
  return { success: true, events_flushed: client.stats().delivered - before };
};

const state: Handler = (ctx, call) => ({ ...ctx.instances.get(call.testId).state() });

const reset: Handler = async (ctx, call) => {
  await ctx.instances.reset(call.testId);
  return { success: true };
};

/**
 * Evaluates one flag. The SDK's getFeatureFlag never throws: an unknown flag or a failed `/flags` call is
 * `undefined`, answered as `value: null` so the field is always there. Its `$feature_flag_called` event goes
 * through the instance's ordinary capture queue, so `/flush` delivers it and `/state` counts it.
 */
const getFeatureFlag: Handler = async (ctx, call) => {
  const { key, distinctId, options } = parseGetFeatureFlag(call.body);
  const { client } = ctx.instances.get(call.testId);
  const value = await client.getFeatureFlag(key, distinctId, options);
  return { success: true, value: value ?? null };
};

/** The routes, keyed by `METHOD path`. */
export const ROUTES: ReadonlyMap<string, Handler> = new Map([
  ['GET /health', health],
  ['POST /init', init],
  ['POST /capture', capture],
  ['POST /capture_ai', captureAi],
  ['POST /flush', flush],
  ['GET /state', state],
  ['POST /reset', reset],
  ['POST /get_feature_flag', getFeatureFlag],
]);
