import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileFlagDefinitionCache } from '../../../src/index.js';
import { useLocalServer } from '../../helpers/local-server.js';

const ON = { key: 'on', active: true, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } };
const OFF = { key: 'off', active: false, filters: { groups: [] } };

const dir = mkdtempSync(path.join(tmpdir(), 'posthog-ts-defs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(dir, `definitions-${files++}.json`);
const definitionRequests = (server: { requests: readonly { route: string }[] }) =>
  server.requests.filter((r) => r.route === 'definitions').length;

describe('fileFlagDefinitionCache', () => {
  const local = useLocalServer();

  it('stores each fetch in the file, atomically, and a process that cannot fetch evaluates from it', async () => {
    const file = newFile();
    local.server.setFlagDefinitions({ flags: [ON, OFF] });
    const first = local.client({
      secretKey: 'phs_x',
      flagDefinitionCacheProvider: fileFlagDefinitionCache(file),
    });
    expect(await first.waitForLocalEvaluationReady(2000)).toBe(true);
    await first.reloadFeatureFlags(); // joins the first load, which stores what it fetched after applying it
    expect(JSON.parse(readFileSync(file, 'utf8')).flags.map((f: { key: string }) => f.key)).toEqual([
      'on',
      'off',
    ]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    // PostHog is down when the next process starts: it has the file's definitions instead of none.
    local.server.script('definitions', { status: 503 });
    const second = local.client({
      secretKey: 'phs_x',
      flagDefinitionCacheProvider: fileFlagDefinitionCache(file),
    });
    expect(await second.waitForLocalEvaluationReady(2000)).toBe(true);
    expect(await second.getFeatureFlag('on', 'user-1', { onlyEvaluateLocally: true })).toBe(true);
    expect(definitionRequests(local.server)).toBe(2);
  });

  it('with maxAgeMs, a process reads a fresh file instead of fetching, and fetches once it is older', async () => {
    const file = newFile();
    writeFileSync(file, JSON.stringify({ flags: [ON] }));
    const options = { secretKey: 'phs_x', featureFlagsPollingInterval: 0 };
    const reader = local.client({
      ...options,
      flagDefinitionCacheProvider: fileFlagDefinitionCache(file, { maxAgeMs: 60_000 }),
    });
    expect(await reader.waitForLocalEvaluationReady(2000)).toBe(true);
    expect(await reader.getFeatureFlag('on', 'user-1', { onlyEvaluateLocally: true })).toBe(true);
    expect(definitionRequests(local.server)).toBe(0);

    const old = (Date.now() - 120_000) / 1000;
    utimesSync(file, old, old);
    local.server.setFlagDefinitions({ flags: [OFF] });
    const fetcher = local.client({
      ...options,
      flagDefinitionCacheProvider: fileFlagDefinitionCache(file, { maxAgeMs: 60_000 }),
    });
    expect(await fetcher.waitForLocalEvaluationReady(2000)).toBe(true);
    await fetcher.reloadFeatureFlags();
    expect(definitionRequests(local.server)).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).flags.map((f: { key: string }) => f.key)).toEqual(['off']);
  });

  it('with maxAgeMs, a process that fetches marks the file fresh, so a 304 keeps it fresh for the others', async () => {
    const file = newFile();
    local.server.setFlagDefinitions({ flags: [ON] });
    const poller = local.client({
      secretKey: 'phs_x',
      featureFlagsPollingInterval: 0,
      flagDefinitionCacheProvider: fileFlagDefinitionCache(file, { maxAgeMs: 60_000 }),
    });
    expect(await poller.waitForLocalEvaluationReady(2000)).toBe(true);
    await poller.reloadFeatureFlags();
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(file, old, old);
    await poller.reloadFeatureFlags(); // stale: this process fetches, and PostHog answers 304
    expect(local.server.requests.filter((r) => r.route === 'definitions').map((r) => r.status)).toEqual([
      200, 304,
    ]);
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(10_000);
    // A fetch that fails leaves only the claim, which runs out after 15 s, so another process tries soon.
    utimesSync(file, old, old);
    local.server.script('definitions', { status: 503 });
    await poller.reloadFeatureFlags();
    const age = Date.now() - statSync(file).mtimeMs;
    expect(age).toBeGreaterThan(40_000);
    expect(age).toBeLessThan(50_000);
    const reader = local.client({
      secretKey: 'phs_x',
      flagDefinitionCacheProvider: fileFlagDefinitionCache(file, { maxAgeMs: 60_000 }),
    });
    expect(await reader.waitForLocalEvaluationReady(2000)).toBe(true);
    expect(definitionRequests(local.server)).toBe(3); // the reader read the file
  });

  it('fetches when the file is missing, and reports an unreadable one without losing the fetch', async () => {
    local.server.setFlagDefinitions({ flags: [ON] });
    const errors: unknown[] = [];
    const missing = local.client({
      secretKey: 'phs_x',
      flagDefinitionCacheProvider: fileFlagDefinitionCache(path.join(dir, 'absent', 'definitions.json')),
    });
    missing.on('error', (error) => errors.push(error));
    expect(await missing.waitForLocalEvaluationReady(2000)).toBe(true);
    await missing.reloadFeatureFlags();
    // The directory does not exist: storing fails, is reported, and evaluation goes on.
    expect(errors).toHaveLength(1);
    expect(await missing.getFeatureFlag('on', 'user-1', { onlyEvaluateLocally: true })).toBe(true);

    const corrupt = newFile();
    writeFileSync(corrupt, '{"flags": [');
    local.server.script('definitions', { status: 503 });
    const reader = local.client({
      secretKey: 'phs_x',
      flagDefinitionCacheProvider: fileFlagDefinitionCache(corrupt),
    });
    const readerErrors: { kind?: string }[] = [];
    reader.on('error', (error) => readerErrors.push(error as { kind?: string }));
    await reader.reloadFeatureFlags();
    expect(readerErrors.map((e) => e.kind)).toContain('cache_provider');
    expect(reader.isLocalEvaluationReady()).toBe(false);
  });
});
