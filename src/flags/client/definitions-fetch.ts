import { httpRequest } from '../../transport/http.js';
import { parseRetryAfter } from '../../transport/retry-policy.js';
import { loadDefinitions, normaliseDefinitions } from './definitions.js';
import { FeatureFlagError } from './errors.js';
import type { DefinitionsPoller } from './poller.js';
import { FLAG_HEADERS } from './remote.js';
import type { FlagDefinitionsData } from './types.js';

/**
 * One `GET /flags/definitions` for the poller, conditional on its ETag; returns the body when it replaced the
 * definitions. Keeps the last good definitions on failures, clears them on 402, and counts 401/403/429 as
 * refusals for the backoff; every outcome moves the poller's health (logged once per change).
 */
export async function fetchDefinitions(p: DefinitionsPoller): Promise<FlagDefinitionsData | undefined> {
  const d = p.deps;
  const health = p.health;
  const headers: Record<string, string> = { ...FLAG_HEADERS, Authorization: `Bearer ${d.secretKey}` };
  if (p.etag !== undefined) headers['If-None-Match'] = p.etag;
  const url = `${d.host}/flags/definitions?token=${d.apiKey}&send_cohorts`;
  d.counters.definitionsRequests++;
  p.notModified = false;
  const outcome = await httpRequest(
    d.exchange,
    d.platform,
    url,
    { method: 'GET', headers },
    d.options.definitionsTimeoutMs,
    d.cancel,
  );
  if (p.stopped) return undefined;
  if (!outcome.ok) {
    health.enter('failing', `could not reach ${d.host} for flag definitions (${outcome.error.message})`);
    return undefined;
  }
  const status = outcome.status;
  if (status === 200) {
    let data: FlagDefinitionsData | undefined;
    try {
      data = normaliseDefinitions(JSON.parse(outcome.body));
    } catch {
      data = undefined;
    }
    if (data === undefined) {
      const message = 'invalid flag definitions response (no flags); keeping the previous definitions';
      if (health.enter('invalid', message)) d.report(new FeatureFlagError('definitions_invalid', message));
      return undefined;
    }
    p.etag = outcome.headers.get('etag') ?? undefined;
    health.errors = 0;
    p.loadedOnce = true;
    p.apply(loadDefinitions(data, 'fetch', d.platform.now(), d.options.evaluationContexts));
    d.counters.definitionsLoaded++;
    if (d.options.flagDefinitionCacheProvider !== undefined) p.fetchedBody = data;
    health.enter('ok', `loaded ${p.current?.count ?? 0} flag definitions`);
    return data;
  }
  if (status === 304) {
    d.counters.definitionsNotModified++;
    p.notModified = true;
    p.etag = outcome.headers.get('etag') ?? p.etag;
    health.errors = 0;
    p.loadedOnce = true;
    health.enter('ok', `flag definitions unchanged (${p.current?.count ?? 0} flags)`);
    return undefined;
  }
  if (status === 401 || status === 403 || status === 429) {
    health.errors++;
    const limited = status === 429;
    health.retryAfterMs = limited
      ? parseRetryAfter(outcome.headers.get('retry-after'), d.platform.now())
      : undefined;
    const message = limited
      ? 'flag definitions are rate limited (429); polling less often'
      : `flag definitions were refused (${status}): check that secretKey is a valid project secret key or personal API key with feature flag read access; polling less often`;
    if (health.enter(limited ? 'rate_limited' : 'unauthorized', message)) {
      d.report(
        new FeatureFlagError(limited ? 'definitions_rate_limited' : 'definitions_unauthorized', message),
      );
    }
    return undefined;
  }
  if (status === 402) {
    health.errors = 0;
    p.etag = undefined; // the cleared state must not be kept alive by a 304 once the quota resets
    const message = 'feature flags quota exceeded (402): local flags were cleared until the quota resets';
    if (health.enter('quota_limited', message))
      d.report(new FeatureFlagError('definitions_quota_limited', message));
    p.apply(loadDefinitions({ flags: [] }, 'cleared', undefined, undefined));
    return undefined;
  }
  health.enter('failing', `flag definitions request answered ${status}; keeping the previous definitions`);
  return undefined;
}
