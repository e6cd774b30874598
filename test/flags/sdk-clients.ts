/** posthog-node and posthog-ts clients for differential tests, evaluating locally what an in-memory fetch serves. */
import { PostHog as NodePostHog } from 'posthog-node';
import { PostHog } from '../../src/index.js';

/** Serves `body` as the flag definitions (and `{}` to any other request). */
export class DefinitionsEndpoint {
  body: unknown = { flags: [] };

  readonly fetch = async (url: string): Promise<Response> => {
    const definitions = url.includes('/flags/definitions') || url.includes('local_evaluation');
    return new Response(JSON.stringify(definitions ? this.body : {}), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** Local evaluation from the endpoint, no polling, nothing flushed; `evaluationContexts` filters definitions. */
function options(endpoint: DefinitionsEndpoint, evaluationContexts: readonly string[] | undefined) {
  return {
    personalApiKey: 'phx_x',
    host: 'http://127.0.0.1:1',
    fetch: endpoint.fetch,
    featureFlagsPollingInterval: 600_000,
    flushAt: 1_000_000,
    flushInterval: 0,
    disableGeoip: true,
    ...(evaluationContexts === undefined ? {} : { evaluationContexts }),
  };
}

/** The reference SDK. */
export function nodeClient(
  endpoint: DefinitionsEndpoint,
  evaluationContexts?: readonly string[],
): NodePostHog {
  return new NodePostHog('phc_x', {
    ...options(endpoint, evaluationContexts),
    fetch: endpoint.fetch as never,
  });
}

const quiet = (): void => undefined;

/** This SDK, with a silent logger. */
export function tsClient(endpoint: DefinitionsEndpoint, evaluationContexts?: readonly string[]): PostHog {
  const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  return new PostHog('phc_x', { ...options(endpoint, evaluationContexts), logger });
}
