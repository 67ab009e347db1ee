import type { HttpClient, Pipeline } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { Cloud } from '../config/clouds.js';
import type { ResourceId } from '../config/resource-id.js';
import { chatCompletionsUrl, endpointFromAccount } from '../decide/endpoint.js';
import { dataPlaneHostAllowed, dataPlaneOriginAllowed, originPolicy } from '../config/origin-policy.js';
import { BODY_LIMITS, boundedBodyPolicy } from '../lib/bounded-body.js';
import { proxyRulePolicy } from '../lib/proxy.js';
import { retryAfterMs } from './retry-after.js';
import type { ProbeEvidence } from '../decide/verdict.js';
import type { ArmReader } from './arm.js';
import type { AzureSdk } from '../engine/bundles.js';
import { requestToken, TokenRequestError, type EntraAnswers } from './credential.js';
import { readClaims, stringClaim } from './jwt-claims.js';
import { serviceError } from './service-error.js';
import { transportKind } from './transport.js';
import { errorLine } from '../lib/error-text.js';

const INFERENCE_API_VERSION = '2025-04-01';

interface ProbeOptions {
  readonly cloud: Cloud;
  readonly model: string;
  /** An endpoint the user named: probed for a single resource, and the one origin allowed in a custom cloud. */
  readonly endpoint?: string;
  readonly singleResource: boolean;
  readonly tokenScope: string;
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
}

/**
 * Calls the model on the data plane: a chat completion that may produce one token at most, so a denied attempt
 * costs nothing and a granted one next to nothing. The endpoint's host is checked before a token is requested
 * for it, and redirects are not followed, so the token reaches that host and no other.
 */
export class DataPlaneProbe {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient;
  private readonly configuredOrigin?: string;

  constructor(
    private readonly sdk: AzureSdk,
    private readonly credential: TokenCredential,
    private readonly arm: ArmReader,
    private readonly options: ProbeOptions,
    private readonly answers: EntraAnswers,
  ) {
    this.configuredOrigin = options.cloud.name === 'Custom' && options.endpoint ? new URL(options.endpoint).origin : undefined;
    this.http = sdk.createDefaultHttpClient();
    this.pipeline = sdk.createPipelineFromOptions({
      // No retries here: the wait loop retries what time can cure, within the run's deadline.
      retryOptions: { maxRetries: 0 },
      redirectOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: options.userAgent },
    });
    // The token goes to a Foundry host of the cloud (or the endpoint the user named) and nowhere else.
    const hosts = this.configuredOrigin ?? options.cloud.dataPlaneHostSuffixes.map((suffix) => `*${suffix}`).join(', ');
    this.pipeline.addPolicy(originPolicy((url) => dataPlaneOriginAllowed(url, options.cloud, this.configuredOrigin), hosts), { afterPhase: 'Sign' });
    this.pipeline.addPolicy(boundedBodyPolicy(BODY_LIMITS.dataPlane, options.requestTimeoutMs), { afterPhase: 'Sign' });
    this.pipeline.addPolicy(proxyRulePolicy(), { afterPhase: 'Sign' });
  }

  private allowed = (url: string): boolean => dataPlaneHostAllowed(url, this.options.cloud, this.configuredOrigin);

  async probe(resource: ResourceId): Promise<ProbeEvidence> {
    const endpoint = await this.endpointFor(resource);
    if (!('url' in endpoint)) return { kind: 'no-endpoint', ...endpoint };
    if (!this.allowed(endpoint.url)) return { kind: 'no-endpoint', reason: `${endpoint.url} is not a host a data-plane token may be sent to` };

    let token: string;
    try {
      const access = await requestToken(this.credential, this.options.tokenScope, this.answers, { abortSignal: this.options.signal, enableCae: true });
      if (!access) return { kind: 'unusable', reason: 'no data-plane token was issued' };
      token = access.token;
    } catch (error) {
      if (error instanceof TokenRequestError) return { kind: 'token-failed', answer: error.answer };
      return { kind: 'unusable', reason: `the data-plane token request failed: ${errorLine(error)}` };
    }
    const url = chatCompletionsUrl(endpoint.url, INFERENCE_API_VERSION);
    const request = this.sdk.createPipelineRequest({
      url,
      method: 'POST',
      timeout: this.options.requestTimeoutMs,
      abortSignal: this.options.signal,
      body: JSON.stringify({ model: this.options.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }),
    });
    request.headers.set('content-type', 'application/json');
    request.headers.set('authorization', `Bearer ${token}`);
    const tokenAudience = stringClaim(readClaims(token), 'aud');
    try {
      const response = await this.pipeline.sendRequest(this.http, request);
      const text = response.bodyAsText ?? '';
      const { code, message } = serviceError(text);
      return {
        kind: 'answered',
        status: response.status,
        chatCompletion: isChatCompletion(response.headers.get('content-type'), text),
        code,
        message,
        retryAfterMs: retryAfterMs((name) => response.headers.get(name), Date.now()),
        endpoint: endpoint.url,
        tokenAudience,
      };
    } catch (error) {
      const transport = transportKind(error);
      return { kind: 'unusable', reason: errorLine(error), ...(transport ? { transport } : {}) };
    }
  }

  /** The endpoint to call: the input's, or the account's (ARM reads each account once; a failed read is asked again). */
  private async endpointFor(resource: ResourceId): Promise<{ url: string } | Omit<Extract<ProbeEvidence, { kind: 'no-endpoint' }>, 'kind'>> {
    if (this.options.endpoint && this.options.singleResource) return { url: this.options.endpoint };
    const account = await this.arm.account(resource);
    if ('failure' in account) return { reason: `the account's endpoints could not be read (${account.reason}); set the endpoint input`, accountFailure: account.failure };
    const url = endpointFromAccount(account.body, this.allowed);
    if (url) return { url };
    if (!hasCustomSubdomain(account.body)) return { reason: 'the account has no custom subdomain, only its regional endpoint', noCustomSubdomain: true };
    return { reason: 'the account lists no endpoint on an allowed host; set the endpoint input' };
  }

}

/** Whether the account resource names a custom subdomain (`properties.customSubDomainName`). */
function hasCustomSubdomain(account: unknown): boolean {
  const name = (account as { properties?: { customSubDomainName?: unknown } } | null)?.properties?.customSubDomainName;
  return typeof name === 'string' && name !== '';
}

/**
 * Whether an answer is a chat completion: JSON, an object with an `object` of `chat.completion` or a `choices`
 * array of objects. A 200 that is anything else (a proxy's HTML block page, an empty 204) proves nothing.
 */
function isChatCompletion(contentType: string | undefined, text: string): boolean {
  if (!/^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType?.trim() ?? '')) return false;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { choices, object } = body as { choices?: unknown; object?: unknown };
  return Array.isArray(choices) && choices.length > 0 && choices.every((c) => typeof c === 'object' && c !== null) && (object === undefined || object === 'chat.completion');
}
