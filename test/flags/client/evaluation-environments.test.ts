import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors/config-error.js';
import { type FeatureFlagOptions, resolveFlagOptions } from '../../../src/flags/client/index.js';
import { closeAll, flagsBodies, setup } from './helpers.js';

afterEach(closeAll);

const on = { groups: [{ properties: [], rollout_percentage: 100 }] };

/** One flag per evaluation context, and one without tags (kept whatever the contexts). */
const TAGGED = {
  flags: [
    { id: 1, key: 'web-only', active: true, evaluation_tags: ['web'], filters: on },
    { id: 2, key: 'mobile-only', active: true, evaluation_tags: ['mobile'], filters: on },
    { id: 3, key: 'untagged', active: true, filters: on },
  ],
};

async function loaded(options: FeatureFlagOptions) {
  const h = await setup({ options: { flagDefinitions: TAGGED, ...options } });
  const flags = await h.controller.getAllFlags('user-1', { onlyEvaluateLocally: true });
  const deprecations = h.logs.filter(
    (l) => l.level === 'warn' && l.message.includes('evaluationEnvironments'),
  );
  return { h, keys: Object.keys(flags).sort(), deprecations };
}

describe('evaluationEnvironments (deprecated alias of evaluationContexts)', () => {
  it('filters definitions like evaluationContexts and is sent to /flags', async () => {
    const contexts = await loaded({ evaluationContexts: ['web'] });
    const alias = await loaded({ evaluationEnvironments: ['web'] });
    expect(contexts.keys).toEqual(['untagged', 'web-only']);
    expect(alias.keys).toEqual(contexts.keys);
    expect(contexts.deprecations).toEqual([]);

    await alias.h.controller.getFeatureFlag('not-local', 'user-1');
    expect(flagsBodies(alias.h.server)[0]?.evaluation_contexts).toEqual(['web']);
  });

  it('logs a deprecation warning once', async () => {
    const { h, deprecations } = await loaded({ evaluationEnvironments: ['web'] });
    await h.controller.getFeatureFlag('web-only', 'user-2');
    await h.controller.getAllFlags('user-3', { onlyEvaluateLocally: true });
    expect(deprecations).toHaveLength(1);
    expect(deprecations[0]?.message).toMatch(/evaluationEnvironments is deprecated; use evaluationContexts/);
    expect(h.logs.filter((l) => l.message.includes('evaluationEnvironments'))).toHaveLength(1);
  });

  it('loses to evaluationContexts when both are given, and still warns', async () => {
    const { keys, deprecations } = await loaded({
      evaluationContexts: ['mobile'],
      evaluationEnvironments: ['web'],
    });
    expect(keys).toEqual(['mobile-only', 'untagged']);
    expect(deprecations).toHaveLength(1);
    expect(deprecations[0]?.message).toMatch(/ignored because evaluationContexts is also set/);
    expect(resolveFlagOptions({ evaluationContexts: ['a'], evaluationEnvironments: ['b'] })).toMatchObject({
      evaluationContexts: ['a'],
    });
  });

  it('is validated like evaluationContexts', () => {
    expect(() => resolveFlagOptions({ evaluationEnvironments: [1] as unknown as string[] })).toThrow(
      ConfigError,
    );
    expect(() => resolveFlagOptions({ evaluationEnvironments: 'web' as unknown as string[] })).toThrow(
      /evaluationEnvironments/,
    );
    expect(resolveFlagOptions({ evaluationEnvironments: ['web'] }).evaluationContexts).toEqual(['web']);
    expect(resolveFlagOptions({ evaluationContexts: ['web'] }).deprecationWarnings).toEqual([]);
  });
});
