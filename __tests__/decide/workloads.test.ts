import { describe, expect, it } from 'vitest';
import { suggestedRole, WORKLOADS, workloadPresets } from '../../src/decide/workloads.js';
import { checkDataActions } from '../../src/decide/permissions.js';
import { BUILTIN_ROLES } from '../../emulator/index.js';

const grants = (roleName: string, required: readonly string[]): boolean => {
  const role = BUILTIN_ROLES.find((r) => r.roleName === roleName);
  if (!role) throw new Error(`no built-in role ${roleName}`);
  return checkDataActions(required, role.permissions).every((c) => c.granted);
};

describe('workload presets', () => {
  it.each(WORKLOADS.map((w) => [w.name, w] as const))('%s: the roles it names grant it, and no other built-in role does', (_, preset) => {
    for (const role of BUILTIN_ROLES) expect(grants(role.roleName, preset.dataActions), role.roleName).toBe(preset.grantedBy.includes(role.roleName));
  });

  it('the OpenAI roles cover only the openai preset; Azure AI User covers agents', () => {
    expect(grants('Cognitive Services OpenAI User', workloadPresets('openai')[0]?.dataActions ?? [])).toBe(true);
    expect(grants('Cognitive Services OpenAI User', workloadPresets('models')[0]?.dataActions ?? [])).toBe(false);
    expect(grants('Azure AI Developer', workloadPresets('agents')[0]?.dataActions ?? [])).toBe(false);
    expect(grants('Azure AI User', workloadPresets('agents')[0]?.dataActions ?? [])).toBe(true);
  });

  it('all is every preset', () => {
    expect(workloadPresets('all').map((w) => w.name)).toEqual(['models', 'openai', 'agents']);
  });

  it.each([
    [['Microsoft.CognitiveServices/accounts/MaaS/*'], 'Cognitive Services User'],
    [workloadPresets('openai').flatMap((w) => w.dataActions), 'Cognitive Services OpenAI User'],
    [['Microsoft.CognitiveServices/accounts/AIServices/agents/*'], 'Azure AI User'],
    [workloadPresets('all').flatMap((w) => w.dataActions), 'Azure AI User'],
    [['Contoso.Custom/things/*'], 'Cognitive Services User'],
  ])('suggests for %j the role %s', (required, role) => {
    expect(suggestedRole(required)).toBe(role);
  });
});
