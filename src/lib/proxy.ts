/**
 * One rule for proxies, for every client: @actions/http-client's, which the runner's own tools follow. HTTPS_PROXY
 * for https (HTTP_PROXY for http), NO_PROXY by host, domain suffix, host:port or `*`, and loopback never proxied.
 * The GitHub OIDC request and Octokit use it natively; the Azure pipelines (ARM, the data plane, Entra sign-in)
 * take their connection agent from it, in place of the Azure SDK's own reading of the same variables, which
 * differs (it ignores ports and `*` in NO_PROXY and falls back to HTTP_PROXY for https).
 */
import { HttpClient } from '@actions/http-client';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

let agents: HttpClient | undefined;

/** Sets each request's agent by the one rule: a tunnel through the proxy, or a direct connection. */
export function proxyRulePolicy(): PipelinePolicy {
  return {
    name: 'actionsProxyRulePolicy',
    sendRequest(request, next) {
      agents ??= new HttpClient('foundry-keyless-check', [], { keepAlive: true });
      request.agent = agents.getAgent(request.url);
      return next(request);
    },
  };
}
