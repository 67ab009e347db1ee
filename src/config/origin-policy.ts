/**
 * One rule for every bearer token the run holds: it goes only to the origin it was minted for. Each HTTP client
 * (the ARM client, the data-plane pipeline, Entra sign-in, the GitHub REST client, the GitHub OIDC request) is
 * built for one origin, or one set of hosts, and refuses every request elsewhere: a `nextLink`, a `Link:
 * rel=next`, a redirect or an authority's metadata can point anywhere, and the SDKs follow them with the token.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Cloud } from './clouds.js';

/** The parsed URL when it may carry a token at all: https, no user info of its own. */
function tokenSafeUrl(url: string | URL): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' ? parsed : undefined;
}

/** Whether `url` is on exactly `origin` (scheme, host and port), over https. */
export function onOrigin(url: string | URL, origin: string): boolean {
  return tokenSafeUrl(url)?.origin === new URL(origin).origin;
}

/**
 * Where a data-plane token may go: a host of the selected cloud's Foundry / Cognitive Services domains, or, in a
 * custom cloud, the origin the user named. No query or fragment, so the URL cannot be read two ways.
 */
export function dataPlaneHostAllowed(url: string, cloud: Cloud, configuredOrigin: string | undefined): boolean {
  const parsed = tokenSafeUrl(url);
  return parsed !== undefined && parsed.search === '' && parsed.hash === '' && dataPlaneOriginAllowed(parsed, cloud, configuredOrigin);
}

/** The same rule for a request (which has its query): only where it goes counts. */
export function dataPlaneOriginAllowed(url: string | URL, cloud: Cloud, configuredOrigin: string | undefined): boolean {
  const parsed = tokenSafeUrl(url);
  if (parsed === undefined) return false;
  if (configuredOrigin !== undefined && parsed.origin === configuredOrigin) return true;
  const host = parsed.hostname.toLowerCase();
  return cloud.dataPlaneHostSuffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

/** The error every client throws for a request to another origin: never retried, never sent. */
class OriginRefusedError extends Error {
  override readonly name = 'OriginRefusedError';
  readonly code = 'ORIGIN_REFUSED';
  constructor(url: string, expected: string) {
    let host = url;
    try {
      host = new URL(url).host;
    } catch {
      // Not a URL at all: name it as given.
    }
    super(`a request to ${host} was refused: this client sends its token only to ${expected}`);
  }
}

const ORIGIN_POLICY_NAME = 'tokenOriginPolicy';

/**
 * The rule as an Azure pipeline policy. Placed after the Sign phase, it sees every attempt as it would leave,
 * redirects and retries included, after the bearer token was put on it: nothing it refuses is sent.
 */
export function originPolicy(allows: (url: string) => boolean, expected: string): PipelinePolicy {
  return {
    name: ORIGIN_POLICY_NAME,
    sendRequest(request, next) {
      if (!allows(request.url)) return Promise.reject(new OriginRefusedError(request.url, expected));
      return next(request);
    },
  };
}

/** The rule for a client built for one origin. */
export function singleOriginPolicy(origin: string): PipelinePolicy {
  const expected = new URL(origin).origin;
  return originPolicy((url) => onOrigin(url, expected), expected);
}

/** Octokit's hook: every request, pagination included, must go to the REST API's own origin. */
export function guardOctokitOrigin(octokit: { hook: { before(name: 'request', hook: (options: { url?: string; baseUrl?: string }) => void): void } }, baseUrl: string): void {
  const expected = new URL(baseUrl).origin;
  octokit.hook.before('request', (options) => {
    const url = new URL(String(options.url ?? ''), `${options.baseUrl ?? baseUrl}/`).href;
    if (!onOrigin(url, expected)) throw new OriginRefusedError(url, expected);
  });
}
