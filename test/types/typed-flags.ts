import type {
  AnyFlags,
  FeatureFlagEvaluations,
  FlagsAndPayloads,
  FlagValue,
  JsonValue,
  TypedFeatureFlagEvaluations,
} from '../../src/index.js';
import { PostHog } from '../../src/index.js';
import { createRecordingClient } from '../../src/testing/index.js';

/**
 * Type-level tests of typed flags: checked by `npm run typecheck`, never run. Each `@ts-expect-error` fails the
 * type-check when the line below it compiles, and each `Is<…>` fails when the two types differ.
 */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function is<T extends true>(_check?: T): void {}

/** A project's flags, as an interface: a boolean flag and an experiment with two variants. */
interface Flags {
  'new-checkout': boolean;
  'pricing-test': 'control' | 'discount';
}

/** Payloads of some of them; a type alias this time. */
type Payloads = {
  'pricing-test': { price: number; currency: string };
};

export async function typed(): Promise<void> {
  const posthog = new PostHog<Flags, Payloads>('phc_x');

  const variant = await posthog.getFeatureFlag('pricing-test', 'user-1');
  is<Equal<typeof variant, 'control' | 'discount' | false | undefined>>();
  const onOff = await posthog.getFeatureFlag({ key: 'new-checkout', distinctId: 'user-1' });
  is<Equal<typeof onOff, boolean | undefined>>();
  // @ts-expect-error a key the flag map does not declare
  await posthog.getFeatureFlag('new-chekout', 'user-1');
  // @ts-expect-error same, in the object form
  await posthog.isFeatureEnabled({ key: 'typo', distinctId: 'user-1' });
  await posthog.isFeatureEnabled('new-checkout', 'user-1');

  const payload = await posthog.getFeatureFlagPayload('pricing-test', 'user-1', 'discount');
  is<Equal<typeof payload, { price: number; currency: string } | null | undefined>>();
  // @ts-expect-error 'blue' is not a variant of pricing-test
  await posthog.getFeatureFlagPayload('pricing-test', 'user-1', 'blue');
  // @ts-expect-error same, in the object form
  await posthog.getFeatureFlagPayload({ key: 'pricing-test', distinctId: 'user-1', matchValue: 'blue' });
  await posthog.getFeatureFlagPayload({ key: 'pricing-test', distinctId: 'user-1', matchValue: 'discount' });
  const untypedPayload = await posthog.getFeatureFlagPayload('new-checkout', 'user-1');
  is<Equal<typeof untypedPayload, JsonValue | null | undefined>>();
  const remote = await posthog.getRemoteConfigPayload('pricing-test');
  is<Equal<typeof remote, { price: number; currency: string } | undefined>>();

  const all = await posthog.getAllFlags('user-1');
  is<Equal<typeof all, { 'new-checkout'?: boolean; 'pricing-test'?: 'control' | 'discount' | false }>>();
  const both = await posthog.getAllFlagsAndPayloads('user-1');
  is<
    Equal<(typeof both.featureFlagPayloads)['pricing-test'], { price: number; currency: string } | undefined>
  >();

  const snapshot = await posthog.evaluateFlags('user-1');
  const fromSnapshot = snapshot.getFlag('pricing-test');
  is<Equal<typeof fromSnapshot, 'control' | 'discount' | false | undefined>>();
  // @ts-expect-error not a declared key
  snapshot.isEnabled('typo');
  is<Equal<typeof snapshot.keys, string[]>>();
  // A typed snapshot goes to capture({ flags }) as an untyped one does.
  posthog.capture({ distinctId: 'user-1', event: 'checkout', flags: snapshot.only(['pricing-test']) });
  const named: TypedFeatureFlagEvaluations<Flags, Payloads> = snapshot;
  // @ts-expect-error only() takes declared keys
  named.only(['typo']);

  await posthog.getFeatureFlagResult('new-checkout', 'user-1');
  // @ts-expect-error not a declared key
  await posthog.explainFeatureFlag('typo', 'user-1');

  // Overrides take the declared keys, values and payloads only.
  posthog.overrideFeatureFlags({ 'pricing-test': 'discount', 'new-checkout': true });
  posthog.overrideFeatureFlags(['new-checkout']);
  posthog.overrideFeatureFlags({
    flags: { 'pricing-test': 'control' },
    payloads: { 'pricing-test': { price: 1, currency: 'EUR' } },
  });
  // @ts-expect-error not a declared key
  posthog.overrideFeatureFlags({ 'pricing-tset': 'discount' });
  // @ts-expect-error not a variant of pricing-test
  posthog.overrideFeatureFlags({ flags: { 'pricing-test': 'blue' } });
  // @ts-expect-error the payload's shape
  posthog.overrideFeatureFlags({ payloads: { 'pricing-test': { price: '1' } } });

  // Its snapshot goes to captureException as to capture.
  posthog.captureException(new Error('x'), 'user-1', undefined, undefined, snapshot);
  await posthog.captureExceptionImmediate(new Error('x'), 'user-1', undefined, snapshot);
  // A typed client goes wherever a PostHog is expected (dependency injection, helpers taking a client).
  const asUntyped: PostHog = posthog;
  const untypedValue = await asUntyped.getFeatureFlag('any-key', 'user-1');
  is<Equal<typeof untypedValue, FlagValue | undefined>>();
  const aliasTyped: PostHog = new PostHog<{ 'a-flag': boolean }>('phc_x');
  void aliasTyped;
}

export async function untyped(): Promise<void> {
  // Without type arguments nothing changes: any key, any value, as posthog-node's signatures.
  const posthog = new PostHog('phc_x');
  const value = await posthog.getFeatureFlag(`flag-${Date.now()}`, 'user-1');
  is<Equal<typeof value, FlagValue | undefined>>();
  const all = await posthog.getAllFlags('user-1');
  is<Equal<typeof all, Record<string, FlagValue>>>();
  const payload = await posthog.getFeatureFlagPayload('any', 'user-1');
  is<Equal<typeof payload, JsonValue | null | undefined>>();
  const snapshot = await posthog.evaluateFlags('user-1');
  is<Equal<typeof snapshot, FeatureFlagEvaluations>>();
  is<Equal<ReturnType<typeof snapshot.getFlagPayload>, JsonValue | null | undefined>>();
  const both = await posthog.getAllFlagsAndPayloads('user-1');
  is<Equal<typeof both, FlagsAndPayloads>>();
  // No `any` anywhere: the untyped defaults are read as untyped.
  const remote = await posthog.getRemoteConfigPayload('any');
  is<Equal<typeof remote, JsonValue | undefined>>();
  const enabled = await posthog.isFeatureEnabled('any', 'user-1');
  is<Equal<typeof enabled, boolean | undefined>>();
  const objectPayload = await posthog.getFeatureFlagPayload({
    key: 'any',
    distinctId: 'user-1',
    matchValue: 'v',
  });
  is<Equal<typeof objectPayload, JsonValue | null | undefined>>();
  const read = snapshot.getFlag('any');
  is<Equal<typeof read, FlagValue | undefined>>();
  const explicit = new PostHog<AnyFlags>('phc_x');
  is<Equal<Awaited<ReturnType<typeof explicit.getAllFlags>>, Record<string, FlagValue>>>();
}

export async function recording(): Promise<void> {
  const { client } = createRecordingClient<Flags, Payloads>();
  client.overrideFeatureFlags({ 'pricing-test': 'discount' });
  const variant = await client.getFeatureFlag('pricing-test', 'user-1');
  is<Equal<typeof variant, 'control' | 'discount' | false | undefined>>();
  // @ts-expect-error not a declared key
  await client.isFeatureEnabled('typo', 'user-1');
}

/** A flag map whose values are not flag values is refused. */
// @ts-expect-error numbers are not flag values
export const refused = new PostHog<{ 'bad-flag': number }>('phc_x');

export async function indexSignature(): Promise<void> {
  // A map with an index signature keeps its value types: any key, each read typed by the map.
  const posthog = new PostHog<Record<string, boolean>, Record<string, { price: number }>>('phc_x');
  const value = await posthog.getFeatureFlag(`flag-${Date.now()}`, 'user-1');
  is<Equal<typeof value, boolean | undefined>>();
  const payload = await posthog.getFeatureFlagPayload('any', 'user-1');
  is<Equal<typeof payload, { price: number } | null | undefined>>();
}
