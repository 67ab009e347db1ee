import { describe, expect, it } from 'vitest';
import { actionMatches, grantsAction, grantsDataAction } from '../../emulator/action-pattern.js';
import { BUILTIN_ROLES, ROLE } from '../../emulator/builtin-roles.js';

const CHAT = 'Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action';
const block = (p: { actions?: string[]; notActions?: string[]; dataActions?: string[]; notDataActions?: string[] }) => ({
  actions: p.actions ?? [],
  notActions: p.notActions ?? [],
  dataActions: p.dataActions ?? [],
  notDataActions: p.notDataActions ?? [],
});
const permissionsOf = (guid: string) => BUILTIN_ROLES.find((r) => r.id === guid)?.permissions ?? [];

describe('actionMatches', () => {
  it.each([
    ['*', CHAT, true],
    ['Microsoft.CognitiveServices/*', CHAT, true],
    ['microsoft.cognitiveservices/ACCOUNTS/maas/*', CHAT, true],
    ['Microsoft.CognitiveServices/accounts/MaaS/*', CHAT, true],
    ['Microsoft.CognitiveServices/accounts/OpenAI/*', CHAT, false],
    ['*/read', 'Microsoft.Authorization/permissions/read', true],
    ['*/read', 'Microsoft.Authorization/roleAssignments/write', false],
    ['Microsoft.CognitiveServices/*/read', 'Microsoft.CognitiveServices/accounts/read', true],
    ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/roleAssignments/write', true],
    ['Microsoft.CognitiveServices/accounts.read', 'Microsoft.CognitiveServices/accountsXread', false],
    ['Microsoft.CognitiveServices/accounts/MaaS', CHAT, false],
  ])('%s vs %s → %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('grants', () => {
  it('subtracts notDataActions within the same block only', () => {
    const excluding = block({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'] });
    expect(grantsDataAction([excluding], CHAT)).toBe(false);
    expect(grantsDataAction([excluding, block({ dataActions: ['Microsoft.CognitiveServices/accounts/MaaS/*'] })], CHAT)).toBe(true);
  });

  it('keeps actions and data actions apart', () => {
    expect(grantsDataAction(permissionsOf(ROLE.owner), CHAT)).toBe(false);
    expect(grantsAction(permissionsOf(ROLE.owner), 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
  });

  it('gives the built-in roles their documented reach', () => {
    const modelCallers = [ROLE.cognitiveServicesUser, ROLE.azureAiUser, ROLE.azureAiProjectManager];
    for (const role of BUILTIN_ROLES) {
      expect(grantsDataAction(role.permissions, CHAT), role.roleName).toBe((modelCallers as string[]).includes(role.id));
    }
    expect(grantsAction(permissionsOf(ROLE.contributor), 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
    expect(grantsAction(permissionsOf(ROLE.contributor), 'Microsoft.CognitiveServices/accounts/write')).toBe(true);
    expect(grantsAction(permissionsOf(ROLE.cognitiveServicesUser), 'Microsoft.Authorization/roleAssignments/read')).toBe(false);
    expect(grantsAction(permissionsOf(ROLE.azureAiUser), 'Microsoft.Authorization/roleAssignments/read')).toBe(false);
    expect(grantsAction(permissionsOf(ROLE.reader), 'Microsoft.Authorization/roleAssignments/read')).toBe(true);
    expect(grantsAction(permissionsOf(ROLE.cognitiveServicesOpenAiUser), 'Microsoft.Authorization/roleAssignments/read')).toBe(true);
    expect(grantsDataAction(permissionsOf(ROLE.cognitiveServicesOpenAiUser), 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action')).toBe(true);
  });
});
