import { checkAccessToken, isoSeconds } from './access-token.js';
import type { AccessTokenCheck } from './access-token.js';
import { routeArmPath } from './arm-routes.js';
import { isAtOrBelow, parseScope } from './arm-scope.js';
import type { ArmScope } from './arm-scope.js';
import { parseAssignmentFilter } from './assignment-filter.js';
import type { EmulatorContext } from './context.js';
import { deploymentsNow, LONG_AGO } from './deployments.js';
import type { FoundryResource, RoleAssignment, RoleDefinition } from './scenario.js';
import type { ServiceHandler, ServiceReply, ServiceRequest } from './service-host.js';

/** Object ID shown as `createdBy` of assignments: the administrator who granted them. */
const ADMIN_OBJECT_ID = '6f1e5d4c-3b2a-4190-8e7d-6c5b4a392817';
const AUTHORIZATION = 'providers/Microsoft.Authorization';

/**
 * Azure Resource Manager: the caller's permissions, role assignments and role definitions
 * (Microsoft.Authorization) and the Cognitive Services account itself.
 */
export function armHandler(context: EmulatorContext): ServiceHandler {
  const inventory = new Inventory(context);
  const audiences = [context.urls.arm, 'https://management.azure.com', 'https://management.core.windows.net'];

  return (request) => {
    const auth = checkAccessToken(context, request.bearer, audiences);
    if (!auth.ok) return authenticationFailure(context, auth, audiences);
    const principalId = auth.principalId;
    request.log.principalId = principalId;

    if (!request.query['api-version']) {
      return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (request.method !== 'GET') {
      return armError(405, 'MethodNotAllowed', `The emulated ARM only serves GET requests; got ${request.method} ${request.path}.`);
    }

    // The tenant-level lists the Azure CLI reads after signing in (ARM lists a subscription to anyone holding a role
    // anywhere in it; here, the subscriptions of the scenario's resources). `az rest` needs the resource's there.
    if (request.path === '/subscriptions') return { status: 200, json: { value: subscriptionList(context) } };
    if (request.path === '/tenants') return { status: 200, json: { value: [{ id: `/tenants/${context.scenario.tenantId}`, tenantId: context.scenario.tenantId }] } };

    const route = routeArmPath(request.path);
    switch (route.kind) {
      case 'invalid':
        return armError(400, 'InvalidResourceId', route.message);
      case 'unsupported':
        return armError(400, 'EmulatorUnsupportedRequest',
          `The emulated ARM does not serve GET ${request.path}. It serves {scope}/providers/Microsoft.Authorization/permissions, ` +
          '{scope}/providers/Microsoft.Authorization/roleAssignments, {scope}/providers/Microsoft.Authorization/roleDefinitions/{id}, GET {resourceId} and GET {accountId}/deployments.');
      case 'permissions':
        return listPermissions(context, inventory, request, principalId, route.scope);
      case 'roleAssignments':
        return listRoleAssignments(context, inventory, request, principalId, route.scope);
      case 'denyAssignments':
        return listDenyAssignments(context, inventory, request, principalId, route.scope);
      case 'roleDefinition':
        return getRoleDefinition(context, inventory, route.scope, route.roleDefinitionId);
      case 'resource':
        return getResource(context, inventory, principalId, route.scope);
      case 'deployments':
        return listDeployments(context, inventory, request, principalId, route.scope);
    }
  };
}

function listPermissions(context: EmulatorContext, inventory: Inventory, request: ServiceRequest, principalId: string, scope: ArmScope): ServiceReply {
  const denied =
    inventory.missingSubscription(scope) ??
    (context.scenario.arm.permissionsReadRequiresAction ? authorize(context, principalId, scope, 'Microsoft.Authorization/permissions/read') : undefined) ??
    inventory.missing(scope);
  if (denied) return denied;
  // The fields of Permission in Microsoft.Authorization 2022-05-01-preview: condition and conditionVersion are null
  // for an unconditional assignment.
  const entries = context.rbac.permissionsAt(principalId, scope).map((p) => ({
    actions: p.actions,
    notActions: p.notActions,
    dataActions: p.dataActions,
    notDataActions: p.notDataActions,
    condition: p.condition,
    conditionVersion: p.condition === null ? null : '2.0',
  }));
  return page(context, request, entries);
}

function listRoleAssignments(context: EmulatorContext, inventory: Inventory, request: ServiceRequest, principalId: string, scope: ArmScope): ServiceReply {
  const denied =
    inventory.missingSubscription(scope) ??
    authorize(context, principalId, scope, 'Microsoft.Authorization/roleAssignments/read') ??
    inventory.missing(scope);
  if (denied) return denied;
  const parsed = parseAssignmentFilter(request.query.$filter);
  if (!parsed.ok) return armError(400, 'UnsupportedFilter', parsed.message);
  const { filter } = parsed;
  const identities = filter.assignedTo === undefined ? undefined : context.rbac.identitiesOf(filter.assignedTo);

  // Listed whether or not effective yet: ARM shows an assignment at once; only authorization lags.
  const items = context.scenario.roleAssignments.filter((a) => {
    const at = context.rbac.scopeOf(a);
    if (!at) return false;
    const inRange = filter.atScope ? isAtOrBelow(scope, at) : isAtOrBelow(scope, at) || isAtOrBelow(at, scope);
    if (!inRange) return false;
    if (identities && !identities.has(a.principalId.toLowerCase())) return false;
    if (filter.principalId !== undefined && a.principalId.toLowerCase() !== filter.principalId.toLowerCase()) return false;
    return true;
  });
  return page(context, request, items.map((a) => renderAssignment(a)));
}

function listDenyAssignments(context: EmulatorContext, inventory: Inventory, request: ServiceRequest, principalId: string, scope: ArmScope): ServiceReply {
  const denied =
    inventory.missingSubscription(scope) ??
    authorize(context, principalId, scope, 'Microsoft.Authorization/denyAssignments/read') ??
    inventory.missing(scope);
  if (denied) return denied;
  const filter = (request.query.$filter ?? '').trim();
  if (filter !== '' && !/^atScope\(\)$/i.test(filter)) return armError(400, 'UnsupportedFilter', `The emulated ARM lists deny assignments with $filter=atScope() or no filter; got '${filter}'.`);
  const items = context.scenario.denyAssignments.filter((d) => {
    const at = parseScope(d.scope);
    if (!at.ok) return false;
    return filter !== '' ? isAtOrBelow(scope, at.scope) : isAtOrBelow(scope, at.scope) || isAtOrBelow(at.scope, scope);
  });
  // The shape of GetDenyAssignmentByScope.json (Microsoft.Authorization 2022-04-01).
  return page(context, request, items.map((d) => ({
    properties: {
      denyAssignmentName: d.name,
      description: `Deny assignment ${d.name}`,
      permissions: [{ actions: d.actions, notActions: [], dataActions: d.dataActions, notDataActions: d.notDataActions }],
      scope: d.scope,
      doNotApplyToChildScopes: d.doNotApplyToChildScopes,
      principals: d.principals,
      excludePrincipals: d.excludePrincipals,
      isSystemProtected: true,
    },
    id: `${d.scope === '/' ? '' : d.scope}/${AUTHORIZATION}/denyAssignments/${d.id}`,
    type: 'Microsoft.Authorization/denyAssignments',
    name: d.id,
  })));
}

function getRoleDefinition(context: EmulatorContext, inventory: Inventory, scope: ArmScope, guid: string): ServiceReply {
  const missing = inventory.missingSubscription(scope) ?? inventory.missing(scope);
  if (missing) return missing;
  const definition = context.rbac.roleDefinition(guid);
  if (!definition) {
    return armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);
  }
  return { status: 200, json: renderRoleDefinition(definition, scope.subscriptionId) };
}

function getResource(context: EmulatorContext, inventory: Inventory, principalId: string, scope: ArmScope): ServiceReply {
  const type = [scope.provider, ...(scope.types ?? [])].join('/');
  const denied = inventory.missingSubscription(scope) ?? authorize(context, principalId, scope, `${type}/read`) ?? inventory.missing(scope);
  if (denied) return denied;
  const resource = context.scenario.resources.find((r) => r.id.toLowerCase() === scope.key);
  if (resource) return { status: 200, json: renderAccount(context, resource) };
  for (const account of context.scenario.resources) {
    const project = account.projects.find((p) => `${account.id}/projects/${p}`.toLowerCase() === scope.key);
    if (project !== undefined) return { status: 200, json: renderProject(context, account, project) };
  }
  return resourceNotFound(scope);
}

/** The account's deployments, in the shape of ListDeployments.json (Microsoft.CognitiveServices 2024-10-01), with systemData. */
function listDeployments(context: EmulatorContext, inventory: Inventory, request: ServiceRequest, principalId: string, scope: ArmScope): ServiceReply {
  const denied =
    inventory.missingSubscription(scope) ??
    authorize(context, principalId, scope, 'Microsoft.CognitiveServices/accounts/deployments/read') ??
    inventory.missing(scope);
  if (denied) return denied;
  const resource = context.scenario.resources.find((r) => r.id.toLowerCase() === scope.key);
  if (!resource) return resourceNotFound(scope);
  return page(context, request, deploymentsNow(context, resource).map((d) => ({
    id: `${resource.id}/deployments/${d.name}`,
    name: d.name,
    type: 'Microsoft.CognitiveServices/accounts/deployments',
    sku: { name: 'GlobalStandard', capacity: 1 },
    properties: { model: { format: 'OpenAI', name: d.name, version: '1' }, provisioningState: d.provisioningState },
    systemData: { createdBy: ADMIN_OBJECT_ID, createdByType: 'User', createdAt: d.createdAt, lastModifiedBy: ADMIN_OBJECT_ID, lastModifiedByType: 'User', lastModifiedAt: d.createdAt },
  })));
}

/** 403 AuthorizationFailed unless an effective assignment grants `action` at `scope`. */
function authorize(context: EmulatorContext, principalId: string, scope: ArmScope, action: string): ServiceReply | undefined {
  if (context.rbac.canPerform(principalId, scope, action)) return undefined;
  return armError(403, 'AuthorizationFailed',
    `The client '${principalId}' with object id '${principalId}' does not have authorization to perform action '${action}' ` +
    `over scope '${scope.path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
}

/** One page of `items`; a `nextLink` back to the same URL with a `$skiptoken` when more remain. */
function page(context: EmulatorContext, request: ServiceRequest, items: unknown[]): ServiceReply {
  const skipText = request.query.$skiptoken ?? '0';
  const skip = /^\d+$/.test(skipText) ? Number(skipText) : NaN;
  if (Number.isNaN(skip)) return armError(400, 'InvalidSkipToken', `The $skiptoken '${skipText}' is not one this API issued.`);
  const size = context.scenario.arm.pageSize;
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { status: 200, json: { value } };
  // The SDK follows nextLink verbatim, so it must carry api-version and the filter itself.
  const query = Object.entries({ ...request.query, $skiptoken: String(skip + size) })
    .map(([key, v]) => `${key}=${encodeURIComponent(v)}`)
    .join('&');
  return { status: 200, json: { value, nextLink: `${context.urls.arm}${request.path}?${query}` } };
}

function renderAssignment(assignment: RoleAssignment): unknown {
  const parsed = parseScope(assignment.scope);
  const subscriptionId = parsed.ok ? parsed.scope.subscriptionId : undefined;
  const scopePrefix = assignment.scope === '/' ? '' : assignment.scope;
  return {
    properties: {
      roleDefinitionId: roleDefinitionPath(assignment.roleDefinitionId, subscriptionId),
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      condition: assignment.condition,
      conditionVersion: assignment.condition === null ? null : '2.0',
      createdOn: assignment.createdOn,
      updatedOn: assignment.createdOn,
      createdBy: ADMIN_OBJECT_ID,
      updatedBy: ADMIN_OBJECT_ID,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    id: `${scopePrefix}/${AUTHORIZATION}/roleAssignments/${assignment.id}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: assignment.id,
  };
}

function renderRoleDefinition(definition: RoleDefinition, subscriptionId: string | undefined): unknown {
  return {
    properties: {
      roleName: definition.roleName,
      type: definition.type,
      description: definition.description,
      assignableScopes: definition.assignableScopes,
      permissions: definition.permissions,
      createdOn: '2015-02-02T21:55:09.8806423Z',
      updatedOn: '2025-01-01T00:00:00.0000000Z',
      createdBy: null,
      updatedBy: null,
    },
    id: roleDefinitionPath(definition.id, subscriptionId),
    type: 'Microsoft.Authorization/roleDefinitions',
    name: definition.id,
  };
}

/** ARM cites role definitions under the subscription in hand, or at the tenant root without one. */
function roleDefinitionPath(guid: string, subscriptionId: string | undefined): string {
  const prefix = subscriptionId === undefined ? '' : `/subscriptions/${subscriptionId}`;
  return `${prefix}/${AUTHORIZATION}/roleDefinitions/${guid}`;
}

function renderAccount(context: EmulatorContext, resource: FoundryResource): unknown {
  const expand = (url: string) => url.replaceAll('{data}', context.urls.data);
  return {
    id: resource.id,
    name: resource.name,
    type: 'Microsoft.CognitiveServices/accounts',
    etag: `"${resource.name}-etag"`,
    location: resource.location,
    sku: { name: 'S0' },
    kind: resource.kind,
    // The fields as the Cognitive Services REST spec's AccountProperties names them; absent ones are left out.
    properties: {
      endpoint: expand(resource.endpoint),
      endpoints: Object.fromEntries(Object.entries(resource.endpoints).map(([key, url]) => [key, expand(url)])),
      ...provisioningStateAt(context, resource),
      ...(resource.customSubDomainName === null ? {} : { customSubDomainName: resource.customSubDomainName }),
      ...(resource.networkAcls === null
        ? {}
        : {
            networkAcls: {
              defaultAction: resource.networkAcls.defaultAction,
              ipRules: resource.networkAcls.ipRules.map((value) => ({ value })),
              virtualNetworkRules: resource.networkAcls.virtualNetworkRules.map((id) => ({ id, state: 'Succeeded', ignoreMissingVnetServiceEndpoint: false })),
            },
          }),
      publicNetworkAccess: resource.publicNetworkAccess,
      ...(resource.disableLocalAuth === null ? {} : { disableLocalAuth: resource.disableLocalAuth }),
    },
    systemData: accountSystemData(context, resource),
  };
}

/** When the account was made and last changed, as ARM's `systemData` states them (GetAccount.json's shape). */
function accountSystemData(context: EmulatorContext, resource: FoundryResource): unknown {
  const createdAt = LONG_AGO;
  const lastModifiedAt = resource.modifiedSecondsAgo === null ? createdAt : new Date(context.startedAt - resource.modifiedSecondsAgo * 1000).toISOString();
  return { createdBy: ADMIN_OBJECT_ID, createdByType: 'User', createdAt, lastModifiedBy: ADMIN_OBJECT_ID, lastModifiedByType: 'User', lastModifiedAt };
}

/** The account's state now: as the scenario gives it, until `succeededAfterSeconds` have passed since start. */
function provisioningStateAt(context: EmulatorContext, resource: FoundryResource): { provisioningState?: string } {
  const done = resource.succeededAfterSeconds !== null && (context.now() - context.startedAt) / 1000 >= resource.succeededAfterSeconds;
  if (done) return { provisioningState: 'Succeeded' };
  return resource.provisioningState === null ? {} : { provisioningState: resource.provisioningState };
}

/** A Foundry project as GetProject.json (Microsoft.CognitiveServices 2025-06-01) shows it. */
function renderProject(context: EmulatorContext, account: FoundryResource, name: string): unknown {
  return {
    id: `${account.id}/projects/${name}`,
    name,
    type: 'Microsoft.CognitiveServices/accounts/projects',
    location: account.location,
    etag: `"${name}-etag"`,
    properties: {
      provisioningState: 'Succeeded',
      displayName: name,
      endpoints: { 'AI Foundry API': `${account.endpoint.replaceAll('{data}', context.urls.data)}api/projects/${name}` },
      isDefault: false,
    },
  };
}

function authenticationFailure(context: EmulatorContext, auth: AccessTokenCheck & { ok: false }, audiences: string[]): ServiceReply {
  const [code, message] = ((): [string, string] => {
    switch (auth.problem) {
      case 'missing':
        return ['AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."];
      case 'malformed':
      case 'signature':
        return ['InvalidAuthenticationToken', `The access token is invalid: ${auth.detail}.`];
      case 'expired':
        return ['ExpiredAuthenticationToken', `The access token expiry UTC time '${isoSeconds(auth.claims?.exp)}' is earlier than current UTC time '${new Date(context.now()).toISOString()}'.`];
      case 'not-yet-valid':
        return ['InvalidAuthenticationToken', `The access token is not yet valid: ${auth.detail}.`];
      case 'audience':
        return ['InvalidAuthenticationTokenAudience',
          `The access token has been obtained for wrong audience or resource '${String(auth.claims?.aud)}'. ` +
          `It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}','${a}/'`).join(',')}.`];
    }
  })();
  const challenge = `Bearer authorization_uri="${context.urls.entra}/${context.scenario.tenantId}", error="invalid_token", error_description="${message.replaceAll('"', "'")}"`;
  return { status: 401, headers: { 'www-authenticate': challenge }, json: { error: { code, message } } };
}

function armError(status: number, code: string, message: string): ServiceReply {
  return { status, json: { error: { code, message } } };
}

function resourceNotFound(scope: ArmScope): ServiceReply {
  const typeAndName = (scope.types ?? []).flatMap((t, i) => [t, scope.names?.[i] ?? '']).join('/');
  return armError(404, 'ResourceNotFound',
    `The Resource '${scope.provider}/${typeAndName}' under resource group '${scope.resourceGroup}' was not found. ` +
    'For more details please go to https://aka.ms/ARMResourceNotFoundFix');
}

/**
 * What exists in the emulated subscriptions: whatever the scenario's resources and assignment scopes
 * name. ARM reports a missing subscription before any authorization check, and a missing resource
 * group or resource after it.
 */
class Inventory {
  private readonly subscriptions = new Set<string>();
  private readonly resourceGroups = new Set<string>();
  private readonly resources = new Set<string>();

  constructor(context: EmulatorContext) {
    const scopes = [
      ...context.scenario.resources.flatMap((r) => [r.id, ...r.projects.map((p) => `${r.id}/projects/${p}`)]),
      ...context.scenario.roleAssignments.map((a) => a.scope),
    ];
    for (const text of scopes) {
      const parsed = parseScope(text);
      if (!parsed.ok) continue;
      const s = parsed.scope;
      if (s.subscriptionId) this.subscriptions.add(s.subscriptionId.toLowerCase());
      if (s.subscriptionId && s.resourceGroup) this.resourceGroups.add(`${s.subscriptionId}/${s.resourceGroup}`.toLowerCase());
      if (s.level === 'resource') this.resources.add(s.key);
    }
  }

  missingSubscription(scope: ArmScope): ServiceReply | undefined {
    if (scope.subscriptionId === undefined || this.subscriptions.has(scope.subscriptionId.toLowerCase())) return undefined;
    return armError(404, 'SubscriptionNotFound', `The subscription '${scope.subscriptionId}' could not be found.`);
  }

  missing(scope: ArmScope): ServiceReply | undefined {
    const subscription = this.missingSubscription(scope);
    if (subscription) return subscription;
    if (scope.resourceGroup !== undefined && !this.resourceGroups.has(`${scope.subscriptionId}/${scope.resourceGroup}`.toLowerCase())) {
      return armError(404, 'ResourceGroupNotFound', `Resource group '${scope.resourceGroup}' could not be found.`);
    }
    if (scope.level === 'resource' && !this.resources.has(scope.key)) return resourceNotFound(scope);
    return undefined;
  }
}

function subscriptionList(context: EmulatorContext): Record<string, unknown>[] {
  const ids = new Set(context.scenario.resources.map((r) => /^\/subscriptions\/([^/]+)/i.exec(r.id)?.[1]).filter((id) => id !== undefined));
  return [...ids].map((id) => ({
    id: `/subscriptions/${id}`,
    subscriptionId: id,
    tenantId: context.scenario.tenantId,
    displayName: `Emulated ${id.slice(0, 8)}`,
    state: 'Enabled',
  }));
}
