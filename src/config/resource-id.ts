import { err, ok, type Result } from '../lib/result.js';

/**
 * The ARM ID of a Foundry resource: an account, or a project under one (a role assigned at a project's scope
 * does not reach the account, so the two are different targets).
 *
 * The grammar is strict on purpose: every request path is rebuilt from the parsed parts, so nothing a user
 * types (`..`, `?`, `%2F`, stray whitespace) can steer a request to another path or host.
 */
export interface ResourceId {
  /** Canonical form: fixed keywords in ARM's casing, the subscription GUID in lower case. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly account: string;
  readonly project?: string;
}

interface ResourceIdProblem {
  readonly part: string;
  readonly reason: string;
}

const PROVIDER = 'Microsoft.CognitiveServices';
const MAX_LENGTH = 512;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Resource group names: letters, digits, `_ - . ( )`, 1–90 characters, not ending in a period.
const RESOURCE_GROUP = /^[A-Za-z0-9_\-.()]{1,90}$/;
// Cognitive Services account names: 2–64 letters, digits and hyphens, starting with a letter or digit.
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/;
// Foundry project names: letters, digits, `_ - .`, up to 64 characters, starting with a letter or digit.
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_\-.]{0,63}$/;

const EXPECTED_SHAPE =
  '/subscriptions/<subscription-guid>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>[/projects/<project>]';

function problem(part: string, reason: string): { ok: false; error: ResourceIdProblem } {
  return err({ part, reason });
}

function keyword(actual: string | undefined, expected: string): boolean {
  return actual !== undefined && actual.toLowerCase() === expected.toLowerCase();
}

export function parseResourceId(text: string): Result<ResourceId, ResourceIdProblem> {
  if (text.length === 0) return problem('resource-id', 'is empty');
  if (text.length > MAX_LENGTH) return problem('resource-id', `is longer than ${MAX_LENGTH} characters`);
  // Reject anything that could change how a URL is read before looking at the segments.
  const unsafe = /[^\x21-\x7e]|[?#%\\]/.exec(text);
  if (unsafe) {
    const shown = JSON.stringify(unsafe[0]);
    return problem('resource-id', `contains ${shown} at position ${unsafe.index + 1}; expected ${EXPECTED_SHAPE}`);
  }
  if (!text.startsWith('/')) return problem('resource-id', `must start with "/"; expected ${EXPECTED_SHAPE}`);
  const parts = text.slice(1).split('/');
  if (parts.some((p) => p.length === 0)) return problem('resource-id', 'has an empty segment ("//" or a trailing "/")');
  if (parts.some((p) => p === '.' || p === '..')) return problem('resource-id', 'has a "." or ".." segment');

  const [subs, subscription, rgs, group, providers, namespace, accounts, account, projects, project, ...rest] = parts;
  if (!keyword(subs, 'subscriptions') || subscription === undefined) {
    return problem('subscription', `missing; expected ${EXPECTED_SHAPE}`);
  }
  if (!GUID.test(subscription)) return problem('subscription', `"${subscription}" is not a GUID`);
  if (!keyword(rgs, 'resourceGroups') || group === undefined) {
    return problem('resource group', `missing after the subscription; expected ${EXPECTED_SHAPE}`);
  }
  if (!RESOURCE_GROUP.test(group) || group.endsWith('.')) {
    return problem('resource group', `"${group}" is not a valid resource group name`);
  }
  if (!keyword(providers, 'providers') || namespace === undefined) {
    return problem('provider', `missing after the resource group; expected ${EXPECTED_SHAPE}`);
  }
  if (!keyword(namespace, PROVIDER)) {
    return problem('provider', `"${namespace}" is not ${PROVIDER}: Foundry resources are Cognitive Services accounts`);
  }
  if (!keyword(accounts, 'accounts') || account === undefined) {
    return problem('resource type', `expected accounts/<name> after ${PROVIDER}`);
  }
  if (!ACCOUNT.test(account)) return problem('account name', `"${account}" is not a valid account name`);
  if (projects === undefined) {
    const id = `/subscriptions/${subscription.toLowerCase()}/resourceGroups/${group}/providers/${PROVIDER}/accounts/${account}`;
    return ok({ id, subscriptionId: subscription.toLowerCase(), resourceGroup: group, account });
  }
  if (!keyword(projects, 'projects') || project === undefined || rest.length > 0) {
    return problem('resource type', 'only accounts/<name> or accounts/<name>/projects/<project> are Foundry resources');
  }
  if (!PROJECT.test(project)) return problem('project name', `"${project}" is not a valid project name`);
  const id = `/subscriptions/${subscription.toLowerCase()}/resourceGroups/${group}/providers/${PROVIDER}/accounts/${account}/projects/${project}`;
  return ok({ id, subscriptionId: subscription.toLowerCase(), resourceGroup: group, account, project });
}

/** The short name people know a resource by; the full ID is in the report output and the fix commands. */
export function shortName(resourceId: string): string {
  const match = /\/accounts\/([^/]+)(?:\/projects\/([^/]+))?$/i.exec(resourceId);
  if (!match?.[1]) return resourceId;
  return match[2] ? `${match[1]}/${match[2]}` : match[1];
}
