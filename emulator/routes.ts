import type { ServiceName } from './scenario.js';

/**
 * The requests the action makes, by name, so a replayed answer (a recorded one from the corpus) can be aimed
 * at exactly one of them: the data-plane token request while the ARM token request succeeds, or the authority's
 * metadata document and nothing else.
 */
export type RouteName =
  | 'github-oidc-token'
  | 'entra-metadata'
  | 'entra-token'
  | 'entra-token-data-plane'
  | 'arm-permissions'
  | 'arm-account'
  | 'arm-deployments'
  | 'arm-role-assignments'
  | 'arm-role-definition'
  | 'data-plane-chat';

export interface Route {
  readonly service: ServiceName;
  readonly method: string;
  /** Tested against the path without its query. */
  readonly path: RegExp;
  /** Tested against the request body, for routes that share a path (token requests for different scopes). */
  readonly body?: (text: string) => boolean;
}

/** A token request for a Foundry data-plane scope rather than for ARM. */
function dataPlaneScope(body: string): boolean {
  const scope = new URLSearchParams(body).get('scope') ?? '';
  return /(^|\s)https:\/\/(ai\.azure\.com|cognitiveservices\.azure\.com)\/?(\.default)?(\s|$)/i.test(scope);
}

const TOKEN_PATH = /\/oauth2\/v2\.0\/token$/i;

export const ROUTES: Readonly<Record<RouteName, Route>> = {
  'github-oidc-token': { service: 'github', method: 'GET', path: /^\/token$/i },
  'entra-metadata': { service: 'entra', method: 'GET', path: /\/v2\.0\/\.well-known\/openid-configuration$/i },
  'entra-token': { service: 'entra', method: 'POST', path: TOKEN_PATH, body: (text) => !dataPlaneScope(text) },
  'entra-token-data-plane': { service: 'entra', method: 'POST', path: TOKEN_PATH, body: dataPlaneScope },
  'arm-permissions': { service: 'arm', method: 'GET', path: /\/providers\/Microsoft\.Authorization\/permissions$/i },
  'arm-account': { service: 'arm', method: 'GET', path: /\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+$/i },
  'arm-deployments': { service: 'arm', method: 'GET', path: /\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+\/deployments$/i },
  'arm-role-assignments': { service: 'arm', method: 'GET', path: /\/providers\/Microsoft\.Authorization\/roleAssignments$/i },
  'arm-role-definition': { service: 'arm', method: 'GET', path: /\/providers\/Microsoft\.Authorization\/roleDefinitions\/[^/]+$/i },
  'data-plane-chat': { service: 'data', method: 'POST', path: /\/chat\/completions$/i },
};

export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

export function routeMatches(route: Route, method: string, path: string, body: string): boolean {
  return route.method === method.toUpperCase() && route.path.test(path) && (route.body === undefined || route.body(body));
}
