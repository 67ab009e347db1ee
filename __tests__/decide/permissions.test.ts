import { describe, expect, it } from 'vitest';
import { checkDataActions, permissionShape, type Permission } from '../../src/decide/permissions.js';

const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const entry = (p: Partial<Permission>): Permission => ({ actions: [], notActions: [], dataActions: [], notDataActions: [], ...p });

const COGNITIVE_SERVICES_USER = entry({ actions: ['Microsoft.CognitiveServices/*/read'], dataActions: ['Microsoft.CognitiveServices/*'] });
const OPENAI_USER = entry({
  actions: ['Microsoft.CognitiveServices/accounts/deployments/read'],
  dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*/read', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action'],
});
const OWNER = entry({ actions: ['*'] });

describe('checkDataActions', () => {
  it('grants MaaS through Cognitive Services User and names the granting pattern', () => {
    expect(checkDataActions([MAAS], [COGNITIVE_SERVICES_USER])).toEqual([
      { action: MAAS, granted: true, grantedBy: 'Microsoft.CognitiveServices/*', excludedBy: [] },
    ]);
  });

  it('grants through a custom role with exactly the MaaS data actions', () => {
    expect(checkDataActions([MAAS], [entry({ dataActions: [MAAS] })])[0]?.granted).toBe(true);
  });

  it('never grants data actions through management actions, however wide', () => {
    expect(checkDataActions([MAAS], [OWNER])[0]?.granted).toBe(false);
  });

  it('does not grant MaaS through the OpenAI roles', () => {
    expect(checkDataActions([MAAS], [OPENAI_USER])[0]?.granted).toBe(false);
  });

  it('applies notDataActions to their own entry and reports them', () => {
    const carved = entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: ['Microsoft.CognitiveServices/accounts/MaaS/chat/*'] });
    expect(checkDataActions([MAAS], [carved])).toEqual([{ action: MAAS, granted: false, excludedBy: ['Microsoft.CognitiveServices/accounts/MaaS/chat/*'] }]);
  });

  it('lets another entry grant what one entry excludes, as Azure unions assignments', () => {
    const carved = entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS] });
    expect(checkDataActions([MAAS], [carved, COGNITIVE_SERVICES_USER])[0]?.granted).toBe(true);
  });

  it('judges each required action on its own', () => {
    const checks = checkDataActions([MAAS, 'Microsoft.CognitiveServices/accounts/AIServices/agents/write'], [entry({ dataActions: [MAAS] })]);
    expect(checks.map((c) => c.granted)).toEqual([true, false]);
  });
});

describe('permissionShape', () => {
  it.each([
    [[], 'none'],
    [[OWNER], 'management-only'],
    [[OPENAI_USER, OWNER], 'openai-only'],
    [[entry({ dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*', 'Microsoft.CognitiveServices/accounts/SpeechServices/*'] })], 'openai-only'],
    [[entry({ dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'] })], 'other-data-actions'],
  ])('reads %j as %s', (permissions, shape) => {
    expect(permissionShape(permissions)).toBe(shape);
  });
});

describe('checkDataActions: ABAC conditions', () => {

  it('a conditional entry grants only under its condition: reported, never granted', () => {
    const [check] = checkDataActions([MAAS], [entry({ dataActions: ['Microsoft.CognitiveServices/*'], condition: "@Request[x] StringEquals 'y'" })]);
    expect(check).toEqual({ action: MAAS, granted: false, grantedBy: 'Microsoft.CognitiveServices/*', excludedBy: [], onlyIf: "@Request[x] StringEquals 'y'" });
  });

  it('an unconditional entry wins over a conditional one, in any order', () => {
    const conditional = entry({ dataActions: ['Microsoft.CognitiveServices/*'], condition: 'c' });
    const plain = entry({ dataActions: [MAAS] });
    for (const entries of [[conditional, plain], [plain, conditional]]) {
      expect(checkDataActions([MAAS], entries)[0]).toMatchObject({ granted: true, grantedBy: MAAS });
      expect(checkDataActions([MAAS], entries)[0]).not.toHaveProperty('onlyIf');
    }
  });

  it('a conditional entry that carves the action out is an exclusion, not a conditional grant', () => {
    const [check] = checkDataActions([MAAS], [entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS], condition: 'c' })]);
    expect(check).toMatchObject({ granted: false, excludedBy: [MAAS] });
    expect(check).not.toHaveProperty('onlyIf');
  });
});
