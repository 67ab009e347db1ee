import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { armHandler } from './arm.js';
import type { EmulatorContext, EmulatorUrls } from './context.js';
import { entraIdHandler } from './entra-id.js';
import { FaultInjector } from './faults.js';
import { foundryDataPlaneHandler } from './foundry-data-plane.js';
import { githubOidcHandler } from './github-oidc.js';
import { githubRestHandler, type IssueComment } from './github-rest.js';
import { JwtSigner } from './jwt.js';
import { Rbac } from './rbac.js';
import { actionInputs, runnerEnv } from './runner-env.js';
import { loadScenario, resolveScenario } from './scenario.js';
import type { Scenario, ScenarioInput, ServiceName } from './scenario.js';
import { startServiceHost } from './service-host.js';
import type { RequestLogEntry, ServiceHandler, ServiceHost } from './service-host.js';
import { createTlsCertificate, PROXIED_HOSTNAME } from './tls-certificate.js';

export type { EmulatorUrls } from './context.js';
export type { RequestLogEntry } from './service-host.js';
export type { IssueComment } from './github-rest.js';
export type * from './scenario.js';
export type { RouteName } from './routes.js';
export { ROUTES, ROUTE_NAMES } from './routes.js';
export { GITHUB_ISSUER, AZURE_FEDERATION_AUDIENCE, ScenarioError, loadScenario, resolveScenario } from './scenario.js';
export { BUILTIN_ROLES, ROLE } from './builtin-roles.js';
export { CHAT_COMPLETIONS_DATA_ACTION } from './foundry-data-plane.js';
export { githubContextEnv, inputEnv } from './runner-env.js';
export { scenarioFile, scenarioNames } from './scenario-files.js';

/** A running emulator: GitHub OIDC, Entra ID, ARM and the Foundry data plane, each on its own HTTPS port. */
export interface Emulator {
  /** Base URLs, e.g. `https://127.0.0.1:PORT` (no trailing slash). */
  urls: EmulatorUrls;
  /** PEM of the emulator's certificate, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The scenario in force, defaults filled in. */
  scenario: Scenario;
  /** Every request, in arrival order. */
  requests: RequestLogEntry[];
  /** performance.now() when the emulator started: the origin of `requests[].at` in this process. */
  startedAt: number;
  /** Comments on pull requests, by number, as the GitHub REST API holds them. */
  comments: Map<number, IssueComment[]>;
  /** Every GitHub ID token and Entra access token issued, so tests can scan output for leaks. */
  issuedTokens: string[];
  /** ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN (unless the run has no id-token permission), NODE_EXTRA_CA_CERTS. */
  runnerEnv(): Record<string, string>;
  /** client-id, tenant-id, resource-id (all resources, newline-joined), cloud `Custom`, authority-host, resource-manager-endpoint. */
  actionInputs(): Record<string, string>;
  /** Stops every service (stalled requests included) and deletes the certificate file. Safe to call twice. */
  close(): Promise<void>;
}

export interface EmulatorOptions {
  /** Epoch milliseconds. Drives token times and `effectiveAfterSeconds`; default `Date.now`. */
  clock?: () => number;
  /**
   * Name the services by PROXIED_HOSTNAME instead of 127.0.0.1 (they still listen on 127.0.0.1): every URL the
   * emulator hands out then resolves only through a proxy that maps the name, so a run proves it used the proxy.
   */
  viaProxy?: boolean;
  /** Fixed ports for some services, e.g. `{ entra: 443 }` for the Azure CLI (msal-python drops the authority's port). */
  ports?: Partial<Record<ServiceName, number>>;
}

export { PROXIED_HOSTNAME } from './tls-certificate.js';

const SERVICES: readonly ServiceName[] = ['github', 'entra', 'arm', 'data'];

/**
 * Starts the emulator for a scenario (an object, or the path of a JSON scenario file).
 * Call `close()` when done; the ports and the temporary certificate file stay in use until then.
 */
export async function startEmulator(scenario: ScenarioInput | string, options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.clock ?? Date.now;
  const startedAt = now();
  const perfStart = performance.now();
  const resolved = typeof scenario === 'string' ? loadScenario(scenario, { now: startedAt }) : resolveScenario(scenario, { now: startedAt });

  const [tls, githubKey, entraKey] = await Promise.all([createTlsCertificate(), JwtSigner.create(), JwtSigner.create()]);
  const requests: RequestLogEntry[] = [];
  const faults = new FaultInjector(resolved.faults);
  const hosts: ServiceHost[] = [];
  const known: { urls?: EmulatorUrls } = {};
  const knownUrls = (): EmulatorUrls => {
    if (!known.urls) throw new Error('the emulator is still starting');
    return known.urls;
  };
  try {
    for (const service of SERVICES) {
      hosts.push(
        await startServiceHost({
          service,
          tls,
          faults,
          record: (entry) => requests.push(entry),
          elapsedMs: () => performance.now() - perfStart,
          urls: knownUrls,
          ...(options.ports?.[service] !== undefined ? { port: options.ports[service] } : {}),
        }),
      );
    }
  } catch (error) {
    await Promise.all(hosts.map((h) => h.close()));
    await tls.remove();
    throw error;
  }
  const [github, entra, arm, data] = hosts as [ServiceHost, ServiceHost, ServiceHost, ServiceHost];
  const named = (url: string): string => (options.viaProxy ? url.replace('//127.0.0.1:', `//${PROXIED_HOSTNAME}:`) : url);
  const urls: EmulatorUrls = { github: named(github.url), entra: named(entra.url), arm: named(arm.url), data: named(data.url) };
  known.urls = urls;

  const context: EmulatorContext = {
    scenario: resolved,
    urls,
    now,
    startedAt,
    githubKey,
    entraKey,
    runtimeToken: randomBytes(32).toString('base64url'),
    rbac: new Rbac(resolved, () => (now() - startedAt) / 1000),
    issuedTokens: [],
  };
  const comments = new Map<number, IssueComment[]>();
  const oidc = githubOidcHandler(context);
  const rest = githubRestHandler(context, comments);
  const handlers: [ServiceHost, ServiceHandler][] = [
    [github, (request) => (/^\/(?:repos\/|user$)/i.test(request.path) ? rest(request) : oidc(request))],
    [entra, entraIdHandler(context)],
    [arm, armHandler(context)],
    [data, foundryDataPlaneHandler(context)],
  ];
  for (const [host, handler] of handlers) host.setHandler(handler);

  let closing: Promise<void> | undefined;
  return {
    urls,
    caFile: tls.caFile,
    scenario: resolved,
    requests,
    startedAt: perfStart,
    comments,
    issuedTokens: context.issuedTokens,
    runnerEnv: () => runnerEnv(resolved, urls, context.runtimeToken, tls.caFile),
    actionInputs: () => actionInputs(resolved, urls),
    close() {
      closing ??= Promise.all(hosts.map((h) => h.close())).then(() => tls.remove());
      return closing;
    },
  };
}
