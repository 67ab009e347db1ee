/**
 * Built-in roles that matter to Foundry inference, by GUID: role names are display text and can be
 * localised or renamed ("Azure AI User" is also shown as "Foundry User"), GUIDs are not.
 */
import type { Permission } from './permissions.js';

interface KnownRole {
  readonly id: string;
  readonly name: string;
  /**
   * What the role grants, the same in every tenant (built-in roles cannot be edited): used when a definition
   * cannot be read, so whether an assignment grants never depends on being allowed to read it. Data actions
   * are Microsoft's (Learn, "Azure built-in roles for AI + machine learning"); actions are abridged to what tells
   * a management role from a data role.
   */
  readonly permissions: readonly Permission[];
}

const grants = (actions: string[], dataActions: string[] = []): Permission[] => [{ actions, notActions: [], dataActions, notDataActions: [] }];

export const KNOWN_ROLES: readonly KnownRole[] = [
  { id: 'a97b65f3-24c7-4388-baec-2e87135dc908', name: 'Cognitive Services User', permissions: grants(['Microsoft.CognitiveServices/*/read'], ['Microsoft.CognitiveServices/*']) },
  { id: '53ca6127-db72-4b80-b1b0-d745d6d5456d', name: 'Azure AI User', permissions: grants(['Microsoft.CognitiveServices/*/read'], ['Microsoft.CognitiveServices/*']) },
  { id: 'eadc314b-1a2d-4efa-be10-5d325db5065e', name: 'Azure AI Project Manager', permissions: grants(['Microsoft.CognitiveServices/*/read'], ['Microsoft.CognitiveServices/*']) },
  {
    id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
    name: 'Cognitive Services OpenAI User',
    permissions: grants(
      ['Microsoft.CognitiveServices/*/read', 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'],
      [
        'Microsoft.CognitiveServices/accounts/OpenAI/*/read',
        'Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/deployments/audio/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
        'Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action',
      ],
    ),
  },
  {
    id: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
    name: 'Cognitive Services OpenAI Contributor',
    permissions: grants(['Microsoft.CognitiveServices/*/read', 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'], ['Microsoft.CognitiveServices/accounts/OpenAI/*']),
  },
  {
    id: '64702f94-c441-49e6-a78b-ef80e0188fee',
    name: 'Azure AI Developer',
    permissions: grants(
      ['Microsoft.CognitiveServices/*/read'],
      ['Microsoft.CognitiveServices/accounts/OpenAI/*', 'Microsoft.CognitiveServices/accounts/SpeechServices/*', 'Microsoft.CognitiveServices/accounts/ContentSafety/*'],
    ),
  },
  { id: '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68', name: 'Cognitive Services Contributor', permissions: grants(['Microsoft.CognitiveServices/*']) },
  { id: 'e47c6f54-e4a2-4754-9501-8e0985b135e1', name: 'Azure AI Account Owner', permissions: grants(['Microsoft.CognitiveServices/*', 'Microsoft.Authorization/roleAssignments/write']) },
  { id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', name: 'Owner', permissions: grants(['*']) },
  { id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', name: 'Contributor', permissions: grants(['*']) },
  { id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', name: 'Reader', permissions: grants(['*/read']) },
];

const BY_ID = new Map(KNOWN_ROLES.map((role) => [role.id, role]));

/** The GUID at the end of a role definition ID (`…/roleDefinitions/{guid}`), lower-cased; undefined when there is none. */
export function roleDefinitionGuid(id: string): string | undefined {
  const match = /(?:^|\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(id);
  return match?.[1]?.toLowerCase();
}

export function knownRole(roleDefinitionId: string): KnownRole | undefined {
  const guid = roleDefinitionGuid(roleDefinitionId);
  return guid === undefined ? undefined : BY_ID.get(guid);
}
