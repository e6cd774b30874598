/**
 * `npm run demo`: a small backend scenario through posthog-ts.
 *
 * With POSTHOG_API_KEY set (and optionally POSTHOG_HOST) it sends to that PostHog; otherwise it starts the
 * bundled local PostHog-compatible server and prints what the server received.
 */
import { Groups, PostHog, Properties } from '../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../src/testing/index.js';
import { demoErrors } from './errors.js';
import { DEMO_FLAGS } from './flags.js';

const apiKey = process.env.POSTHOG_API_KEY?.trim();
const server: LocalPostHog | undefined = apiKey ? undefined : await startLocalPostHog();
const host = server?.url ?? process.env.POSTHOG_HOST?.trim() ?? 'https://us.i.posthog.com';

// The local server gets a few flag definitions; with a real PostHog, POSTHOG_SECRET_KEY enables local evaluation.
server?.setFlagDefinitions(DEMO_FLAGS);
const secretKey = server ? 'phs_demo_secret' : process.env.POSTHOG_SECRET_KEY?.trim() || undefined;
const posthog = new PostHog(apiKey ?? 'phc_demo_project_key', { host, ...(secretKey ? { secretKey } : {}) });
posthog.on('error', (error) => console.error(`  ! ${error.message}`));

console.log(`posthog-ts demo → ${server ? `local PostHog-compatible server at ${host}` : host}\n`);

// 1. A user signs up: person properties with $set / $set_once, then identify.
const userId = `demo-user-${Date.now().toString(36)}`;
posthog.capture({
  distinctId: userId,
  event: 'user signed up',
  properties: new Properties()
    .set('login_type', 'email')
    .set('is_free_trial', true)
    .set('$set', { name: 'Max Hedgehog', plan: 'trial' })
    .set('$set_once', { initial_url: '/blog' }),
});
posthog.identify({ distinctId: userId, properties: { email: 'max@example.com' } });

// 2. A backend-rendered page view.
posthog.capture({
  distinctId: userId,
  event: '$pageview',
  properties: { $current_url: 'https://example.com/pricing' },
});

// 3. The anonymous id the frontend used is linked to the user.
posthog.alias({ distinctId: userId, alias: `anon-${userId}` });

// 4. The user joins a company: a group event and the group's properties.
posthog.capture({
  distinctId: userId,
  event: 'project created',
  groups: new Groups().set('company', 'acme'),
  properties: { project: 'website' },
});
posthog.groupIdentify({
  groupType: 'company',
  groupKey: 'acme',
  properties: { name: 'Acme Inc.', employees: 11 },
});

// 5. A personless event: no distinct id, no person profile.
posthog.capture({ event: 'nightly report generated', properties: { rows: 1280 } });

// 6. A burst, as a busy endpoint would produce.
for (let i = 0; i < 500; i++) {
  posthog.capture({
    distinctId: `user-${i % 25}`,
    event: 'api request',
    properties: { path: '/orders', ms: i % 90 },
  });
}

// 7. Feature flags: boolean, multivariate with payload, a group flag; local evaluation, then remote.
console.log('feature flags:');
await posthog.waitForLocalEvaluationReady(3000);
console.log(`  local evaluation ready: ${posthog.isLocalEvaluationReady()}`);
const props = { personProperties: { plan: 'pro', email: 'max@example.com' } };
console.log(`  new-checkout for ${userId}: ${await posthog.isFeatureEnabled('new-checkout', userId, props)}`);
const variant = await posthog.getFeatureFlag('pricing-test', userId, props);
const payload = await posthog.getFeatureFlagPayload('pricing-test', userId, undefined, props);
console.log(`  pricing-test variant: ${String(variant)}, payload: ${JSON.stringify(payload)}`);
const groupFlag = await posthog.getFeatureFlag('company-beta', userId, {
  groups: { company: 'acme' },
  groupProperties: { company: { employees: 11 } },
});
console.log(`  company-beta for acme (group flag): ${String(groupFlag)}`);
const local = await posthog.getFeatureFlagResult('pricing-test', userId, props);
console.log(`  evaluated locally: ${String(local?.value)} (reason "${local?.reason}")`);
// A client without a secret key asks the server's /flags endpoint instead; both must agree.
const remoteOnly = new PostHog(apiKey ?? 'phc_demo_project_key', { host });
const remote = await remoteOnly.getFeatureFlagResult('pricing-test', userId, props);
console.log(`  evaluated remotely: ${String(remote?.value)} (reason "${remote?.reason}")`);
await remoteOnly.shutdown();
const flags = await posthog.evaluateFlags(userId, props);
posthog.capture({ distinctId: userId, event: 'checkout completed', flags, properties: { amount: 99 } });
console.log(`  snapshot keys: ${flags.keys.join(', ')} (attached to "checkout completed")`);
const explanation = await posthog.explainFeatureFlag('pricing-test', userId, props);
console.log('  explain pricing-test:');
for (const line of explanation.lines) console.log(`    ${line}`);
console.log('');

// 8. Error tracking.
await demoErrors(posthog, userId);

const started = Date.now();
await posthog.shutdown();
const stats = posthog.stats();
console.log(`shutdown() drained everything in ${Date.now() - started} ms`);
console.log('delivery stats:', JSON.stringify(stats));

if (server) {
  console.log(`\nthe server received ${server.counts.events} events in ${server.counts.requests} requests:`);
  const rows = Object.entries(server.counts.byName).sort((a, b) => b[1] - a[1]);
  for (const [name, count] of rows) console.log(`  ${String(count).padStart(5)}  ${name}`);
  console.log('\none event in full (as PostHog receives it):');
  console.log(JSON.stringify(server.eventsNamed('user signed up')[0], null, 2));
  const routeError = server
    .eventsNamed('$exception')
    .find((event) => event.properties?.$response_status_code !== undefined);
  const [first] =
    (routeError?.properties?.$exception_list as Array<Record<string, unknown>> | undefined) ?? [];
  console.log('\nthe failing route, as error tracking receives it (first frame of the stack shown):');
  console.log(
    JSON.stringify(
      {
        event: routeError?.event,
        distinct_id: routeError?.distinct_id,
        $response_status_code: routeError?.properties?.$response_status_code,
        $current_url: routeError?.properties?.$current_url,
        $exception_list: [
          {
            ...first,
            stacktrace: { frames: ((first?.stacktrace as { frames?: unknown[] })?.frames ?? []).slice(-1) },
          },
        ],
      },
      null,
      2,
    ),
  );
  await server.stop();
} else {
  console.log(`\nsent ${stats.delivered} events to ${host}; open your project's activity view to see them.`);
}
