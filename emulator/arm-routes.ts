import { parseScopeSegments } from './arm-scope.js';
import type { ArmScope } from './arm-scope.js';

export type ArmRoute =
  | { kind: 'permissions'; scope: ArmScope }
  | { kind: 'roleAssignments'; scope: ArmScope }
  | { kind: 'denyAssignments'; scope: ArmScope }
  | { kind: 'roleDefinition'; scope: ArmScope; roleDefinitionId: string }
  | { kind: 'resource'; scope: ArmScope }
  /** `GET {accountId}/deployments`: the account's model deployments. */
  | { kind: 'deployments'; scope: ArmScope }
  | { kind: 'invalid'; message: string }
  | { kind: 'unsupported' };

/**
 * Maps a request path onto the ARM operations the emulator serves. Segments compare case-insensitively,
 * as ARM does (the SDK itself writes `resourcegroups`). Empty segments are refused outright: whether
 * real ARM tolerates `//` is unknown, so a client that sends one must be caught here.
 */
export function routeArmPath(rawPath: string): ArmRoute {
  const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const raw = trimmed === '/' ? [] : trimmed.slice(1).split('/');
  if (raw.some((s) => s === '')) {
    return {
      kind: 'invalid',
      message: `The resource path '${rawPath}' contains an empty segment ('//'). Real ARM's handling of this is unknown, so the emulator refuses it; send a clean path.`,
    };
  }
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return { kind: 'invalid', message: `The resource path '${rawPath}' is not correctly percent-encoded.` };
  }

  const lower = segments.map((s) => s.toLowerCase());
  let at = -1;
  for (let i = lower.length - 2; i >= 0; i--) {
    if (lower[i] === 'providers' && lower[i + 1] === 'microsoft.authorization') {
      at = i;
      break;
    }
  }
  // A resource's child collection, `…/accounts/{name}/deployments`, is the one list outside Microsoft.Authorization.
  const listsDeployments = at < 0 && lower.length % 2 === 1 && lower[lower.length - 1] === 'deployments';
  const scopePart = at < 0 ? (listsDeployments ? segments.slice(0, -1) : segments) : segments.slice(0, at);
  const parsed = parseScopeSegments(scopePart);
  if (!parsed.ok) return { kind: 'invalid', message: `The resource path '${rawPath}' is invalid: ${parsed.reason}.` };
  const scope = parsed.scope;

  if (at < 0 && listsDeployments) return scope.level === 'resource' && scope.types?.length === 1 ? { kind: 'deployments', scope } : { kind: 'unsupported' };
  if (at < 0) return scope.level === 'resource' ? { kind: 'resource', scope } : { kind: 'unsupported' };
  const operation = lower.slice(at + 2);
  if (operation.length === 1 && operation[0] === 'permissions') return { kind: 'permissions', scope };
  if (operation.length === 1 && operation[0] === 'roleassignments') return { kind: 'roleAssignments', scope };
  if (operation.length === 1 && operation[0] === 'denyassignments') return { kind: 'denyAssignments', scope };
  if (operation.length === 2 && operation[0] === 'roledefinitions') {
    return { kind: 'roleDefinition', scope, roleDefinitionId: operation[1] ?? '' };
  }
  return { kind: 'unsupported' };
}
