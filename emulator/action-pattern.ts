import type { Permission } from './scenario.js';

/**
 * Azure RBAC action matching, kept separate from the action's own matcher on purpose: the emulator
 * must not share code with what it tests.
 *
 * Patterns compare case-insensitively and `*` stands for any sequence, `/` included
 * (`Microsoft.CognitiveServices/*` covers `Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action`).
 */
export function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/**
 * Whether any permission block grants `action`. A `notActions` entry only removes what its own block
 * grants; another block (another role) may still grant it, as in Azure.
 */
export function grantsAction(blocks: readonly Permission[], action: string): boolean {
  return blocks.some(
    (b) => b.actions.some((p) => actionMatches(p, action)) && !b.notActions.some((p) => actionMatches(p, action)),
  );
}

/** Same as {@link grantsAction} for data actions. */
export function grantsDataAction(blocks: readonly Permission[], dataAction: string): boolean {
  return blocks.some(
    (b) => b.dataActions.some((p) => actionMatches(p, dataAction)) && !b.notDataActions.some((p) => actionMatches(p, dataAction)),
  );
}
