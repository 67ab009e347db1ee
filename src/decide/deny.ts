import { covers, intersects } from './actions.js';
import type { Permission } from './permissions.js';

/**
 * Deny assignments block actions whatever the role assignments grant. The effective-permissions list cannot show
 * them: its entries are the permission blocks of role assignments, with no field for a deny (Microsoft.Authorization
 * Permission, every api-version). So they are read on their own (`denyAssignments?$filter=atScope()`).
 */
export interface DenyPrincipal {
  readonly id: string;
  readonly type?: string;
}

/** One deny assignment at the resource or above it, as ARM listed it. */
export interface DenyAssignment {
  readonly name: string;
  readonly scope: string;
  readonly permissions: readonly Permission[];
  readonly principals: readonly DenyPrincipal[];
  readonly excludePrincipals: readonly DenyPrincipal[];
  readonly doNotApplyToChildScopes: boolean;
}

export type DenyEvidence = { readonly kind: 'read'; readonly denyAssignments: readonly DenyAssignment[] } | { readonly kind: 'unreadable'; readonly reason: string };

/** A deny assignment that blocks some of what is required. */
export interface Denial {
  readonly name: string;
  readonly scope: string;
  /** The required data actions it blocks, in whole or in part. */
  readonly blocks: readonly string[];
  /** Why it is taken to apply to the identity: named, everyone, or a group whose members cannot be listed here. */
  readonly reaches: 'principal' | 'everyone' | 'group';
}

/** The principal ID Azure uses in deny assignments for every principal ("Everyone"). */
export const EVERYONE = '00000000-0000-0000-0000-000000000000';

/**
 * The deny assignments that block a required data action for the identity on the resource. Fails closed: a deny
 * naming a group is taken to apply (membership cannot be read with ARM permissions), and one excluding a group is not
 * taken to exclude the identity; only an exclusion naming the identity itself lifts a deny.
 */
export function denialsFor(required: readonly string[], denyAssignments: readonly DenyAssignment[], principalId: string, resourceId: string): Denial[] {
  const me = principalId.toLowerCase();
  const denials: Denial[] = [];
  for (const deny of denyAssignments) {
    if (deny.doNotApplyToChildScopes && deny.scope.toLowerCase() !== resourceId.toLowerCase()) continue;
    if (deny.excludePrincipals.some((p) => p.id.toLowerCase() === me)) continue;
    const reaches = reach(deny.principals, me);
    if (reaches === undefined) continue;
    const blocks = required.filter((action) =>
      deny.permissions.some((p) => p.dataActions.some((d) => intersects(d, action)) && !p.notDataActions.some((n) => covers(n, action))),
    );
    if (blocks.length > 0) denials.push({ name: deny.name, scope: deny.scope, blocks, reaches });
  }
  return denials;
}

function reach(principals: readonly DenyPrincipal[], me: string): Denial['reaches'] | undefined {
  if (principals.some((p) => p.id.toLowerCase() === me)) return 'principal';
  if (principals.some((p) => p.id === EVERYONE)) return 'everyone';
  if (principals.some((p) => p.type?.toLowerCase() === 'group')) return 'group';
  return undefined;
}
