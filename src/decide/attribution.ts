import { checkDataActions, type Permission } from './permissions.js';
import { knownRole, roleDefinitionGuid } from './roles.js';

/** A role assignment that applies to the identity on the resource, with what its role definition grants. */
export interface Assignment {
  readonly id: string;
  readonly roleDefinitionId: string;
  readonly roleName: string;
  /** The principal the role is assigned to: the identity itself, or a group it belongs to. */
  readonly principalId: string;
  readonly principalType: string;
  readonly scope: string;
  readonly createdOn?: string;
  /** The role definition's permissions; undefined when the definition could not be read. */
  readonly permissions?: readonly Permission[];
}

/** What the role assignments say, when they could be read (they need Microsoft.Authorization/roleAssignments/read). */
export type AssignmentsEvidence =
  | {
      readonly kind: 'read';
      readonly assignments: readonly Assignment[];
      /**
       * The identity's assignments elsewhere in the same Foundry account that do not reach the resource: at a project
       * when the account is checked, or at another project. A role at a project covers that project only.
       */
      readonly elsewhere?: readonly Assignment[];
    }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Whether the assignment's role grants every required data action: unknown when its definition was unreadable. */
function grants(assignment: Assignment, required: readonly string[]): boolean | 'unknown' {
  if (assignment.permissions === undefined) return 'unknown';
  return required.length > 0 && checkDataActions(required, assignment.permissions).every((c) => c.granted);
}

export interface Attribution {
  readonly granting: readonly Assignment[];
  readonly other: readonly Assignment[];
  /** Assignments whose definition could not be read: they might grant. */
  readonly unknown: readonly Assignment[];
}

/** The assignments as read, each sorted by whether it grants: computed once, in the verdict, for every reader. */
export type AttributedAssignments =
  | (Extract<AssignmentsEvidence, { kind: 'read' }> & Attribution)
  | Extract<AssignmentsEvidence, { kind: 'unreadable' }>;

export function attributed(evidence: AssignmentsEvidence | undefined, required: readonly string[]): AttributedAssignments | undefined {
  return evidence?.kind === 'read' ? { ...evidence, ...attribute(evidence.assignments, required) } : evidence;
}

export function attribute(assignments: readonly Assignment[], required: readonly string[]): Attribution {
  const verdicts = assignments.map((a) => [a, grants(a, required)] as const);
  return {
    granting: verdicts.filter(([, g]) => g === true).map(([a]) => a),
    other: verdicts.filter(([, g]) => g === false).map(([a]) => a),
    unknown: verdicts.filter(([, g]) => g === 'unknown').map(([a]) => a),
  };
}

/** The display name of a role: the definition's own, else the built-in table's, else its GUID. */
export function roleName(roleDefinitionId: string, definitionName: string | undefined): string {
  return definitionName ?? knownRole(roleDefinitionId)?.name ?? roleDefinitionGuid(roleDefinitionId) ?? roleDefinitionId;
}

/** How long after its creation an assignment may still be on its way: longer for management-group scope. */
export function propagationWindowMs(scope: string): number {
  return /\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope) ? 30 * 60_000 : 10 * 60_000;
}

/** How an assignment reaches the identity: directly, or through a group (named by object ID; Graph is not read). */
export function reach(assignment: Assignment, principalId: string): string {
  if (assignment.principalId.toLowerCase() === principalId.toLowerCase()) return 'direct';
  return `through ${assignment.principalType === 'Group' ? 'group' : assignment.principalType} ${assignment.principalId}`;
}

/** Names of the roles that grant every required data action, over all resources, each once. */
export function grantingRoleNames(evidence: readonly (AttributedAssignments | undefined)[]): string[] {
  return [...new Set(evidence.flatMap((e) => (e?.kind === 'read' ? e.granting.map((a) => a.roleName) : [])))];
}

/** Whether an assignment at `scope` reaches `resourceId`: assigned at it or at a scope above it. */
export function reachesResource(scope: string, resourceId: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  const r = resourceId.toLowerCase();
  return s === '' || r === s || r.startsWith(`${s}/`);
}

/**
 * The granting roles assigned elsewhere in the account, in words, for the diagnosis: they explain a denial that a
 * role "assigned on Foundry" seems to contradict.
 */
export function grantingElsewhere(evidence: AssignmentsEvidence | undefined, required: readonly string[]): string[] {
  if (evidence?.kind !== 'read') return [];
  return (evidence.elsewhere ?? []).filter((a) => grants(a, required) === true).map((a) => `${a.roleName} at ${a.scope}`);
}
