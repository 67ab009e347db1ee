import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/decide/permissions.js';
import { decideResource, overallDiagnosis, type PermissionsEvidence } from '../../src/decide/verdict.js';

const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const RESOURCE = { resourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a', principalId: 'p' };
const entry = (p: Partial<Permission>): Permission => ({ actions: [], notActions: [], dataActions: [], notDataActions: [], ...p });
const read = (...permissions: Permission[]): PermissionsEvidence => ({ kind: 'read', permissions });

describe('decideResource', () => {
  it.each<[string, PermissionsEvidence, string]>([
    ['granted by Cognitive Services User', read(entry({ dataActions: ['Microsoft.CognitiveServices/*'] })), 'ok'],
    ['nothing at all', read(), 'role-missing'],
    ['unrelated data actions', read(entry({ dataActions: ['Microsoft.Storage/*'] })), 'role-missing'],
    ['Owner only', read(entry({ actions: ['*'] })), 'control-plane-role-only'],
    ['OpenAI only', read(entry({ dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'] })), 'openai-role-only'],
    ['an exclusion', read(entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS] })), 'partial-data-actions'],
    ['403', { kind: 'refused', status: 403, code: 'AuthorizationFailed' }, 'cannot-verify'],
    ['404', { kind: 'refused', status: 404, code: 'ResourceNotFound' }, 'resource-not-found'],
    ['400 InvalidResourceId', { kind: 'refused', status: 400, code: 'InvalidResourceId' }, 'resource-not-found'],
    ['401', { kind: 'refused', status: 401, code: 'InvalidAuthenticationToken' }, 'token-rejected'],
    ['429', { kind: 'refused', status: 429 }, 'throttled'],
    ['503', { kind: 'refused', status: 503 }, 'service-unavailable'],
    ['an unexpected 400', { kind: 'refused', status: 400, code: 'BadRequest' }, 'service-unavailable'],
    ['a damaged body', { kind: 'unusable', reason: 'not JSON' }, 'service-unavailable'],
  ])('%s → %s', (_, evidence, diagnosis) => {
    const verdict = decideResource([MAAS], evidence, RESOURCE);
    expect(verdict.diagnosis).toBe(diagnosis);
    expect(verdict.granted).toBe(diagnosis === 'ok');
  });

  it('is partial when one of two required actions is missing, and names it', () => {
    const verdict = decideResource([MAAS, 'Microsoft.CognitiveServices/accounts/AIServices/*'], read(entry({ dataActions: [MAAS] })), RESOURCE);
    expect(verdict.diagnosis).toBe('partial-data-actions');
    expect(verdict.facts.missingDataActions).toEqual(['Microsoft.CognitiveServices/accounts/AIServices/*']);
  });

  it('never grants when nothing is required', () => {
    expect(decideResource([], read(entry({ dataActions: ['*'] })), RESOURCE).granted).toBe(false);
  });
});

describe('overallDiagnosis', () => {
  const ok = decideResource([MAAS], read(entry({ dataActions: [MAAS] })), RESOURCE);
  const denied = decideResource([MAAS], read(), RESOURCE);
  const error = decideResource([MAAS], { kind: 'refused', status: 403 }, RESOURCE);

  it('is ok only when every resource is', () => {
    expect(overallDiagnosis([ok, ok])).toBe('ok');
    expect(overallDiagnosis([ok, denied])).toBe('role-missing');
  });

  it('puts errors before denials', () => {
    expect(overallDiagnosis([denied, error, ok])).toBe('cannot-verify');
  });

  it('has no verdict without resources', () => {
    expect(overallDiagnosis([])).toBe('cannot-verify');
  });
});
