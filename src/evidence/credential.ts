import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import type { GetTokenOptions, TokenCredential, AccessToken } from '@azure/identity';
import type { AzureSdk } from '../engine/bundles.js';
import { armScope, type Cloud } from '../config/clouds.js';
import type { EntraAnswer } from '../decide/planes/entra.js';
import { retryAfterMs } from './retry-after.js';
import { readClaims, stringClaim } from './jwt-claims.js';
import { transportKind } from './transport.js';
import { errorLine } from '../lib/error-text.js';
import { onOrigin, originPolicy } from '../config/origin-policy.js';
import { BODY_LIMITS, boundedBodyPolicy } from '../lib/bounded-body.js';
import { proxyRulePolicy } from '../lib/proxy.js';
import { REQUEST_TIMEOUT_MS } from '../lib/budget.js';

/** Wraps a credential so every access token it hands out is masked before anyone else sees it. */
export function maskingCredential(inner: TokenCredential, mask: (secret: string) => void): TokenCredential {
  // Cache hits hand out the same token again; one mask command per token is enough.
  const masked = new Set<string>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await inner.getToken(scopes, options);
      if (token && !masked.has(token.token)) {
        mask(token.token);
        masked.add(token.token);
      }
      return token;
    },
  };
}

/**
 * Entra ID's answers, read on the wire: msal folds an error body into its message text, and hides a failed
 * metadata request (a custom cloud's unknown tenant) behind `endpoints_resolution_error` altogether. The policy
 * keeps what Entra itself said (status, OAuth error, AADSTS code, Retry-After) for the token request that failed.
 */
export class EntraAnswers {
  private seq = 0;
  private readonly failures: { seq: number; scope?: string; answer: Omit<EntraAnswer, 'noCredential'> }[] = [];

  readonly policy: PipelinePolicy = {
    name: 'foundry-keyless-check-entra-answers',
    sendRequest: async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
      const scope = typeof request.body === 'string' ? (new URLSearchParams(request.body).get('scope') ?? undefined) : undefined;
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (error) {
        const transport = transportKind(error);
        this.record(scope, { description: errorLine(error), ...(transport ? { transport } : {}) });
        throw error;
      }
      const text = response.bodyAsText ?? '';
      if (response.status >= 300 || text.trim() === '') {
        this.record(scope, { status: response.status, retryAfterMs: retryAfterMs((name) => response.headers.get(name), Date.now()), ...entraBody(text) });
      }
      // msal remembers a 429 or 5xx and refuses every request for its Retry-After, or 60 s without one, with
      // no request made: the stage's own retries, within the deadline, would only ever see that memory. Handed
      // an error instead of the answer, msal remembers nothing; what Entra said is recorded above.
      if (response.status === 429 || response.status >= 500) throw new Error(`Entra ID answered HTTP ${response.status}`);
      return response;
    },
  };

  /** A mark to ask, after a token request failed, what Entra said since. */
  mark(): number {
    return this.seq;
  }

  /** The latest failed answer since `mark` to a request for `scope`, or to one for no scope (the metadata). */
  since(mark: number, scope: string): Omit<EntraAnswer, 'noCredential'> | undefined {
    const wanted = (s: string | undefined): boolean => s === undefined || s.split(' ').includes(scope);
    return this.failures.filter((f) => f.seq > mark && wanted(f.scope)).at(-1)?.answer;
  }

  private record(scope: string | undefined, answer: Omit<EntraAnswer, 'noCredential'>): void {
    this.failures.push({ seq: ++this.seq, scope, answer });
    if (this.failures.length > 20) this.failures.shift();
  }
}

/** Entra's error body `{error, error_description, error_codes, trace_id}`, as far as it has one. */
export function entraBody(text: string): Pick<EntraAnswer, 'error' | 'entraCode' | 'description' | 'traceId'> {
  let body: { error?: unknown; error_description?: unknown; error_codes?: unknown; trace_id?: unknown } = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) body = parsed;
  } catch {
    // Not JSON: the text itself is all Entra said.
  }
  const description = typeof body.error_description === 'string' ? body.error_description : text.trim() === '' ? 'an empty answer' : text.slice(0, 500);
  const fromText = entraErrorFacts(description);
  const codes = Array.isArray(body.error_codes) ? body.error_codes.filter((c): c is number => typeof c === 'number') : [];
  const entraCode = fromText.entraCode ?? codes[0];
  const traceId = typeof body.trace_id === 'string' ? body.trace_id : fromText.traceId;
  return {
    description,
    ...(typeof body.error === 'string' ? { error: body.error } : {}),
    ...(entraCode !== undefined ? { entraCode } : {}),
    ...(traceId ? { traceId } : {}),
  };
}

/** Options every credential gets: Entra's answers observed, and no retries of its own (the stages retry, within the deadline). */
export function credentialOptions(answers: EntraAnswers): { retryOptions: { maxRetries: number }; additionalPolicies: { policy: PipelinePolicy; position: 'perRetry' }[] } {
  return { retryOptions: { maxRetries: 0 }, additionalPolicies: [{ policy: answers.policy, position: 'perRetry' }] };
}

/** Where msal's instance discovery asks about a known cloud's authority (an unauthenticated GET). */
const INSTANCE_DISCOVERY_ORIGIN = 'https://login.microsoftonline.com';

/**
 * msal takes the token endpoint from the authority's OpenID metadata, so the metadata decides where the GitHub
 * ID token is posted. The credential's requests may go only to the authority's origin (and, for a known cloud,
 * to Microsoft's instance discovery), and its answers are read only up to a cap.
 */
function entraPolicies(cloud: Cloud): { policy: PipelinePolicy; position: 'perRetry' }[] {
  const origins = new Set([new URL(cloud.authorityHost).origin, ...(cloud.knownAuthority ? [INSTANCE_DISCOVERY_ORIGIN] : [])]);
  const allows = (url: string): boolean => [...origins].some((origin) => onOrigin(url, origin));
  return [
    { policy: originPolicy(allows, [...origins].join(' or ')), position: 'perRetry' },
    { policy: boundedBodyPolicy(BODY_LIMITS.entra, REQUEST_TIMEOUT_MS), position: 'perRetry' },
    { policy: proxyRulePolicy(), position: 'perRetry' },
  ];
}

/** The Entra ID credential of a GitHub workflow: a federated credential that presents GitHub ID tokens. */
export function federatedCredential(
  sdk: AzureSdk,
  options: { tenantId: string; clientId: string; cloud: Cloud },
  nextIdToken: () => Promise<string>,
  mask: (secret: string) => void,
  answers: EntraAnswers,
): TokenCredential {
  const credential = new sdk.ClientAssertionCredential(options.tenantId, options.clientId, nextIdToken, {
    authorityHost: options.cloud.authorityHost,
    // Instance discovery asks the public cloud about the authority, which a private cloud's hosts are not known to.
    disableInstanceDiscovery: !options.cloud.knownAuthority,
    ...credentialOptions(answers),
    additionalPolicies: [...credentialOptions(answers).additionalPolicies, ...entraPolicies(options.cloud)],
  });
  return maskingCredential(credential, mask);
}

/** Who the access token says the workflow is. */
export interface SignedIn {
  readonly principalId: string;
  readonly principalType: 'ServicePrincipal' | 'User';
  readonly tenantId?: string;
}

/** A token request that failed: what Entra ID (or the way to it) said; decide/planes/entra.ts says what it means. */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  constructor(readonly answer: EntraAnswer) {
    super(answer.description);
  }
}

/** Facts an Entra ID error message carries: msal folds the error body into the message text. */
export function entraErrorFacts(message: string): { entraCode?: number; traceId?: string } {
  const code = /AADSTS(\d+)/.exec(message)?.[1];
  const traceId = /Trace ID: ([0-9a-f-]{36})/i.exec(message)?.[1];
  return { entraCode: code === undefined ? undefined : Number(code), traceId };
}

/** Only the default chain throws this with nothing but unavailable credentials inside: nobody is signed in. */
function noCredential(error: unknown): boolean {
  const e = error as { name?: unknown; errors?: unknown };
  return e?.name === 'AggregateAuthenticationError' && Array.isArray(e.errors) && e.errors.every((inner) => (inner as { name?: unknown })?.name === 'CredentialUnavailableError');
}

/**
 * Asks for a token and, when that fails, reports what Entra said: its own answer where the wire showed one,
 * else what the client library's error carries (an AADSTS code in its text, a transport error's code).
 */
export async function requestToken(credential: TokenCredential, scope: string, answers: EntraAnswers, options: GetTokenOptions = {}): Promise<AccessToken | null> {
  const mark = answers.mark();
  try {
    return await credential.getToken(scope, options);
  } catch (error) {
    const message = errorLine(error);
    const seen = answers.since(mark, scope);
    const fromMessage = entraErrorFacts(error instanceof Error ? error.message : String(error));
    const transport = transportKind(error);
    const answer: EntraAnswer = seen
      ? { ...seen, entraCode: seen.entraCode ?? fromMessage.entraCode }
      : {
          description: message,
          ...(fromMessage.entraCode !== undefined ? { entraCode: fromMessage.entraCode } : {}),
          ...(fromMessage.traceId ? { traceId: fromMessage.traceId } : {}),
          ...(transport ? { transport } : {}),
          ...(noCredential(error) ? { noCredential: true } : {}),
        };
    throw new TokenRequestError(answer);
  }
}

/** Exchanges the GitHub token for an ARM token, which proves the federation works and names the principal. */
export async function signIn(credential: TokenCredential, cloud: Cloud, answers: EntraAnswers): Promise<SignedIn> {
  // The ARM pipeline asks with CAE enabled; asking the same way lets it reuse this token from msal's cache.
  const token = await requestToken(credential, armScope(cloud), answers, { enableCae: true });
  const claims = token ? readClaims(token.token) : undefined;
  const principalId = stringClaim(claims, 'oid');
  if (!principalId) throw new TokenRequestError({ status: 200, description: 'the access token carries no oid claim' });
  // App-only tokens say idtyp "app"; a person's token (az login) carries a user principal name instead.
  const user = stringClaim(claims, 'idtyp') === 'user' || stringClaim(claims, 'upn') !== undefined || stringClaim(claims, 'scp') !== undefined;
  return {
    principalId,
    principalType: user ? 'User' : 'ServicePrincipal',
    tenantId: stringClaim(claims, 'tid'),
  };
}
