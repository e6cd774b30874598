import { cacheEntry, loadDefinitions, normaliseDefinitions } from './definitions.js';
import { fetchDefinitions } from './definitions-fetch.js';
import { FeatureFlagError } from './errors.js';
import type { DefinitionsPoller, PollerDeps } from './poller.js';

/**
 * One definitions load of the poller, coordinated with the optional cache provider: without a `secretKey`
 * read the cache; otherwise ask the provider whether this process should fetch, read what another process
 * stored when it should not, hand a fresh fetch back to the provider when it approved it, and read the provider
 * when a fetch fails before anything fresher than bootstrap definitions was loaded.
 */
export async function loadOnce(p: DefinitionsPoller): Promise<void> {
  const d = p.deps;
  const provider = d.options.flagDefinitionCacheProvider;
  if (d.secretKey === undefined) {
    if (provider !== undefined) await loadFromCache(p);
    return;
  }
  let approved = false;
  if (provider !== undefined) {
    let should = true;
    try {
      should = await bounded(d, provider.shouldFetchFlagDefinitions(), 'shouldFetchFlagDefinitions');
    } catch (error) {
      providerError(d, 'shouldFetchFlagDefinitions', error);
    }
    if (!should) {
      // Another process fetches; read what it stored. With nothing at all yet, fetch rather than wait.
      if ((await loadFromCache(p)) || p.current !== undefined) return;
    } else approved = true;
  }
  const fetched = await fetchDefinitions(p);
  if (p.stopped) return; // shut down meanwhile: the provider is closed too
  // The fetch failed with nothing fresher than bootstrap definitions loaded: what the provider holds is newer.
  if (fetched === undefined && !p.notModified && provider !== undefined) {
    if ((p.current?.source ?? 'bootstrap') === 'bootstrap') await loadFromCache(p);
    return;
  }
  // A 304 confirms the definitions fetched before: the provider stores them again, so its copy is known fresh.
  const confirmed = fetched ?? (p.notModified ? p.fetchedBody : undefined);
  if (confirmed !== undefined && approved && provider !== undefined) {
    try {
      await bounded(
        d,
        provider.onFlagDefinitionsReceived(cacheEntry(confirmed)),
        'onFlagDefinitionsReceived',
      );
    } catch (error) {
      providerError(d, 'onFlagDefinitionsReceived', error);
    }
  }
}

/**
 * A provider call, bounded like a definitions request: a cache that never answers (a hung Redis connection)
 * must not stall polling forever. A call that times out counts as a provider error.
 */
function bounded<T>(d: PollerDeps, work: T | Promise<T>, method: string): Promise<T> {
  if (!(work instanceof Promise)) return Promise.resolve(work);
  const ms = d.options.definitionsTimeoutMs;
  return new Promise<T>((resolve, reject) => {
    const timer = d.platform.setTimer(
      () => reject(new Error(`${method}() did not settle within ${ms} ms`)),
      ms,
    );
    work.then(
      (value) => {
        d.platform.clearTimer(timer);
        resolve(value);
      },
      (error: unknown) => {
        d.platform.clearTimer(timer);
        reject(error);
      },
    );
  });
}

/** Reads the provider's definitions into the poller; whether it had any. */
async function loadFromCache(p: DefinitionsPoller): Promise<boolean> {
  const provider = p.deps.options.flagDefinitionCacheProvider;
  if (provider === undefined) return false;
  let raw: unknown;
  try {
    raw = await bounded(p.deps, provider.getFlagDefinitions(), 'getFlagDefinitions');
  } catch (error) {
    providerError(p.deps, 'getFlagDefinitions', error);
    return false;
  }
  const data = normaliseDefinitions(raw);
  if (data === undefined) return false;
  p.apply(loadDefinitions(data, 'cache', p.current?.fetchedAt, p.deps.options.evaluationContexts));
  p.loadedOnce = true;
  return true;
}

function providerError(d: PollerDeps, method: string, error: unknown): void {
  d.report(
    new FeatureFlagError('cache_provider', `flagDefinitionCacheProvider.${method}() failed`, {
      cause: error,
    }),
  );
}
