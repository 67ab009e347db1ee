import type { RoleDefinition } from './scenario.js';

/**
 * The Azure built-in roles that matter for Foundry inference, with their real GUIDs.
 *
 * Action lists are abridged to what decides the outcomes this emulator models (reading the account,
 * reading role assignments, Foundry inference). The shapes that matter are faithful: Owner and
 * Contributor hold only control-plane actions, Cognitive Services User holds `Microsoft.CognitiveServices/*`
 * data actions, and the OpenAI roles only hold data actions under `accounts/OpenAI/*`.
 */
export const BUILTIN_ROLES: readonly RoleDefinition[] = [
  builtin('8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner', 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.', {
    actions: ['*'],
  }),
  builtin('b24988ac-6180-42a0-ab88-20f7382dd24c', 'Contributor', 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.', {
    actions: ['*'],
    notActions: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
    ],
  }),
  builtin('acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader', 'View all resources, but does not allow you to make any changes.', {
    actions: ['*/read'],
  }),
  builtin('a97b65f3-24c7-4388-baec-2e87135dc908', 'Cognitive Services User', 'Lets you read and list keys of Cognitive Services.', {
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/listkeys/action',
      'Microsoft.Insights/alertRules/read',
      'Microsoft.Insights/diagnosticSettings/read',
      'Microsoft.Insights/logDefinitions/read',
      'Microsoft.Insights/metricdefinitions/read',
      'Microsoft.Insights/metrics/read',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/operations/read',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
    dataActions: ['Microsoft.CognitiveServices/*'],
  }),
  builtin('53ca6127-db72-4b80-b1b0-d745d6d5456d', 'Azure AI User', 'Grants reader access to AI projects, reader access to AI accounts, and data actions for an AI project.', {
    actions: ['Microsoft.CognitiveServices/*/read', 'Microsoft.Resources/subscriptions/resourceGroups/read'],
    dataActions: ['Microsoft.CognitiveServices/*'],
  }),
  builtin('eadc314b-1a2d-4efa-be10-5d325db5065e', 'Azure AI Project Manager', 'Lets you perform management actions on Foundry projects, build and develop projects, and conditionally assign the Azure AI User role.', {
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/projects/*',
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/delete',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    ],
    dataActions: ['Microsoft.CognitiveServices/*'],
  }),
  builtin('5e0bd9bd-7b93-4f28-af87-19fc36ad61bd', 'Cognitive Services OpenAI User', 'Read access to view files, models, deployments. The ability to create completion and embedding calls.', {
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleDefinitions/read',
    ],
    dataActions: [
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
  }),
  builtin('a001fd3d-188f-4b5d-821b-7da978bf7442', 'Cognitive Services OpenAI Contributor', 'Full access including the ability to fine-tune, deploy and generate text.', {
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/deployments/write',
      'Microsoft.CognitiveServices/accounts/deployments/delete',
      'Microsoft.CognitiveServices/accounts/raiPolicies/read',
      'Microsoft.CognitiveServices/accounts/raiPolicies/write',
      'Microsoft.CognitiveServices/accounts/raiPolicies/delete',
      'Microsoft.Authorization/roleAssignments/read',
      'Microsoft.Authorization/roleDefinitions/read',
    ],
    dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'],
  }),
  builtin('64702f94-c441-49e6-a78b-ef80e0188fee', 'Azure AI Developer', 'Can perform all actions within an Azure AI resource besides managing the resource itself.', {
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.MachineLearningServices/workspaces/*/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    ],
    dataActions: [
      'Microsoft.CognitiveServices/accounts/OpenAI/*',
      'Microsoft.CognitiveServices/accounts/SpeechServices/*',
      'Microsoft.CognitiveServices/accounts/ContentSafety/*',
    ],
  }),
  builtin('25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68', 'Cognitive Services Contributor', 'Lets you create, read, update, delete and manage keys of Cognitive Services.', {
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.CognitiveServices/*',
      'Microsoft.Features/features/read',
      'Microsoft.Features/providers/features/read',
      'Microsoft.Features/providers/features/register/action',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Insights/diagnosticSettings/*',
      'Microsoft.Insights/logDefinitions/read',
      'Microsoft.Insights/metricdefinitions/read',
      'Microsoft.Insights/metrics/read',
      'Microsoft.ResourceHealth/availabilityStatuses/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/operationresults/read',
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Support/*',
    ],
  }),
  builtin('e47c6f54-e4a2-4754-9501-8e0985b135e1', 'Azure AI Account Owner', 'Grants full access to manage AI projects and accounts, and conditionally assign Azure AI User.', {
    actions: [
      'Microsoft.Authorization/*/read',
      'Microsoft.Authorization/roleAssignments/write',
      'Microsoft.Authorization/roleAssignments/delete',
      'Microsoft.CognitiveServices/*',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    ],
  }),
];

/** Well-known GUIDs, so scenarios and tests can name roles without repeating literals. */
export const ROLE = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  cognitiveServicesUser: 'a97b65f3-24c7-4388-baec-2e87135dc908',
  azureAiUser: '53ca6127-db72-4b80-b1b0-d745d6d5456d',
  azureAiProjectManager: 'eadc314b-1a2d-4efa-be10-5d325db5065e',
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  cognitiveServicesOpenAiContributor: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
  azureAiDeveloper: '64702f94-c441-49e6-a78b-ef80e0188fee',
  cognitiveServicesContributor: '25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68',
  azureAiAccountOwner: 'e47c6f54-e4a2-4754-9501-8e0985b135e1',
} as const;

function builtin(
  id: string,
  roleName: string,
  description: string,
  permission: { actions?: string[]; notActions?: string[]; dataActions?: string[]; notDataActions?: string[] },
): RoleDefinition {
  return {
    id,
    roleName,
    description,
    type: 'BuiltInRole',
    permissions: [
      {
        actions: permission.actions ?? [],
        notActions: permission.notActions ?? [],
        dataActions: permission.dataActions ?? [],
        notDataActions: permission.notDataActions ?? [],
      },
    ],
    assignableScopes: ['/'],
  };
}
