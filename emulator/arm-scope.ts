/**
 * ARM scopes: the tenant root `/`, a subscription, a resource group, or a resource (possibly nested,
 * e.g. a Foundry project under its account). ARM compares every segment case-insensitively, so each
 * scope carries a lower-cased `key` for comparisons next to the spelling it was given in.
 */
export interface ArmScope {
  level: 'tenant' | 'subscription' | 'resourceGroup' | 'resource';
  /** The scope as written, without a trailing slash; `/` for the tenant root. */
  path: string;
  /** `path` lower-cased: compare scopes by this. */
  key: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** Resource provider namespace, e.g. `Microsoft.CognitiveServices`. */
  provider?: string;
  /** Resource types from the top-level one down, e.g. `['accounts', 'projects']`. */
  types?: string[];
  /** Resource names matching `types`. */
  names?: string[];
}

export type ScopeParse = { ok: true; scope: ArmScope } | { ok: false; reason: string };

/** Parses a scope string such as `/subscriptions/…/resourceGroups/rg`. */
export function parseScope(text: string): ScopeParse {
  if (!text.startsWith('/')) return { ok: false, reason: `a scope must start with '/', got '${text}'` };
  const trimmed = text.length > 1 && text.endsWith('/') ? text.slice(0, -1) : text;
  const segments = trimmed === '/' ? [] : trimmed.slice(1).split('/');
  if (segments.some((s) => s === '')) return { ok: false, reason: `the scope '${text}' has an empty segment` };
  return parseScopeSegments(segments);
}

/** Parses already-split, already-decoded path segments (no empty ones). */
export function parseScopeSegments(segments: readonly string[]): ScopeParse {
  const path = '/' + segments.join('/');
  const lower = segments.map((s) => s.toLowerCase());
  if (segments.length === 0) return ok({ level: 'tenant', path: '/' });
  if (lower[0] !== 'subscriptions' || segments.length < 2) {
    return { ok: false, reason: `'${path}' is not a subscription, resource group or resource scope (expected /subscriptions/{id}/…)` };
  }
  const subscriptionId = segments[1];
  if (segments.length === 2) return ok({ level: 'subscription', path, subscriptionId });
  if (lower[2] !== 'resourcegroups' || segments.length < 4) {
    return { ok: false, reason: `'${path}' is not a resource group or resource scope (expected …/resourceGroups/{name}/…)` };
  }
  const resourceGroup = segments[3];
  if (segments.length === 4) return ok({ level: 'resourceGroup', path, subscriptionId, resourceGroup });
  const rest = segments.slice(4);
  // providers/{namespace} followed by one or more {type}/{name} pairs.
  if (rest[0]?.toLowerCase() !== 'providers' || rest.length < 4 || rest.length % 2 !== 0) {
    return { ok: false, reason: `'${path}' is not a resource ID (expected …/providers/{namespace}/{type}/{name})` };
  }
  const pairs = rest.slice(2);
  const types = pairs.filter((_, i) => i % 2 === 0);
  const names = pairs.filter((_, i) => i % 2 === 1);
  return ok({ level: 'resource', path, subscriptionId, resourceGroup, provider: rest[1], types, names });
}

/** True when `scope` is `ancestor` itself or lies beneath it. */
export function isAtOrBelow(scope: ArmScope, ancestor: ArmScope): boolean {
  if (ancestor.level === 'tenant') return true;
  return scope.key === ancestor.key || scope.key.startsWith(ancestor.key + '/');
}

/** The resource's own name (last name segment), e.g. the account name. */
export function resourceName(scope: ArmScope): string | undefined {
  return scope.names?.[scope.names.length - 1];
}

/** `Microsoft.CognitiveServices/accounts` style type of a resource scope. */
export function resourceType(scope: ArmScope): string | undefined {
  if (scope.level !== 'resource' || !scope.provider || !scope.types) return undefined;
  return [scope.provider, ...scope.types].join('/');
}

function ok(scope: Omit<ArmScope, 'key'>): ScopeParse {
  return { ok: true, scope: { ...scope, key: scope.path.toLowerCase() } };
}
