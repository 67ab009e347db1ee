import { randomBytes, randomUUID } from 'node:crypto';
import { isoSeconds, normalizeAudience } from './access-token.js';
import type { EmulatorContext } from './context.js';
import { epochSeconds } from './context.js';
import { decodeJwt } from './jwt.js';
import type { JwtClaims } from './jwt.js';
import { GITHUB_ISSUER } from './scenario.js';
import type { App } from './scenario.js';
import type { ServiceHandler, ServiceReply, ServiceRequest } from './service-host.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Scopes msal may add to any request; they name no resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/**
 * Entra ID's authority host for the client-credentials flow with a federated client assertion, as
 * msal-node drives it with `disableInstanceDiscovery`: tenant discovery, then the v2.0 token endpoint.
 */
export function entraIdHandler(context: EmulatorContext): ServiceHandler {
  return (request) => {
    const segments = request.path.split('/').slice(1);
    const [tenant = '', ...rest] = segments;
    const route = rest.join('/').toLowerCase();

    // The ADFS-style authority (`{host}/adfs`), which msal-python accepts without instance discovery: the Azure CLI
    // can then sign in offline. It stands for the scenario's tenant.
    if (tenant.toLowerCase() === 'adfs') {
      if (request.method === 'GET' && route === '.well-known/openid-configuration') return { status: 200, json: adfsConfiguration(context) };
      if (request.method === 'GET' && route === 'discovery/keys') return { status: 200, json: { keys: [context.entraKey.jwk()] } };
      if (request.method === 'POST' && route === 'oauth2/token') return tokenEndpoint(context, request, context.scenario.tenantId);
    }

    if (request.method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
      // As Entra does (a recorded answer, __tests__/corpus/entra-aadsts90002-metadata-unknown-tenant.json): an
      // unknown tenant fails here already, with error invalid_tenant. msal reads this only for authorities it
      // does not know (a custom cloud); for the public cloud it has the metadata built in.
      if (tenant.toLowerCase() !== context.scenario.tenantId.toLowerCase()) {
        return aadError(context, request, 400, 'invalid_tenant', 90002, unknownTenant(tenant));
      }
      return { status: 200, json: openIdConfiguration(context, tenant) };
    }
    if (request.method === 'GET' && (route === 'discovery/v2.0/keys' || route === 'discovery/keys')) {
      return { status: 200, json: { keys: [context.entraKey.jwk()] } };
    }
    if (route === 'oauth2/v2.0/token') {
      if (request.method !== 'POST') {
        return aadError(context, request, 400, 'invalid_request', 900561, `The endpoint only accepts POST requests. Received a ${request.method} request.`);
      }
      return tokenEndpoint(context, request, tenant);
    }
    return { status: 404, json: { error: 'not_found', error_description: `The emulated Entra ID does not serve ${request.method} ${request.path}.` } };
  };
}

function tokenEndpoint(context: EmulatorContext, request: ServiceRequest, tenant: string): ServiceReply {
  const { scenario } = context;
  const form = new URLSearchParams(request.body.toString('utf8'));
  const fail = (status: number, error: string, code: number, text: string) => aadError(context, request, status, error, code, text);

  if (tenant.toLowerCase() !== scenario.tenantId.toLowerCase()) {
    return fail(400, 'invalid_request', 90002, unknownTenant(tenant));
  }
  const clientId = form.get('client_id') ?? '';
  if (!clientId) return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const grantType = form.get('grant_type') ?? '';
  if (grantType !== 'client_credentials') {
    return fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }
  const assertion = form.get('client_assertion') ?? '';
  if (!assertion || form.get('client_assertion_type') !== JWT_BEARER) {
    return fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  const app = scenario.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  if (!app) {
    return fail(400, 'unauthorized_client', 700016,
      `Application with identifier '${clientId}' was not found in the directory '${scenario.tenantId}'. ` +
      'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
      'You may have sent your authentication request to the wrong tenant.');
  }
  if (app.disabled) return fail(400, 'unauthorized_client', 7000112, `Application '${app.clientId}'(${app.displayName}) is disabled.`);

  const decoded = decodeJwt(assertion);
  const claims = decoded?.payload;
  if (!claims || typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || claims.aud === undefined) {
    return fail(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  }
  const presented = { issuer: claims.iss, subject: claims.sub, audiences: audiencesOf(claims) };

  // Only GitHub's signing key is known here; an assertion from any other issuer cannot be checked.
  if (presented.issuer !== GITHUB_ISSUER) {
    if (!app.federatedCredentials.some((fc) => fc.issuer === presented.issuer)) return noMatchingCredential(fail, presented);
    return fail(400, 'invalid_request', 90061, `Request to External OIDC endpoint failed: the issuer '${presented.issuer}' could not be reached.`);
  }
  const signature = context.githubKey.verify(assertion);
  if (!signature.ok) {
    return fail(401, 'invalid_client', 700027,
      `Client assertion contains an invalid signature. [Reason - ${signature.reason}., Key ID used by the issuer: '${String(decoded?.header.kid)}']`);
  }
  const now = epochSeconds(context);
  const expired = typeof claims.exp !== 'number' || claims.exp <= now;
  const early = typeof claims.nbf === 'number' && claims.nbf > now;
  if (expired || early) {
    return fail(400, 'invalid_client', 700024,
      `Client assertion is not within its valid time range. Current time: ${isoSeconds(now)}, ` +
      `assertion valid from ${isoSeconds(claims.nbf ?? claims.iat)}, expiry time of assertion ${isoSeconds(claims.exp)}. ` +
      'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .');
  }
  if (!matchesFederatedCredential(app, presented)) return noMatchingCredential(fail, presented);
  if (!app.servicePrincipal) {
    // After the credential matched, as the recorded answer (__tests__/corpus/entra-aadsts7000229-…) shows.
    return fail(401, 'invalid_client', 7000229,
      `The client application ${app.clientId} is missing service principal in the tenant ${scenario.tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`);
  }

  const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  const scope = scopes[0];
  if (scope === undefined) return fail(400, 'invalid_request', 90014, "The required field 'scope' is missing from the credential.");
  if (scopes.length > 1 || !scope.toLowerCase().endsWith('/.default')) {
    return fail(400, 'invalid_scope', 1002012,
      `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = scope.slice(0, -'/.default'.length);
  if (!knownResources(context).includes(normalizeAudience(resource))) {
    return fail(400, 'invalid_resource', 500011,
      `The resource principal named ${resource} was not found in the tenant named ${scenario.tenantId}. ` +
      'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
      'You might have sent your authentication request to the wrong tenant.');
  }

  const lifetime = scenario.entra.accessTokenLifetimeSeconds;
  const accessToken = issueAccessToken(context, app, resource, now, lifetime);
  context.issuedTokens.push(accessToken);
  request.log.principalId = app.objectId;
  return {
    status: 200,
    headers: echoRequestId(request),
    json: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
  };
}

function unknownTenant(tenant: string): string {
  return (
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
    'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.'
  );
}

interface PresentedAssertion {
  issuer: string;
  subject: string;
  audiences: string[];
}

function audiencesOf(claims: JwtClaims): string[] {
  if (typeof claims.aud === 'string') return [claims.aud];
  return Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
}

/** Issuer and subject compare exactly (the subject case-sensitively); one presented audience must be trusted. */
function matchesFederatedCredential(app: App, presented: PresentedAssertion): boolean {
  return app.federatedCredentials.some(
    (fc) => fc.issuer === presented.issuer && fc.subject === presented.subject && fc.audiences.some((a) => presented.audiences.includes(a)),
  );
}

function noMatchingCredential(fail: (status: number, error: string, code: number, text: string) => ServiceReply, presented: PresentedAssertion): ServiceReply {
  return fail(400, 'invalid_client', 700213,
    `No matching federated identity record found for presented assertion subject '${presented.subject}'. ` +
    'Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ' +
    `Presented assertion issuer: '${presented.issuer}', audience: '${presented.audiences.join("', '")}'.`);
}

/** Resources whose tokens this tenant hands out: ARM (emulated and public) and the Foundry data plane. */
function knownResources(context: EmulatorContext): string[] {
  return [
    context.urls.arm,
    'https://management.azure.com',
    'https://management.core.windows.net',
    'https://ai.azure.com',
    'https://cognitiveservices.azure.com',
  ].map(normalizeAudience);
}

function issueAccessToken(context: EmulatorContext, app: App, resource: string, now: number, lifetime: number): string {
  const tenantId = context.scenario.tenantId;
  const issuer = `https://sts.windows.net/${tenantId}/`;
  const claims = {
    aud: resource,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    aio: randomBytes(24).toString('base64url'),
    appid: app.clientId,
    appidacr: '2',
    azp: app.clientId,
    idp: issuer,
    idtyp: 'app',
    oid: app.objectId,
    rh: randomBytes(16).toString('base64url'),
    sub: app.objectId,
    tid: tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
  return context.entraKey.sign(claims, { x5t: context.entraKey.kid });
}

/** The OpenID metadata of the ADFS-style authority; its issuer must equal the authority, which clients see without :443. */
function adfsConfiguration(context: EmulatorContext): Record<string, unknown> {
  const base = `${context.urls.entra.replace(/:443$/, '')}/adfs`;
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    jwks_uri: `${base}/discovery/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
  };
}

function openIdConfiguration(context: EmulatorContext, tenant: string): Record<string, unknown> {
  const base = `${context.urls.entra}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // msal requires the issuer to share the authority's scheme, host and port.
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${context.urls.entra}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'tid', 'ver', 'oid'],
    tenant_region_scope: 'NA',
    cloud_instance_name: 'emulator.invalid',
    cloud_graph_host_name: 'graph.emulator.invalid',
    msgraph_host: 'graph.emulator.invalid',
  };
}

/** Entra's error body; msal surfaces `error_description`, whose `AADSTS<code>:` prefix is what callers match on. */
function aadError(context: EmulatorContext, request: ServiceRequest, status: number, error: string, code: number, text: string): ServiceReply {
  const traceId = randomUUID();
  const correlationId = clientRequestId(request) ?? randomUUID();
  const timestamp = new Date(context.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    headers: echoRequestId(request),
    json: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${context.urls.entra}/error?code=${code}`,
    },
  };
}

/** Entra returns the caller's `client-request-id` when asked to, as msal does ask. */
function echoRequestId(request: ServiceRequest): Record<string, string> {
  const id = clientRequestId(request);
  const asked = headerValue(request, 'return-client-request-id') ?? request.query['return-client-request-id'];
  return id !== undefined && asked === 'true' ? { 'client-request-id': id } : {};
}

/** msal sends it as a header and, on token requests, in the query string as well. */
function clientRequestId(request: ServiceRequest): string | undefined {
  return headerValue(request, 'client-request-id') ?? request.query['client-request-id'];
}

function headerValue(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
