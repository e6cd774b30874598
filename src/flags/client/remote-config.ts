import { httpRequest } from '../../transport/http.js';
import type { JsonValue } from '../evaluation/types.js';
import type { FlagEngine } from './engine.js';
import { FeatureFlagError } from './errors.js';
import { FLAG_HEADERS } from './remote.js';
import { parsePayload } from './remote-parse.js';

/**
 * `getRemoteConfigPayload()`: the decrypted payload of a remote-config flag, from the project's
 * `remote_config` endpoint. Needs `secretKey`; `undefined` on any failure, which is reported on `error`.
 */
export async function fetchRemoteConfigPayload(
  engine: FlagEngine,
  flagKey: string,
): Promise<JsonValue | undefined> {
  const d = engine.deps;
  if (d.secretKey === undefined) {
    d.logger.once('warn', 'flags:remote_config_key', 'getRemoteConfigPayload() needs the secretKey option');
    return undefined;
  }
  if (typeof flagKey !== 'string' || flagKey === '' || engine.closed) return undefined;
  const url = `${d.host}/api/projects/@current/feature_flags/${encodeURIComponent(flagKey)}/remote_config?token=${encodeURIComponent(d.apiKey)}`;
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
    return undefined;
  }
  const first = parsePayload(outcome.body);
  // PostHog stores the payload as JSON text and returns that text JSON-encoded: decode twice.
  return typeof first === 'string' ? (parsePayload(first) ?? undefined) : (first ?? undefined);
}
