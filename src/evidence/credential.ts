import { ClientAssertionCredential, type GetTokenOptions, type TokenCredential, type AccessToken } from '@azure/identity';
import { armScope, type Cloud } from '../config/clouds.js';
import { codeForEntraError, type DiagnosisCode, type Facts } from '../decide/diagnosis.js';
import { readClaims, stringClaim } from './jwt-claims.js';
import { firstLine } from '../lib/error-text.js';

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

/** The Entra ID credential of a GitHub workflow: a federated credential that presents GitHub ID tokens. */
export function federatedCredential(
  options: { tenantId: string; clientId: string; cloud: Cloud },
  nextIdToken: () => Promise<string>,
  mask: (secret: string) => void,
): TokenCredential {
  const credential = new ClientAssertionCredential(options.tenantId, options.clientId, nextIdToken, {
    authorityHost: options.cloud.authorityHost,
    // Instance discovery asks the public cloud about the authority, which a private cloud's hosts are not known to.
    disableInstanceDiscovery: !options.cloud.knownAuthority,
  });
  return maskingCredential(credential, mask);
}

/** Who the access token says the workflow is. */
export interface SignedIn {
  readonly principalId: string;
  readonly principalType: 'ServicePrincipal' | 'User';
  readonly tenantId?: string;
  readonly appId?: string;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly diagnosis: DiagnosisCode,
    readonly facts: Facts,
    message: string,
  ) {
    super(message);
  }
}

/** Facts an Entra ID error message carries: msal folds the error body into the message text. */
export function entraErrorFacts(message: string): { entraCode?: number; traceId?: string; correlationId?: string } {
  const code = /AADSTS(\d+)/.exec(message)?.[1];
  const traceId = /Trace ID: ([0-9a-f-]{36})/i.exec(message)?.[1];
  const correlationId = /Correlation ID: ([0-9a-f-]{36})/i.exec(message)?.[1];
  return { entraCode: code === undefined ? undefined : Number(code), traceId, correlationId };
}

const TRANSIENT = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up|network|timed? ?out|\b50[0-9]\b/i;

/** Maps a failed token request to its row of the table. */
export function diagnoseSignInFailure(error: unknown): { diagnosis: DiagnosisCode; facts: Facts; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const { entraCode, traceId, correlationId } = entraErrorFacts(message);
  const facts: Facts = { entraCode: entraCode?.toString(), traceId, correlationId, serviceMessage: cut(firstLine(message), 300) };
  if (entraCode !== undefined) return { diagnosis: codeForEntraError(entraCode), facts, message };
  if (/\b429\b|too many requests|throttl/i.test(message)) return { diagnosis: 'throttled', facts, message };
  if (TRANSIENT.test(message)) return { diagnosis: 'service-unavailable', facts, message };
  return { diagnosis: 'entra-error', facts, message };
}

/** Entra's messages run to several hundred characters; a summary needs the start of one. */
function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** Exchanges the GitHub token for an ARM token, which proves the federation works and names the principal. */
export async function signIn(credential: TokenCredential, cloud: Cloud): Promise<SignedIn> {
  let token: AccessToken | null;
  try {
    // The ARM pipeline asks with CAE enabled; asking the same way lets it reuse this token from msal's cache.
    token = await credential.getToken(armScope(cloud), { enableCae: true });
  } catch (error) {
    const { diagnosis, facts, message } = diagnoseSignInFailure(error);
    throw new SignInError(diagnosis, facts, message);
  }
  const claims = token ? readClaims(token.token) : undefined;
  const principalId = stringClaim(claims, 'oid');
  if (!principalId) {
    throw new SignInError('entra-error', { serviceMessage: 'the access token carries no oid claim' }, 'the access token carries no oid claim');
  }
  // App-only tokens say idtyp "app"; a person's token (az login) carries a user principal name instead.
  const user = stringClaim(claims, 'idtyp') === 'user' || stringClaim(claims, 'upn') !== undefined || stringClaim(claims, 'scp') !== undefined;
  return {
    principalId,
    principalType: user ? 'User' : 'ServicePrincipal',
    tenantId: stringClaim(claims, 'tid'),
    appId: stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp'),
  };
}
