import { covers, intersects } from './actions.js';

/** One entry of ARM's permissions list: the permission block of one role assignment that applies to the caller. */
export interface Permission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
  /** The ABAC condition of the role assignment behind the entry: the entry grants only when it holds. */
  readonly condition?: string;
  readonly conditionVersion?: string;
}

export interface ActionCheck {
  /** The required data action (or pattern), as the user wrote it. */
  readonly action: string;
  readonly granted: boolean;
  /** The data-action pattern that grants it in full, when granted. */
  readonly grantedBy?: string;
  /** `notDataActions` patterns that carve part of it out of an entry that would otherwise grant it. */
  readonly excludedBy: readonly string[];
  /**
   * When no unconditional entry grants it but one with an ABAC condition would: the condition's text. Such an action
   * is not granted: whether the condition holds for the calls that matter cannot be told from here.
   */
  readonly onlyIf?: string;
}

/**
 * Each entry is judged on its own: Azure subtracts an entry's `notDataActions` from that entry's `dataActions`
 * only, and the caller holds the union of what the entries leave. An action is granted only when one entry
 * without a condition covers all of it and excludes none of it; an entry with a condition grants only under it.
 */
export function checkDataActions(required: readonly string[], permissions: readonly Permission[]): ActionCheck[] {
  return required.map((action) => {
    const excludedBy = new Set<string>();
    let onlyIf: { condition: string; grantedBy: string } | undefined;
    for (const entry of permissions) {
      const grant = entry.dataActions.find((pattern) => covers(pattern, action));
      if (grant === undefined) continue;
      const carved = entry.notDataActions.filter((pattern) => intersects(pattern, action));
      if (carved.length > 0) {
        carved.forEach((pattern) => excludedBy.add(pattern));
        continue;
      }
      if (entry.condition === undefined) return { action, granted: true, grantedBy: grant, excludedBy: [] };
      onlyIf ??= { condition: entry.condition, grantedBy: grant };
    }
    if (onlyIf) return { action, granted: false, grantedBy: onlyIf.grantedBy, excludedBy: [...excludedBy], onlyIf: onlyIf.condition };
    return { action, granted: false, excludedBy: [...excludedBy] };
  });
}

// What the OpenAI-only roles grant: inference on OpenAI models, which is not Foundry Models (MaaS).
const OPENAI_DATA = 'Microsoft.CognitiveServices/accounts/OpenAI/*';

type PermissionShape = 'none' | 'management-only' | 'openai-only' | 'other-data-actions';

/**
 * What the caller holds when none of it grants the required data actions, read from the permissions alone so
 * the diagnosis works even when role assignments cannot be listed. OpenAI data actions come first: Azure AI
 * Developer also grants Speech and Content Safety, but what people mistake it for is OpenAI model access.
 */
export function permissionShape(permissions: readonly Permission[]): PermissionShape {
  const dataActions = permissions.flatMap((p) => p.dataActions);
  if (dataActions.some((a) => covers(OPENAI_DATA, a))) return 'openai-only';
  if (dataActions.length > 0) return 'other-data-actions';
  if (permissions.some((p) => p.actions.length > 0)) return 'management-only';
  return 'none';
}
