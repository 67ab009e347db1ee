import type { AuthorizationManagementClient, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { ResourceId } from '../config/resource-id.js';
import { reachesResource, roleName, type Assignment, type AssignmentsEvidence } from '../decide/attribution.js';
import type { Permission } from '../decide/permissions.js';
import { knownRole, roleDefinitionGuid } from '../decide/roles.js';
import { MAX_PATTERN_LENGTH } from '../decide/actions.js';
import { errorLine } from '../lib/error-text.js';

const MAX_ASSIGNMENTS = 500;

/** Generated operations put their own `/` before a scope: pass it without the leading one, or the path gets `//`. */
const bare = (id: string): string => id.replace(/^\/+/, '');

interface Definition {
  readonly name?: string;
  readonly permissions?: readonly Permission[];
}

/**
 * Role assignments of the identity that apply at the resource (assigned at it or above it, directly or through
 * groups), each with its role definition. Role definitions are read once per GUID per run; a built-in role's
 * definition that cannot be read is known anyway (decide/roles.ts).
 */
export class AssignmentReader {
  private readonly definitions = new Map<string, Promise<Definition>>();

  constructor(
    private readonly client: AuthorizationManagementClient,
    private readonly signal?: AbortSignal,
  ) {}

  async assignments(resource: ResourceId, principalId: string): Promise<AssignmentsEvidence> {
    const listed: RoleAssignment[] = [];
    // Listed at the account without atScope(): at, above and below it, so roles at its projects are seen too.
    const account = resource.project === undefined ? resource.id : resource.id.replace(/\/projects\/[^/]+$/, '');
    try {
      const pages = this.client.roleAssignments.listForScope(bare(account), {
        filter: `assignedTo('${principalId}')`,
        abortSignal: this.signal,
      });
      for await (const assignment of pages) {
        listed.push(assignment);
        if (listed.length > MAX_ASSIGNMENTS) return { kind: 'unreadable', reason: `more than ${MAX_ASSIGNMENTS} role assignments` };
      }
      // Assignments only explain a verdict: whatever one contains, it must not end the run.
      const assignments = await Promise.all(
        listed.map(async (a): Promise<Assignment> => {
          const roleDefinitionId = typeof a.roleDefinitionId === 'string' ? a.roleDefinitionId : '';
          const definition = await this.definition(resource, roleDefinitionId);
          return {
            id: typeof a.id === 'string' ? a.id : '',
            roleDefinitionId,
            roleName: roleName(roleDefinitionId, definition.name),
            principalId: typeof a.principalId === 'string' ? a.principalId : '',
            principalType: typeof a.principalType === 'string' ? a.principalType : 'Unknown',
            scope: typeof a.scope === 'string' ? a.scope : '',
            createdOn: isoTime(a.createdOn),
            permissions: definition.permissions ?? knownRole(roleDefinitionId)?.permissions,
          };
        }),
      );
      return {
        kind: 'read',
        assignments: assignments.filter((a) => reachesResource(a.scope, resource.id)),
        elsewhere: assignments.filter((a) => !reachesResource(a.scope, resource.id)),
      };
    } catch (error) {
      return { kind: 'unreadable', reason: describe(error) };
    }
  }

  /** A role definition, read at the resource's scope first (where a custom role is assignable), then as the assignment cites it. */
  private definition(resource: ResourceId, roleDefinitionId: string): Promise<Definition> {
    const guid = roleDefinitionGuid(roleDefinitionId);
    if (guid === undefined) return Promise.resolve({});
    let pending = this.definitions.get(guid);
    if (!pending) {
      const read = (request: Promise<RoleDefinition>): Promise<Definition> => request.then(definitionOf);
      pending = read(this.client.roleDefinitions.get(bare(resource.id), guid, { abortSignal: this.signal }))
        .catch(() => read(this.client.roleDefinitions.getById(bare(roleDefinitionId), { abortSignal: this.signal })))
        .catch((): Definition => ({}));
      this.definitions.set(guid, pending);
    }
    return pending;
  }
}

/** The name and permissions of a definition, each list checked: a field of another shape counts as unread. */
function definitionOf(d: RoleDefinition): Definition {
  const list = (value: unknown): string[] | undefined => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : value === null || value === undefined ? [] : undefined);
  const permissions: Permission[] = [];
  for (const p of Array.isArray(d.permissions) ? d.permissions : []) {
    const [actions, notActions, dataActions, notDataActions] = [list(p.actions), list(p.notActions), list(p.dataActions), list(p.notDataActions)];
    if (!actions || !notActions || !dataActions || !notDataActions) return { name: typeof d.roleName === 'string' ? d.roleName : undefined };
    // An overlong pattern is not read (nor matched): the role shows as one that might grant.
    if ([actions, notActions, dataActions, notDataActions].some((l) => l.some((pattern) => pattern.length > MAX_PATTERN_LENGTH))) {
      return { name: typeof d.roleName === 'string' ? d.roleName : undefined };
    }
    permissions.push({ actions, notActions, dataActions, notDataActions });
  }
  return { name: typeof d.roleName === 'string' ? d.roleName : undefined, permissions: Array.isArray(d.permissions) ? permissions : undefined };
}

/** An ISO timestamp from what the SDK made of `createdOn`: a Date, perhaps an invalid one, or whatever was sent. */
function isoTime(value: unknown): string | undefined {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Why the assignments could not be read, short enough for a table cell: ARM's long 403 text adds nothing. */
function describe(error: unknown): string {
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = (error as { code?: unknown }).code;
  if (typeof status === 'number' && typeof code === 'string') return `HTTP ${status} ${code}`;
  return errorLine(error);
}
