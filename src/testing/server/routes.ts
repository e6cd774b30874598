import type { ReceivedRoute, RouteGroup } from './types.js';

/** A request's route, plus the flag key for remote-config requests. */
export interface RouteMatch {
  route: ReceivedRoute;
  flagKey?: string;
}

const POST_ROUTES: Readonly<Record<string, ReceivedRoute>> = {
  '/batch': 'batch',
  '/i/v1/analytics/events': 'capture_v1',
  '/i/v0/ai/batch': 'ai',
  '/flags': 'flags',
};

const GET_ROUTES: Readonly<Record<string, ReceivedRoute>> = {
  '/flags/definitions': 'definitions',
  // Path used by posthog-node before 5.29.4 and by other SDKs still.
  '/api/feature_flag/local_evaluation': 'definitions',
};

// The project segment is `@current` for SDKs, but a numeric id is what the dashboard uses; accept both.
const REMOTE_CONFIG = /^\/api\/projects\/[^/]+\/feature_flags\/([^/]+)\/remote_config$/;

/** Classifies a request. Trailing slashes are optional everywhere, as they are on PostHog. */
export function matchRoute(method: string, path: string): RouteMatch {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (method === 'POST') {
    const route = POST_ROUTES[trimmed];
    if (route !== undefined) return { route };
  } else if (method === 'GET') {
    const route = GET_ROUTES[trimmed];
    if (route !== undefined) return { route };
    const remote = REMOTE_CONFIG.exec(trimmed);
    if (remote?.[1] !== undefined) {
      try {
        return { route: 'remote_config', flagKey: decodeURIComponent(remote[1]) };
      } catch {
        return { route: 'unknown' };
      }
    }
  }
  return { route: 'unknown' };
}

/** The scripting group a route belongs to; `undefined` for routes that cannot be scripted. */
export function routeGroup(route: ReceivedRoute): RouteGroup | undefined {
  switch (route) {
    case 'batch':
    case 'capture_v1':
    case 'ai':
      return 'capture';
    case 'flags':
    case 'definitions':
    case 'remote_config':
      return route;
    default:
      return undefined;
  }
}

/** True for the routes whose body carries events. */
export function isCaptureRoute(route: ReceivedRoute): route is 'batch' | 'capture_v1' | 'ai' {
  return route === 'batch' || route === 'capture_v1' || route === 'ai';
}
