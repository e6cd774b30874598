import type * as Ours from '../../src/index.js';
import {
  cookieStateToProperties,
  cookieStoreFromHeader,
  FeatureFlagError,
  getPostHogCookieName,
  PostHog,
  parsePostHogCookie,
  readPostHogCookie,
  serializePostHogCookie,
  setupExpressErrorHandler,
  setupExpressRequestContext,
  uuidv7,
} from '../../src/index.js';
import { PostHogInterceptor } from '../../src/integrations/nestjs.js';

/**
 * Code written against posthog-node 5.70's public API, with only the import changed. It is type-checked, never run
 * (test/client/posthog-node-drop-in.test.ts runs the forms whose behaviour is new): a calling form of posthog-node
 * that posthog-ts does not accept fails `npm run typecheck`. Its tracing, metrics, logs and emails APIs are not
 * here; the README lists what posthog-ts leaves out.
 */
export async function usage(): Promise<void> {
  // Every constructor option of posthog-node's type except those of tracing, metrics, logs, emails and bots.
  const everyOption = new PostHog('phc_x', {
    host: 'https://eu.i.posthog.com',
    flushAt: 20,
    flushInterval: 10000,
    maxBatchSize: 100,
    maxQueueSize: 1000,
    requestTimeout: 10000,
    fetchRetryCount: 3,
    fetchRetryDelay: 3000,
    disableCompression: false,
    historicalMigration: false,
    disabled: false,
    defaultOptIn: true,
    isServer: true,
    waitUntil: (promise: Promise<unknown>) => void promise,
    waitUntilDebounceMs: 50,
    waitUntilMaxWaitMs: 500,
    before_send: [
      (event) => event,
      // A hook typed the posthog-node way.
      (event: Ours.EventMessage): Ours.EventMessage | null => (event.event === 'drop' ? null : event),
      (event) => (event ? { distinctId: event.distinctId, event: event.event, properties: {} } : null),
    ],
    disableGeoip: true,
    privacyMode: false,
    enableFullAiCapture: false,
    disable_capture_url_hashes: false,
    secretKey: 'phs_x',
    personalApiKey: 'phx_x',
    enableLocalEvaluation: true,
    featureFlagsPollingInterval: 30000,
    featureFlagsRequestTimeoutMs: 3000,
    featureFlagsRequestMaxRetries: 1,
    strictLocalEvaluation: false,
    sendFeatureFlagEvent: true,
    maxCacheSize: 50000,
    evaluationContexts: ['web'],
    featureFlagsLogWarnings: true,
    enableExceptionAutocapture: false,
    exceptionRateLimiterBucketSize: 10,
    exceptionRateLimiterRefillRate: 1,
    preloadFeatureFlags: false,
    bootstrap: {},
    disableRemoteFeatureFlags: false,
    disableRemoteConfig: false,
    disableSurveys: true,
    personProfiles: 'identified_only',
    sessionExpirationTimeSeconds: 1800,
    remoteConfigRequestTimeoutMs: 3000,
    addTracingHeaders: false,
    persistence: 'memory',
    readPostHogCookie: { sessionIdleTimeoutSeconds: 1800, optOutCapturingByDefault: false },
  });
  await everyOption.shutdown();
  // Options read from the environment are `string | undefined`; under exactOptionalPropertyTypes too.
  const fromEnv = new PostHog('phc_x', {
    host: process.env.POSTHOG_HOST,
    secretKey: process.env.POSTHOG_SECRET_KEY,
    personalApiKey: process.env.POSTHOG_PERSONAL_API_KEY,
    flushAt: process.env.FLUSH_AT ? Number(process.env.FLUSH_AT) : undefined,
    enableLocalEvaluation: undefined,
    preloadFeatureFlags: undefined,
  });
  await fromEnv.shutdown();
  // Custom transports as posthog-node users pass them: the global fetch, a wrapper, a minimal fake.
  const withFetch = [
    new PostHog('phc_x', { fetch: globalThis.fetch }),
    new PostHog('phc_x', { fetch: (url, init) => fetch(url, init) }),
    new PostHog('phc_x', {
      fetch: async () => ({ status: 200, text: async () => '{}', json: async () => ({}) }),
    }),
  ];
  for (const client of withFetch) await client.shutdown();
  // posthog-node/nestjs's interceptor, as its docs write it.
  const interceptor = new PostHogInterceptor(everyOption, {
    captureExceptions: { minStatusToCapture: 400 },
    getDistinctId: (req) => req.user?.id,
  });
  console.log(interceptor);
  // posthog-js cookie helpers.
  const cookies = cookieStoreFromHeader('a=1');
  const state = readPostHogCookie(cookies, 'phc_x') ?? parsePostHogCookie(serializePostHogCookie(uuidv7()));
  const cookieProps: Record<string, string> | undefined = cookieStateToProperties(state);
  console.log(getPostHogCookieName('phc_x'), state?.distinctId, state?.isIdentified, cookieProps);
  const posthog = new PostHog('phc_x', {
    host: 'http://127.0.0.1:1',
    personalApiKey: 'phx_x',
    flushAt: 20,
    flushInterval: 10000,
  });
  posthog.capture({
    distinctId: 'u',
    event: 'e',
    properties: { a: 1 },
    groups: { company: 'c' },
    sendFeatureFlags: true,
    timestamp: new Date(),
    uuid: uuidv7(),
    disableGeoip: true,
  });
  await posthog.captureImmediate({ distinctId: 'u', event: 'e' });
  const id: string | undefined = posthog.captureAi({ distinctId: 'u', event: '$ai_generation' });
  const id2: string | undefined = await posthog.captureAiImmediate({
    distinctId: 'u',
    event: '$ai_generation',
  });
  posthog.identify({ distinctId: 'u', properties: { $set: { a: 1 }, $set_once: { b: 2 } } });
  await posthog.identifyImmediate({ distinctId: 'u', properties: { a: 1 } });
  posthog.setPersonProperties({ distinctId: 'u', properties: { a: 1 }, propertiesOnce: { b: 1 } });
  posthog.unsetPersonProperties({ distinctId: 'u', properties: ['a'] });
  posthog.alias({ distinctId: 'u', alias: 'v' });
  await posthog.aliasImmediate({ distinctId: 'u', alias: 'v' });
  posthog.groupIdentify({ groupType: 'company', groupKey: 'c', properties: { name: 'C' } });
  await posthog.groupIdentifyImmediate({
    groupType: 'company',
    groupKey: 'c',
    properties: { name: 'C' },
    distinctId: 'u',
  });
  const enabled: boolean | undefined = await posthog.isFeatureEnabled('f', 'u', {
    groups: { company: 'c' },
    personProperties: { plan: 'pro' },
    groupProperties: { company: { size: 3 } },
    onlyEvaluateLocally: true,
    sendFeatureFlagEvents: false,
    disableGeoip: true,
  });
  const value = await posthog.getFeatureFlag('f', 'u', { onlyEvaluateLocally: false });
  const payload = await posthog.getFeatureFlagPayload('f', 'u', 'variant', { onlyEvaluateLocally: true });
  const payload2 = await posthog.getFeatureFlagPayload('f', 'u');
  const result = await posthog.getFeatureFlagResult('f', 'u', { sendFeatureFlagEvents: false });
  const result2 = await posthog.getFeatureFlagResult('f');
  const result3 = await posthog.getFeatureFlagResult('f', { personProperties: { a: 'b' } });
  if (result) console.log(result.key, result.enabled, result.variant, result.payload);
  const all = await posthog.getAllFlags('u', { flagKeys: ['f'] });
  const all2 = await posthog.getAllFlags();
  const all3 = await posthog.getAllFlags({ groups: { company: 'c' } });
  const both = await posthog.getAllFlagsAndPayloads('u');
  const both2 = await posthog.getAllFlagsAndPayloads({ onlyEvaluateLocally: true });
  console.log(both.featureFlags, both.featureFlagPayloads, both2);
  const flags = await posthog.evaluateFlags('u', { flagKeys: ['f'] });
  const flags2 = await posthog.evaluateFlags();
  const flags3 = await posthog.evaluateFlags({ groups: { company: 'c' } });
  const on: boolean = flags.isEnabled('f');
  const v = flags.getFlag('f');
  const p = flags.getFlagPayload('f');
  console.log(flags.keys, flags.only(['f']), flags.onlyAccessed(), flags2, flags3, on, v, p);
  posthog.capture({ distinctId: 'u', event: 'e', flags });
  const remote = await posthog.getRemoteConfigPayload('f');
  await posthog.reloadFeatureFlags();
  posthog.overrideFeatureFlags({ flags: { f: true }, payloads: { f: { a: 1 } } });
  posthog.overrideFeatureFlags(['f']);
  posthog.overrideFeatureFlags(false);
  const ready: boolean = posthog.isLocalEvaluationReady();
  const ready2: boolean = await posthog.waitForLocalEvaluationReady(1000);
  const rt = posthog.getFeatureFlagEvaluationRuntime('f');
  const keys: string[] = posthog.getFeatureFlagKeysByEvaluationRuntime('server');
  posthog.withContext(
    { distinctId: 'u', sessionId: 's', properties: { a: 1 } },
    () => posthog.capture({ event: 'e' }),
    { fresh: true },
  );
  posthog.enterContext({ distinctId: 'u' });
  const ctx = posthog.getContext();
  posthog.captureException(new Error('x'), 'u', { a: 1 }, uuidv7(), flags);
  await posthog.captureExceptionImmediate(new Error('x'), 'u', { a: 1 }, flags);
  posthog.register({ a: 1 });
  posthog.unregister('a');
  posthog.debug();
  posthog.debug(false);
  const off = posthog.on('error', (e) => console.log(e));
  off();
  posthog.on('flush', (m) => console.log(m));
  posthog.on('localEvaluationFlagsLoaded', (n) => console.log(n));
  await posthog.disable();
  await posthog.enable();
  await posthog.disable().then(() => undefined);
  const opted: boolean = posthog.optedOut;
  const disabled: boolean = posthog.isDisabled;
  const libId: string = posthog.getLibraryId();
  const libVersion: string = posthog.getLibraryVersion();
  const host: string = posthog.host;
  const opts = posthog.options;
  await posthog.flush();
  await posthog.shutdown(1000);
  await posthog.shutdown();
  const app = { use: (_m: unknown) => app };
  setupExpressRequestContext(posthog, app);
  setupExpressErrorHandler(posthog, app);
  console.log(
    id,
    id2,
    enabled,
    value,
    payload,
    payload2,
    result2,
    result3,
    all,
    all2,
    all3,
    remote,
    ready,
    ready2,
    rt,
    keys,
    ctx,
    opted,
    disabled,
    libId,
    libVersion,
    host,
    opts,
  );
}

/** Every type name posthog-node exports from its main entry (tracing, metrics, emails and cookies aside). */
export type NodeTypeNames = [
  Ours.CookieStore,
  Ours.PostHogCookieState,
  Ours.AllFlagsOptions,
  Ours.BaseFlagEvaluationOptions,
  Ours.BeforeSendFn,
  Ours.EventMessage,
  Ours.FeatureFlagBucketingIdentifier,
  Ours.FeatureFlagCondition,
  Ours.FeatureFlagErrorType,
  Ours.FeatureFlagEvaluationRuntime,
  Ours.FeatureFlagOverrideOptions,
  Ours.FeatureFlagResult,
  Ours.FlagDefinitionCacheProvider,
  Ours.FlagEvaluationOptions,
  Ours.FlagProperty,
  Ours.FlagPropertyValue,
  Ours.GroupIdentifyMessage,
  Ours.IPostHog,
  Ours.IdentifyMessage,
  Ours.OverrideFeatureFlagsOptions,
  Ours.PostHogFeatureFlag,
  Ours.PostHogOptions,
  Ours.PropertyGroup,
  Ours.SendFeatureFlagsOptions,
  Ours.SetPersonPropertiesMessage,
  Ours.UnresolvedFlagReason,
  Ours.UnsetPersonPropertiesMessage,
];

/** `$feature_flag_error` values compared the posthog-node way. */
export function isMissing(error: string | undefined): boolean {
  return error === FeatureFlagError.FLAG_MISSING || error === FeatureFlagError.apiError(404);
}

/** `IPostHog` is implementable by a plain object (a test double): it names only public members. */
export type Implementable = { [K in keyof Ours.IPostHog]: Ours.IPostHog[K] } extends Ours.IPostHog
  ? true
  : false;
export const implementable: Implementable = true;
