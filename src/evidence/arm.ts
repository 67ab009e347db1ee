import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { armScope, type Cloud } from '../config/clouds.js';
import type { ResourceId } from '../config/resource-id.js';
import type { Permission } from '../decide/permissions.js';
import { retryAfterMs } from './retry-after.js';
import type { PermissionsEvidence } from '../decide/verdict.js';
import { serviceError } from './service-error.js';
import { transportKind } from './transport.js';
import { MAX_PATTERN_LENGTH } from '../decide/actions.js';
import { onOrigin, singleOriginPolicy } from '../config/origin-policy.js';
import { BODY_LIMITS, boundedBodyPolicy } from '../lib/bounded-body.js';
import { proxyRulePolicy } from '../lib/proxy.js';

const PERMISSIONS_API_VERSION = '2022-04-01';
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
export function createArmClient(credential: TokenCredential, cloud: Cloud, options: ArmOptions): AuthorizationManagementClient {
  const client = new AuthorizationManagementClient(credential, '00000000-0000-0000-0000-000000000000', {
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

  constructor(
    private readonly client: AuthorizationManagementClient,
    private readonly cloud: Cloud,
    private readonly options: ArmOptions,
  ) {
    this.origin = new URL(cloud.resourceManagerEndpoint).origin;
  }

  /** The caller's own effective permissions on the resource, every page of them, or why they could not be read. */
  async permissions(resource: ResourceId): Promise<PermissionsEvidence> {
    let url: string | undefined =
      `${this.cloud.resourceManagerEndpoint}${resource.id}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API_VERSION}`;
    const permissions: Permission[] = [];
    for (let page = 1; url !== undefined; page++) {
      if (page > MAX_PAGES) return { kind: 'unusable', reason: `the permissions list ran past ${MAX_PAGES} pages` };
      const answer = await this.get(url);
      if (answer.kind !== 'json') return answer.evidence;
      const parsed = parsePermissionsPage(answer.body);
      if (typeof parsed === 'string') return { kind: 'unusable', reason: `page ${page} of the permissions list ${parsed}` };
      permissions.push(...parsed.value);
      if (parsed.nextLink === undefined) url = undefined;
      else {
        const next = this.sameHost(parsed.nextLink);
        if (next === undefined) return { kind: 'unusable', reason: 'the permissions list points its next page at another host' };
        url = next;
      }
    }
    return { kind: 'read', permissions };
  }

  /** The Cognitive Services account behind a resource (a project's parent account), for its endpoints. */
  async account(resource: ResourceId): Promise<{ body: unknown } | { reason: string }> {
    const accountId = resource.project === undefined ? resource.id : resource.id.replace(/\/projects\/[^/]+$/, '');
    const answer = await this.get(`${this.cloud.resourceManagerEndpoint}${accountId}?api-version=${ACCOUNT_API_VERSION}`);
    if (answer.kind === 'json') return { body: answer.body };
    const evidence = answer.evidence;
    return { reason: evidence.kind === 'refused' ? `HTTP ${evidence.status}${evidence.code ? ` ${evidence.code}` : ''}` : evidence.kind === 'unusable' ? evidence.reason : 'unexpected' };
  }

  /** A nextLink is followed only on the ARM origin (the client's policy would refuse it anyway; this names why). */
  private sameHost(link: string): string | undefined {
    return onOrigin(link, this.origin) ? new URL(link).href : undefined;
  }

  private async get(url: string): Promise<{ kind: 'json'; body: unknown } | { kind: 'failed'; evidence: PermissionsEvidence }> {
    let response: PipelineResponse;
    try {
      const request = createPipelineRequest({ url, method: 'GET', timeout: this.options.requestTimeoutMs, abortSignal: this.options.signal });
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

function transportReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * One page of `GET …/permissions`, checked field by field: a page that is not exactly the documented shape is
 * rejected whole, so a damaged answer can never be read as a grant. Absent lists are empty, as in ARM's schema.
 */
export function parsePermissionsPage(body: unknown): { value: Permission[]; nextLink?: string } | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'is not a JSON object';
  const { value, nextLink } = body as { value?: unknown; nextLink?: unknown };
  if (!Array.isArray(value)) return 'has no "value" array';
  if (nextLink !== undefined && nextLink !== null && typeof nextLink !== 'string') return 'has a "nextLink" that is not a string';
  const entries: Permission[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'has an entry that is not an object';
    const fields = item as Record<string, unknown>;
    const lists: Record<keyof Permission, string[]> = { actions: [], notActions: [], dataActions: [], notDataActions: [] };
    for (const name of Object.keys(lists) as (keyof Permission)[]) {
      const field = fields[name];
      if (field === undefined || field === null) continue;
      if (!isStringArray(field)) return `has an entry whose "${name}" is not a list of strings`;
      // Real actions are under 200 characters; a longer pattern is not evidence, and matching it would be slow.
      if (field.some((pattern) => pattern.length > MAX_PATTERN_LENGTH)) return `has a "${name}" pattern longer than ${MAX_PATTERN_LENGTH} characters`;
      lists[name] = field;
    }
    entries.push(lists);
  }
  return typeof nextLink === 'string' && nextLink !== '' ? { value: entries, nextLink } : { value: entries };
}
