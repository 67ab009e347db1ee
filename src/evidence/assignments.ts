import type { AuthorizationManagementClient, RoleAssignment } from '@azure/arm-authorization';
import type { ResourceId } from '../config/resource-id.js';
import { roleName, type Assignment, type AssignmentsEvidence } from '../decide/attribution.js';
import type { Permission } from '../decide/permissions.js';
import { roleDefinitionGuid } from '../decide/roles.js';
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
 * groups), each with its role definition. Role definitions are read once per GUID per run.
 */
export class AssignmentReader {
  private readonly definitions = new Map<string, Promise<Definition>>();

  constructor(
    private readonly client: AuthorizationManagementClient,
    private readonly signal?: AbortSignal,
  ) {}

  async assignments(resource: ResourceId, principalId: string): Promise<AssignmentsEvidence> {
    const listed: RoleAssignment[] = [];
    try {
      const pages = this.client.roleAssignments.listForScope(bare(resource.id), {
        filter: `atScope() and assignedTo('${principalId}')`,
        abortSignal: this.signal,
      });
      for await (const assignment of pages) {
        listed.push(assignment);
        if (listed.length > MAX_ASSIGNMENTS) return { kind: 'unreadable', reason: `more than ${MAX_ASSIGNMENTS} role assignments` };
      }
    } catch (error) {
      return { kind: 'unreadable', reason: describe(error) };
    }
    const assignments = await Promise.all(
      listed.map(async (a): Promise<Assignment> => {
        const roleDefinitionId = a.roleDefinitionId ?? '';
        const definition = await this.definition(roleDefinitionId);
        return {
          id: a.id ?? '',
          roleDefinitionId,
          roleName: roleName(roleDefinitionId, definition.name),
          principalId: a.principalId ?? '',
          principalType: a.principalType ?? 'Unknown',
          scope: a.scope ?? '',
          createdOn: a.createdOn?.toISOString(),
          permissions: definition.permissions,
        };
      }),
    );
    return { kind: 'read', assignments };
  }

  private definition(roleDefinitionId: string): Promise<Definition> {
    const guid = roleDefinitionGuid(roleDefinitionId);
    if (guid === undefined) return Promise.resolve({});
    let pending = this.definitions.get(guid);
    if (!pending) {
      pending = this.client.roleDefinitions
        .getById(bare(roleDefinitionId), { abortSignal: this.signal })
        .then((d) => ({
          name: d.roleName,
          permissions: d.permissions?.map((p) => ({
            actions: p.actions ?? [],
            notActions: p.notActions ?? [],
            dataActions: p.dataActions ?? [],
            notDataActions: p.notDataActions ?? [],
          })),
        }))
        .catch((): Definition => ({}));
      this.definitions.set(guid, pending);
    }
    return pending;
  }
}

/** Why the assignments could not be read, short enough for a table cell: ARM's long 403 text adds nothing. */
function describe(error: unknown): string {
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = (error as { code?: unknown }).code;
  if (typeof status === 'number' && typeof code === 'string') return `HTTP ${status} ${code}`;
  return errorLine(error);
}
