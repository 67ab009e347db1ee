import { randomBytes } from 'node:crypto';
import { checkAccessToken } from './access-token.js';
import { parseScope } from './arm-scope.js';
import type { EmulatorContext } from './context.js';
import { deploymentsNow } from './deployments.js';
import type { FoundryResource } from './scenario.js';
import type { ServiceHandler, ServiceReply, ServiceRequest } from './service-host.js';

/** What Foundry Models chat completions demands of the caller. */
export const CHAT_COMPLETIONS_DATA_ACTION = 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action';
const DATA_PLANE_AUDIENCES = ['https://ai.azure.com', 'https://cognitiveservices.azure.com'];

/**
 * The Foundry Models inference API (`POST …/models/chat/completions`).
 *
 * Real accounts each have their own host (`https://NAME.services.ai.azure.com/models/…`). Here every
 * account shares one port, so the account name is the first path segment instead:
 * `${urls.data}/<accountName>/models/chat/completions`, and each account's endpoint is `${urls.data}/<accountName>/`.
 */
export function foundryDataPlaneHandler(context: EmulatorContext): ServiceHandler {
  return (request) => {
    const [accountName = '', ...rest] = request.path.split('/').slice(1);
    const resource = context.scenario.resources.find((r) => r.name.toLowerCase() === accountName.toLowerCase());
    if (!resource) {
      return dataError(404, '404', `Resource not found. (Emulator: no scenario resource is named '${accountName}'; data-plane paths are /<accountName>/models/….)`);
    }
    const operation = rest.join('/').toLowerCase();
    if (operation !== 'models/chat/completions') return dataError(404, '404', 'Resource not found');
    if (request.method !== 'POST') return dataError(405, '405', `Method ${request.method} is not allowed on /models/chat/completions.`);
    return chatCompletions(context, request, resource);
  };
}

/** The caller's address as the account's firewall sees it: every emulator caller comes from loopback. */
const CALLER_ADDRESS = '127.0.0.1';

/**
 * Network rules refuse a caller before its credentials are looked at, with the messages of real answers:
 * "Public access is disabled. Please configure private endpoint." (azure-search-openai-demo#1157) and
 * "Access denied due to Virtual Network/Firewall rules." (azure-sql-db-chatbot#3), both 403 with code "403".
 */
function networkRefusal(resource: FoundryResource): ServiceReply | undefined {
  if (resource.publicNetworkAccess === 'Disabled') return dataError(403, '403', 'Public access is disabled. Please configure private endpoint.');
  const acls = resource.networkAcls;
  if (acls?.defaultAction === 'Deny' && !acls.ipRules.some((rule) => rule === CALLER_ADDRESS || rule === `${CALLER_ADDRESS}/32`)) {
    return dataError(403, '403', 'Access denied due to Virtual Network/Firewall rules.');
  }
  return undefined;
}

function chatCompletions(context: EmulatorContext, request: ServiceRequest, resource: FoundryResource): ServiceReply {
  const refused = networkRefusal(resource);
  if (refused) return refused;
  if (request.bearer === undefined || resource.customSubDomainName === null) {
    // Without a bearer token the service falls back to key authentication, and this caller sent no valid key; a
    // regional endpoint (no custom subdomain) takes keys only, so it answers a bearer token the same way.
    return dataError(401, '401',
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
  }
  const auth = checkAccessToken(context, request.bearer, DATA_PLANE_AUDIENCES);
  if (!auth.ok) {
    return dataError(401, '401', 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://ai.azure.com), or have expired.');
  }
  request.log.principalId = auth.principalId;

  const scope = parseScope(resource.id);
  const allowed = scope.ok && context.rbac.canPerformData(auth.principalId, scope.scope, CHAT_COMPLETIONS_DATA_ACTION, context.scenario.data.lagSeconds);
  if (!allowed) {
    const message = context.scenario.data.legacyDenyMessage
      ? 'Principal does not have access to API/Operation.'
      : `The principal \`${auth.principalId}\` lacks the required data action \`${CHAT_COMPLETIONS_DATA_ACTION}\` to perform ` +
        '`POST /models/chat/completions` operation. For instructions on granting the necessary permissions, see https://aka.ms/FoundryPermissions.';
    return dataError(401, 'PermissionDenied', message);
  }

  if (!request.query['api-version']) return dataError(400, 'BadRequest', 'Missing required query parameter: api-version');
  const body = parseBody(request.body);
  if (typeof body === 'string') return dataError(400, 'BadRequest', body);
  const model = body.model;
  if (typeof model !== 'string' || model === '') return dataError(400, 'BadRequest', "The 'model' field is required for this endpoint.");
  // A deployment not yet served (being created, or failed) is as unknown to the endpoint as a name never deployed.
  if (!deploymentsNow(context, resource).some((d) => d.served && d.name.toLowerCase() === model.toLowerCase())) {
    return { status: 404, json: { error: { code: 'unknown_model', message: `Unknown model: ${model}`, details: `Unknown model: ${model}` } } };
  }
  return { status: 200, json: completion(context, model, body) };
}

function parseBody(raw: Buffer): Record<string, unknown> | string {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be a JSON object.';
  const messages = (body as Record<string, unknown>).messages;
  if (!Array.isArray(messages) || messages.length === 0) return "'messages' is required and must be a non-empty array.";
  return body as Record<string, unknown>;
}

/** A minimal but well-formed completion; `max_tokens` caps it, as the real service does. */
function completion(context: EmulatorContext, model: string, body: Record<string, unknown>): unknown {
  const reply = ['Hello', '!', ' The', ' emulated', ' model', ' is', ' reachable', '.'];
  const maxTokens = typeof body.max_tokens === 'number' && body.max_tokens > 0 ? Math.floor(body.max_tokens) : reply.length;
  const tokens = reply.slice(0, maxTokens);
  const promptTokens = JSON.stringify(body.messages).split(/\s+|(?=[{}[\]",:])/).filter(Boolean).length;
  return {
    id: `chatcmpl-${randomBytes(12).toString('hex')}`,
    object: 'chat.completion',
    created: Math.floor(context.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: tokens.join(''), tool_calls: null },
        finish_reason: tokens.length < reply.length ? 'length' : 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length },
  };
}

function dataError(status: number, code: string, message: string): ServiceReply {
  return { status, json: { error: { code, message } } };
}
