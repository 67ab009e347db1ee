import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { armScope, type Cloud } from '../config/clouds.js';
import type { ResourceId } from '../config/resource-id.js';
import type { DenyAssignment, DenyEvidence, DenyPrincipal } from '../decide/deny.js';
import type { Permission } from '../decide/permissions.js';
import type { ArmFailure } from '../decide/planes/arm.js';
import { accountEndpoints } from '../decide/endpoint.js';
import type { Deployment, DeploymentsEvidence } from '../decide/deployments.js';
import { provisioning, type AccountEvidence, type AccountSettings } from '../decide/readiness.js';
import { changeAgeMs, malformedState } from '../decide/provisioning.js';
import type { AzureSdk } from '../engine/bundles.js';
import { retryAfterMs } from './retry-after.js';
import type { PermissionsEvidence } from '../decide/verdict.js';
import { serviceError } from './service-error.js';
import { transportKind } from './transport.js';
import { MAX_PATTERN_LENGTH } from '../decide/actions.js';
import { onOrigin, singleOriginPolicy } from '../config/origin-policy.js';
import { BODY_LIMITS, boundedBodyPolicy } from '../lib/bounded-body.js';
import { proxyRulePolicy } from '../lib/proxy.js';
import { accountIdOf } from '../lib/account-id.js';

// The first version whose Permission entries carry the role assignment's ABAC `condition` and `conditionVersion`
// (Microsoft.Authorization preview/2022-05-01-preview common-types.json); 2022-04-01 has no field for them.
const PERMISSIONS_API_VERSION = '2022-05-01-preview';
const DENY_API_VERSION = '2022-04-01';
// Also the deployments list's: the same provider and version (ListDeployments.json, 2024-10-01).
const ACCOUNT_API_VERSION = '2024-10-01';
/** A permissions list longer than this many pages is treated as unreadable rather than followed forever. */
const MAX_PAGES = 20;

interface ArmOptions {
  readonly requestTimeoutMs: number;
  readonly userAgent: string;
  /** Aborts every request in flight, retries included, when the run's budget runs out. */
  readonly signal?: AbortSignal;
}

/**
 * The arm-authorization client for a cloud: its pipeline puts the bearer token for the cloud's ARM scope on
 * every request. It retries nothing itself: its retry policy would sleep a whole Retry-After inside one request,
 * past the run's deadline; the wait loop retries what time can cure, within the deadline.
 */
export function createArmClient(sdk: AzureSdk, credential: TokenCredential, cloud: Cloud, options: ArmOptions): AuthorizationManagementClient {
  const client = new sdk.AuthorizationManagementClient(credential, '00000000-0000-0000-0000-000000000000', {
    endpoint: cloud.resourceManagerEndpoint,
    // The generated operations take their host from $host, not from endpoint.
    $host: cloud.resourceManagerEndpoint,
    credentialScopes: [armScope(cloud)],
    userAgentOptions: { userAgentPrefix: options.userAgent },
    retryOptions: { maxRetries: 0 },
    // A redirect would carry the ARM token to wherever it points.
    redirectOptions: { maxRetries: 0 },
  });
  // The generated pagers follow any nextLink: the ARM token goes to ARM's origin and nowhere else, and no answer
  // is read past its cap. Both sit after signing, next to the HTTP client, so they see each attempt as it leaves.
  client.pipeline.addPolicy(singleOriginPolicy(cloud.resourceManagerEndpoint), { afterPhase: 'Sign' });
  client.pipeline.addPolicy(boundedBodyPolicy(BODY_LIMITS.arm, options.requestTimeoutMs), { afterPhase: 'Sign' });
  client.pipeline.addPolicy(proxyRulePolicy(), { afterPhase: 'Sign' });
  return client;
}

/**
 * Reads the caller's permissions. Request URLs are built here from parsed resource IDs: the generated
 * `permissions.listForResource` cannot express a top-level account without an empty path segment.
 */
export class ArmReader {
  private readonly origin: string;
  /** One read of each account per run, shared by the probe (its endpoints) and the readiness check (its settings). */
  private readonly accounts = new Map<string, Promise<AccountAnswer>>();

  constructor(
    private readonly sdk: AzureSdk,
    private readonly client: AuthorizationManagementClient,
    private readonly cloud: Cloud,
    private readonly options: ArmOptions,
  ) {
    this.origin = new URL(cloud.resourceManagerEndpoint).origin;
  }

  /** The caller's own effective permissions on the resource, every page of them, or why they could not be read. */
  async permissions(resource: ResourceId): Promise<PermissionsEvidence> {
    const url = `${this.cloud.resourceManagerEndpoint}${resource.id}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API_VERSION}`;
    const listed = await this.list(url, 'the permissions list', parsePermissionsPage);
    return listed.kind === 'read' ? { kind: 'read', permissions: listed.items } : listed.evidence;
  }

  /** The deny assignments at the resource and above it (`atScope()`), or why they could not be read. */
  async denyAssignments(resource: ResourceId): Promise<DenyEvidence> {
    const filter = encodeURIComponent('atScope()');
    const url = `${this.cloud.resourceManagerEndpoint}${resource.id}/providers/Microsoft.Authorization/denyAssignments?api-version=${DENY_API_VERSION}&$filter=${filter}`;
    const listed = await this.list(url, 'the deny-assignment list', parseDenyAssignmentsPage);
    if (listed.kind === 'read') return { kind: 'read', denyAssignments: listed.items };
    return { kind: 'unreadable', reason: failureText(listed.evidence) };
  }

  /** Every page of an ARM list, following nextLinks on the ARM host only, up to MAX_PAGES. */
  private async list<T>(
    first: string,
    what: string,
    parse: (body: unknown) => { value: T[]; nextLink?: string } | string,
  ): Promise<{ kind: 'read'; items: T[] } | { kind: 'failed'; evidence: ArmFailure }> {
    const items: T[] = [];
    let url: string | undefined = first;
    for (let page = 1; url !== undefined; page++) {
      if (page > MAX_PAGES) return { kind: 'failed', evidence: { kind: 'unusable', reason: `${what} ran past ${MAX_PAGES} pages` } };
      const answer = await this.get(url);
      if (answer.kind !== 'json') return answer;
      const parsed = parse(answer.body);
      if (typeof parsed === 'string') return { kind: 'failed', evidence: { kind: 'unusable', reason: `page ${page} of ${what} ${parsed}` } };
      items.push(...parsed.value);
      if (parsed.nextLink === undefined) url = undefined;
      else {
        const next = this.sameHost(parsed.nextLink);
        if (next === undefined) return { kind: 'failed', evidence: { kind: 'unusable', reason: `${what} points its next page at another host` } };
        url = next;
      }
    }
    return { kind: 'read', items };
  }

  /**
   * The Cognitive Services account behind a resource (a project's parent account), read once per run: its
   * endpoints and settings do not change under a check. A failed read is forgotten, so a later attempt asks again;
   * so is an account still provisioning (see accountSettings), whose state the wait is watching.
   */
  account(resource: ResourceId): Promise<AccountAnswer> {
    const accountId = accountIdOf(resource.id);
    let pending = this.accounts.get(accountId);
    if (!pending) {
      pending = this.readAccount(accountId);
      this.accounts.set(accountId, pending);
      void pending.then((answer) => {
        if ('reason' in answer) this.accounts.delete(accountId);
      });
    }
    return pending;
  }

  /**
   * The model deployments of the resource's account, every page of them, or why they could not be read. Read only
   * when a model call named the model unknown, and again on each such attempt: a deployment on its way changes.
   */
  async deployments(resource: ResourceId): Promise<DeploymentsEvidence> {
    const url = `${this.cloud.resourceManagerEndpoint}${accountIdOf(resource.id)}/deployments?api-version=${ACCOUNT_API_VERSION}`;
    const listed = await this.list(url, 'the deployment list', parseDeploymentsPage);
    if (listed.kind === 'read') return { kind: 'read', deployments: listed.items, readAtMs: Date.now() };
    return { kind: 'unreadable', reason: failureText(listed.evidence), failure: listed.evidence };
  }

  /** The account's keyless-readiness settings, or why they are unknown. */
  async accountSettings(resource: ResourceId): Promise<AccountEvidence> {
    const answer = await this.account(resource);
    if ('reason' in answer) return { kind: 'unreadable', reason: answer.reason, failure: answer.failure };
    const settings = parseAccountSettings(answer.body);
    if (typeof settings === 'string') return { kind: 'unreadable', reason: `the account ${settings}` };
    const readAtMs = Date.now();
    // An account between states (being created, moved, given its DNS name, or just Failed after a recent change,
    // which may still turn Succeeded) is read afresh on the next attempt: its state is what the wait is watching.
    const state = provisioning(settings.provisioningState, changeAgeMs(settings.changedAt, readAtMs));
    if (state.kind === 'in-progress' || (state.kind === 'ended' && state.settling)) this.accounts.delete(accountIdOf(resource.id));
    return { kind: 'read', settings, readAtMs };
  }

  private async readAccount(accountId: string): Promise<AccountAnswer> {
    const answer = await this.get(`${this.cloud.resourceManagerEndpoint}${accountId}?api-version=${ACCOUNT_API_VERSION}`);
    if (answer.kind === 'json') return { body: answer.body };
    return { reason: failureText(answer.evidence), failure: answer.evidence };
  }

  /** A nextLink is followed only on the ARM origin (the client's policy would refuse it anyway; this names why). */
  private sameHost(link: string): string | undefined {
    return onOrigin(link, this.origin) ? new URL(link).href : undefined;
  }

  private async get(url: string): Promise<{ kind: 'json'; body: unknown } | { kind: 'failed'; evidence: ArmFailure }> {
    let response: PipelineResponse;
    try {
      const request = this.sdk.createPipelineRequest({ url, method: 'GET', timeout: this.options.requestTimeoutMs, abortSignal: this.options.signal });
      request.headers.set('accept', 'application/json');
      response = await this.client.sendRequest(request);
    } catch (error) {
      const transport = transportKind(error);
      return { kind: 'failed', evidence: { kind: 'unusable', reason: transportReason(error), ...(transport ? { transport } : {}) } };
    }
    const text = response.bodyAsText ?? '';
    if (response.status !== 200) {
      const { code, message } = serviceError(text);
      const retryAfter = retryAfterMs((name) => response.headers.get(name), Date.now());
      return { kind: 'failed', evidence: { kind: 'refused', status: response.status, code, message, retryAfterMs: retryAfter } };
    }
    try {
      return { kind: 'json', body: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'failed', evidence: { kind: 'unusable', reason: 'Azure Resource Manager answered 200 with a body that is not valid JSON' } };
    }
  }
}

/** The account's resource as ARM returned it, or what kept it from being read. */
export type AccountAnswer = { readonly body: unknown } | { readonly reason: string; readonly failure: ArmFailure };

/** A failed read in a few words, for the reason a piece of evidence is missing. */
function failureText(failure: ArmFailure): string {
  return failure.kind === 'refused' ? `HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''}` : failure.reason;
}

function transportReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

const MAX_CONDITION_CHARS = 8192;

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * One page of `GET …/permissions`, checked field by field: a page that is not exactly the documented shape is
 * rejected whole, so a damaged answer can never be read as a grant. Absent lists are empty, as in ARM's schema.
 */
export function parsePermissionsPage(body: unknown): { value: Permission[]; nextLink?: string } | string {
  const page = listPage(body);
  if (typeof page === 'string') return page;
  const entries: Permission[] = [];
  for (const item of page.value) {
    const entry = parsePermission(item);
    if (typeof entry === 'string') return entry;
    entries.push(entry);
  }
  return page.nextLink !== undefined ? { value: entries, nextLink: page.nextLink } : { value: entries };
}

/** The `value` and `nextLink` of one page of an ARM list. */
function listPage(body: unknown): { value: unknown[]; nextLink?: string } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'is not a JSON object';
  const { value, nextLink } = body as { value?: unknown; nextLink?: unknown };
  if (!Array.isArray(value)) return 'has no "value" array';
  if (nextLink !== undefined && nextLink !== null && typeof nextLink !== 'string') return 'has a "nextLink" that is not a string';
  return typeof nextLink === 'string' && nextLink !== '' ? { value, nextLink } : { value };
}

/** One Permission block (of the permissions list or of a deny assignment), checked field by field. */
function parsePermission(item: unknown): Permission | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'has an entry that is not an object';
  const fields = item as Record<string, unknown>;
  const lists = { actions: [] as string[], notActions: [] as string[], dataActions: [] as string[], notDataActions: [] as string[] };
  for (const name of Object.keys(lists) as (keyof typeof lists)[]) {
    const field = fields[name];
    if (field === undefined || field === null) continue;
    if (!isStringArray(field)) return `has an entry whose "${name}" is not a list of strings`;
    // Real actions are under 200 characters; a longer pattern is not evidence, and matching it would be slow.
    if (field.some((pattern) => pattern.length > MAX_PATTERN_LENGTH)) return `has a "${name}" pattern longer than ${MAX_PATTERN_LENGTH} characters`;
    lists[name] = field;
  }
  // A condition limits the entry; one that cannot be read must not be dropped, or the entry would grant outright.
  const { condition, conditionVersion } = fields;
  if (condition !== undefined && condition !== null && (typeof condition !== 'string' || condition.length > MAX_CONDITION_CHARS)) {
    return 'has an entry whose "condition" is not a string of at most 8192 characters';
  }
  if (conditionVersion !== undefined && conditionVersion !== null && typeof conditionVersion !== 'string') return 'has an entry whose "conditionVersion" is not a string';
  return {
    ...lists,
    ...(typeof condition === 'string' && condition.trim() !== '' ? { condition } : {}),
    ...(typeof conditionVersion === 'string' ? { conditionVersion } : {}),
  };
}

/**
 * One page of `GET …/denyAssignments` (Microsoft.Authorization 2022-04-01 DenyAssignment), checked field by field:
 * a deny that cannot be read whole makes the page unusable rather than disappear.
 */
export function parseDenyAssignmentsPage(body: unknown): { value: DenyAssignment[]; nextLink?: string } | string {
  const page = listPage(body);
  if (typeof page === 'string') return page;
  const denies: DenyAssignment[] = [];
  for (const item of page.value) {
    const p = (item as { properties?: unknown } | null)?.properties;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'has a deny assignment without "properties"';
    const f = p as Record<string, unknown>;
    if (!Array.isArray(f.permissions)) return 'has a deny assignment without "permissions"';
    const permissions: Permission[] = [];
    for (const block of f.permissions) {
      const parsed = parsePermission(block);
      if (typeof parsed === 'string') return parsed.replace('an entry', 'a deny permission');
      permissions.push(parsed);
    }
    const principals = principalList(f.principals);
    const excludePrincipals = principalList(f.excludePrincipals ?? []);
    if (typeof principals === 'string' || typeof excludePrincipals === 'string') return 'has a deny assignment whose principals are not a list of {id, type}';
    if (typeof f.scope !== 'string') return 'has a deny assignment without a "scope"';
    if (f.doNotApplyToChildScopes !== undefined && f.doNotApplyToChildScopes !== null && typeof f.doNotApplyToChildScopes !== 'boolean') {
      return 'has a deny assignment whose "doNotApplyToChildScopes" is not a boolean';
    }
    const id = (item as { name?: unknown }).name;
    const name = typeof f.denyAssignmentName === 'string' ? f.denyAssignmentName : typeof id === 'string' ? id : 'unnamed';
    denies.push({ name: name.slice(0, 256), scope: f.scope, permissions, principals, excludePrincipals, doNotApplyToChildScopes: f.doNotApplyToChildScopes === true });
  }
  return page.nextLink !== undefined ? { value: denies, nextLink: page.nextLink } : { value: denies };
}

function principalList(value: unknown): DenyPrincipal[] | string {
  if (!Array.isArray(value)) return 'not a list';
  const principals: DenyPrincipal[] = [];
  for (const entry of value) {
    const { id, type } = (entry ?? {}) as { id?: unknown; type?: unknown };
    if (typeof id !== 'string' || (type !== undefined && type !== null && typeof type !== 'string')) return 'not a principal';
    principals.push(typeof type === 'string' ? { id, type } : { id });
  }
  return principals;
}

const MAX_SETTING_CHARS = 256;

/**
 * One page of `GET …/accounts/{name}/deployments` (Microsoft.CognitiveServices 2024-10-01 Deployment), checked field
 * by field: each entry needs a `name`; `properties.provisioningState` and `systemData`'s times are read when present.
 * An entry of another shape makes the page unusable, so a damaged list never reads as one without the deployment.
 */
export function parseDeploymentsPage(body: unknown): { value: Deployment[]; nextLink?: string } | string {
  const page = listPage(body);
  if (typeof page === 'string') return page;
  const deployments: Deployment[] = [];
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const optionalText = (value: unknown): value is string | undefined | null => value === undefined || value === null || (typeof value === 'string' && value.length <= MAX_SETTING_CHARS);
  for (const item of page.value) {
    if (!isObject(item)) return 'has an entry that is not an object';
    const { name, properties, systemData } = item;
    if (typeof name !== 'string' || name === '' || name.length > MAX_SETTING_CHARS) return 'has a deployment without a short "name"';
    if (properties !== undefined && properties !== null && !isObject(properties)) return 'has a deployment whose "properties" is not an object';
    if (systemData !== undefined && systemData !== null && !isObject(systemData)) return 'has a deployment whose "systemData" is not an object';
    const state = isObject(properties) ? properties.provisioningState : undefined;
    const created = isObject(systemData) ? systemData.createdAt : undefined;
    const modified = isObject(systemData) ? systemData.lastModifiedAt : undefined;
    if (!optionalText(state) || !optionalText(created) || !optionalText(modified)) return 'has a deployment whose state or times are not short strings';
    const changedAt = laterOf(created, modified);
    deployments.push({ name, ...(typeof state === 'string' ? { provisioningState: state } : {}), ...(changedAt !== undefined ? { changedAt } : {}) });
  }
  return page.nextLink !== undefined ? { value: deployments, nextLink: page.nextLink } : { value: deployments };
}
/**
 * The later of `systemData.createdAt` and `systemData.lastModifiedAt` that are short strings and read as times: a
 * resource just changed may be as far from ready as a new one.
 */
function laterOf(created: unknown, modified: unknown): string | undefined {
  const times = [created, modified].filter((t): t is string => typeof t === 'string' && t.length <= MAX_SETTING_CHARS && !Number.isNaN(Date.parse(t)));
  return times.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

const MAX_IP_RULES = 400;
const MAX_ENDPOINTS = 64;

/**
 * The settings of a Cognitive Services account that decide keyless readiness (`properties.provisioningState`,
 * `customSubDomainName`, `publicNetworkAccess`, `networkAcls`, `disableLocalAuth`), checked field by field. A
 * provisioning state that is not a short string is kept as such (not ready); any other field of the wrong type makes
 * the whole answer unusable, so a damaged body never reads as an open, ready account.
 */
export function parseAccountSettings(body: unknown): AccountSettings | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'is not a JSON object';
  const properties = (body as { properties?: unknown }).properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return 'has no "properties" object';
  const p = properties as Record<string, unknown>;
  const text = (name: string, value: unknown): string | undefined | Error => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length > MAX_SETTING_CHARS) return new Error(`has a "${name}" that is not a short string`);
    return value;
  };
  // Any short string is kept, and any other value is kept as what it was: the decision knows the listed states and
  // treats every other one as not ready. A damaged state must not cost the other settings, which may deny on their own.
  const state = p.provisioningState;
  const provisioningState = state === undefined || state === null ? undefined : typeof state === 'string' && state.length <= MAX_SETTING_CHARS ? state : malformedState(state, MAX_SETTING_CHARS);
  const subdomain = text('customSubDomainName', p.customSubDomainName);
  if (subdomain instanceof Error) return subdomain.message;
  const publicNetworkAccess = text('publicNetworkAccess', p.publicNetworkAccess);
  if (publicNetworkAccess instanceof Error) return publicNetworkAccess.message;
  if (p.disableLocalAuth !== undefined && p.disableLocalAuth !== null && typeof p.disableLocalAuth !== 'boolean') return 'has a "disableLocalAuth" that is not a boolean';
  const disableLocalAuth = typeof p.disableLocalAuth === 'boolean' ? p.disableLocalAuth : undefined;

  let networkDefaultAction: string | undefined;
  const ipRules: string[] = [];
  let virtualNetworkRules = 0;
  const acls = p.networkAcls;
  if (acls !== undefined && acls !== null) {
    if (typeof acls !== 'object' || Array.isArray(acls)) return 'has a "networkAcls" that is not an object';
    const a = acls as Record<string, unknown>;
    const action = text('networkAcls.defaultAction', a.defaultAction);
    if (action instanceof Error) return action.message;
    networkDefaultAction = action;
    if (a.ipRules !== undefined && a.ipRules !== null) {
      if (!Array.isArray(a.ipRules) || a.ipRules.length > MAX_IP_RULES) return 'has "networkAcls.ipRules" that are not a list';
      for (const rule of a.ipRules) {
        const value = text('networkAcls.ipRules[].value', (rule as { value?: unknown } | null)?.value);
        if (value instanceof Error || value === undefined) return 'has an IP rule without a value';
        ipRules.push(value);
      }
    }
    if (a.virtualNetworkRules !== undefined && a.virtualNetworkRules !== null) {
      if (!Array.isArray(a.virtualNetworkRules)) return 'has "networkAcls.virtualNetworkRules" that are not a list';
      virtualNetworkRules = a.virtualNetworkRules.length;
    }
  }
  // The endpoints only tie a model call to this account: an odd one is left out, never a reason to distrust the rest.
  const endpoints = accountEndpoints(body).filter((e) => e.length <= MAX_SETTING_CHARS).slice(0, MAX_ENDPOINTS);
  // The account's age only lets a fresh Failed be waited for: times it cannot read leave the age unknown.
  const systemData = (body as { systemData?: unknown }).systemData;
  const stamps = typeof systemData === 'object' && systemData !== null ? (systemData as Record<string, unknown>) : {};
  const changedAt = laterOf(stamps.createdAt, stamps.lastModifiedAt);
  return { provisioningState, ...(changedAt !== undefined ? { changedAt } : {}), customSubDomainName: subdomain, publicNetworkAccess, networkDefaultAction, ipRules, virtualNetworkRules, disableLocalAuth, endpoints };
}
