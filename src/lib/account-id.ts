/**
 * A Foundry resource ID's parent account: an account's ID is its own, a project's is the account it sits under.
 * Settings, deployments and fixes live on the account, also for a project. Here (lib/) rather than beside the
 * resource-ID grammar in config/, since the decisions (decide/) need it too and may not import config/.
 */
export function accountIdOf(resourceId: string): string {
  // Case-insensitive like the grammar's keywords (config/resource-id.ts): ARM IDs come back in any casing.
  return resourceId.replace(/\/projects\/[^/]+$/i, '');
}
