import { httpRequest } from '../../transport/http.js';
import type { JsonValue } from '../evaluation/types.js';
import type { FlagEngine } from './engine.js';
import { FeatureFlagError } from './errors.js';
import { FLAG_HEADERS } from './remote.js';
import { parsePayload } from './remote-parse.js';

/**
 * What PostHog said about one remote config: `answered` for a payload (200) or for no such remote config (404),
 * both worth remembering; `failed` for anything else (network, timeout, 5xx, 401), which is not.
 */
export type RemoteConfigFetch = { answered: true; value: JsonValue | undefined } | { answered: false };

const FAILED: RemoteConfigFetch = { answered: false };

/**
 * One request to the project's `remote_config` endpoint for the decrypted payload of a remote-config flag. Needs
 * `secretKey`; every failure is reported on `error`.
 */
export async function fetchRemoteConfig(engine: FlagEngine, flagKey: string): Promise<RemoteConfigFetch> {
  const d = engine.deps;
  const url = `${d.host}/api/projects/@current/feature_flags/${encodeURIComponent(flagKey)}/remote_config?token=${encodeURIComponent(d.apiKey)}`;
  engine.counters.remoteConfigRequests++;
  const outcome = await httpRequest(
    d.exchange,
    d.platform,
    url,
    { method: 'GET', headers: { ...FLAG_HEADERS, Authorization: `Bearer ${d.secretKey}` } },
    d.options.definitionsTimeoutMs,
    engine.cancel.signal,
  );
  if (!outcome.ok || outcome.status !== 200) {
    const why = outcome.ok ? `answered ${outcome.status}` : outcome.error.message;
    engine.report(new FeatureFlagError('remote_config', `remote config for '${flagKey}' failed: ${why}`));
    return outcome.ok && outcome.status === 404 ? { answered: true, value: undefined } : FAILED;
  }
  const first = parsePayload(outcome.body);
  // PostHog stores the payload as JSON text and returns that text JSON-encoded: decode twice.
  const value = typeof first === 'string' ? (parsePayload(first) ?? undefined) : (first ?? undefined);
  return { answered: true, value };
}
