import { grantsAction, grantsDataAction } from './action-pattern.js';
import { isAtOrBelow, parseScope } from './arm-scope.js';
import type { ArmScope } from './arm-scope.js';
import type { DenyAssignment, Permission, RoleAssignment, RoleDefinition, Scenario } from './scenario.js';

/**
 * The scenario's role-based access control: which assignments reach a principal at a scope, and
 * whether they grant an action. ARM and the data plane both decide through this one model, so they
 * cannot disagree about who may do what.
 */
export class Rbac {
  private readonly assignmentScopes = new Map<RoleAssignment, ArmScope>();
  private readonly definitions = new Map<string, RoleDefinition>();

  constructor(
    private readonly scenario: Scenario,
    /** Seconds since the emulator started, for `effectiveAfterSeconds`. */
    private readonly elapsedSeconds: () => number,
  ) {
    for (const assignment of scenario.roleAssignments) {
      const parsed = parseScope(assignment.scope);
      if (parsed.ok) this.assignmentScopes.set(assignment, parsed.scope);
    }
    for (const definition of scenario.roleDefinitions) this.definitions.set(definition.id.toLowerCase(), definition);
  }

  /** The principal and every group containing it, directly or through nested groups (lower-case IDs). */
  identitiesOf(principalId: string): Set<string> {
    const found = new Set([principalId.toLowerCase()]);
    const queue = [principalId.toLowerCase()];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const group of this.scenario.groups) {
        const groupId = group.objectId.toLowerCase();
        if (!found.has(groupId) && group.members.some((m) => m.toLowerCase() === id)) {
          found.add(groupId);
          queue.push(groupId);
        }
      }
    }
    return found;
  }

  /** Assignments only authorize once propagation (`effectiveAfterSeconds`, plus any lag of the plane asking) is over. */
  isEffective(assignment: RoleAssignment, lagSeconds = 0): boolean {
    return this.elapsedSeconds() >= assignment.effectiveAfterSeconds + lagSeconds;
  }

  scopeOf(assignment: RoleAssignment): ArmScope | undefined {
    return this.assignmentScopes.get(assignment);
  }

  roleDefinition(guid: string): RoleDefinition | undefined {
    return this.definitions.get(guid.toLowerCase());
  }

  /** Effective assignments that reach `principalId` (directly or through groups) at `scope` or above it. */
  effectiveAssignments(principalId: string, scope: ArmScope, lagSeconds = 0): RoleAssignment[] {
    const identities = this.identitiesOf(principalId);
    return this.scenario.roleAssignments.filter((a) => {
      const at = this.assignmentScopes.get(a);
      return at !== undefined && identities.has(a.principalId.toLowerCase()) && isAtOrBelow(scope, at) && this.isEffective(a, lagSeconds);
    });
  }

  /**
   * Every permission block the principal holds at `scope`, one per block of each effective assignment, each with
   * the condition of its assignment (as ARM's permissions list shows it).
   */
  permissionsAt(principalId: string, scope: ArmScope, lagSeconds = 0): ConditionalPermission[] {
    return this.effectiveAssignments(principalId, scope, lagSeconds).flatMap((a) =>
      (this.roleDefinition(a.roleDefinitionId)?.permissions ?? []).map((block) => ({ ...block, condition: a.condition, conditionHolds: a.conditionHolds })),
    );
  }

  canPerform(principalId: string, scope: ArmScope, action: string): boolean {
    return grantsAction(this.permissionsAt(principalId, scope), action);
  }

  /**
   * Whether the data plane lets the principal perform a data action: it honours assignments `lagSeconds` later, and
   * a conditional assignment only when its condition holds.
   */
  canPerformData(principalId: string, scope: ArmScope, dataAction: string, lagSeconds = 0): boolean {
    if (this.denyingAt(principalId, scope, dataAction).length > 0) return false;
    const blocks = this.permissionsAt(principalId, scope, lagSeconds).filter((b) => b.condition === null || b.conditionHolds);
    return grantsDataAction(blocks, dataAction);
  }

  /** Deny assignments at `scope` or above that block `dataAction` for the principal (directly, by group, or everyone). */
  denyingAt(principalId: string, scope: ArmScope, dataAction: string): DenyAssignment[] {
    const identities = this.identitiesOf(principalId);
    return this.scenario.denyAssignments.filter((d) => {
      const at = parseScope(d.scope);
      if (!at.ok || !isAtOrBelow(scope, at.scope)) return false;
      if (d.doNotApplyToChildScopes && at.scope.key !== scope.key) return false;
      if (d.excludePrincipals.some((p) => identities.has(p.id.toLowerCase()))) return false;
      if (!d.principals.some((p) => p.id === EVERYONE || identities.has(p.id.toLowerCase()))) return false;
      return grantsDataAction([{ actions: [], notActions: [], dataActions: d.dataActions, notDataActions: d.notDataActions }], dataAction);
    });
  }
}

/** The principal deny assignments use for everyone. */
const EVERYONE = '00000000-0000-0000-0000-000000000000';

export interface ConditionalPermission extends Permission {
  condition: string | null;
  conditionHolds: boolean;
}
