import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/config/inputs.js';
import { decideResource } from '../../src/decide/verdict.js';
import { attributed, type AssignmentsEvidence } from '../../src/decide/attribution.js';
import { checkedReport, failedReport, reportJson } from '../../src/report/run-report.js';
import { shortName } from '../../src/config/resource-id.js';
import { rolesEvidence, summaryMarkdown } from '../../src/report/summary.js';
import type { ResourceVerdict } from '../../src/decide/verdict.js';

const ACCOUNT = (name: string): string =>
  `/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/${name}`;
const parsed = parseInputs((name) => ({
  'client-id': '11111111-2222-3333-4444-555555555555',
  'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'resource-id': `${ACCOUNT('granted')}\n${ACCOUNT('denied')}`,
})[name] ?? '');
if (!parsed.ok) throw new Error('fixture inputs are invalid');
const config = parsed.value;
const PRINCIPAL = '99999999-8888-7777-6666-555555555555';
const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';

const granted = decideResource({ resourceId: ACCOUNT('granted'), required: [MAAS], permissions: { kind: 'read', permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }] }, facts: { principalId: PRINCIPAL } });
const denied = decideResource({ resourceId: ACCOUNT('denied'), required: [MAAS], permissions: { kind: 'read', permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }] }, facts: { principalId: PRINCIPAL } });
const presented = { subject: 'repo:contoso/app:ref:refs/heads/main', issuer: 'https://token.actions.githubusercontent.com', audience: 'api://AzureADTokenExchange' };

describe('summaryMarkdown', () => {
  it('puts the verdict first and one row per resource', () => {
    const md = summaryMarkdown(checkedReport(config, [granted, denied], PRINCIPAL, presented, 1, 0));
    expect(md.split('\n')[0]).toBe('## ❌ Foundry access denied');
    expect(md).toContain(`| \`granted\` | \`${PRINCIPAL}\` | 1 entry read; granted: ${MAAS} via Microsoft.CognitiveServices/* | not read | ✅ \`ok\` |`);
    expect(md).toContain('| `denied` |');
    expect(md).toContain('❌ `control-plane-role-only`');
  });

  it('gives the fix for each failing resource with the real IDs filled in', () => {
    const md = summaryMarkdown(checkedReport(config, [granted, denied], PRINCIPAL, presented, 1, 0));
    expect(md).toContain(`--assignee-object-id ${PRINCIPAL} --assignee-principal-type ServicePrincipal --role a97b65f3-24c7-4388-baec-2e87135dc908 --scope ${ACCOUNT('denied')}  # Cognitive Services User`);
    expect(md).not.toContain(`--scope ${ACCOUNT('granted')}`);
  });

  it('shows the presented subject on every run', () => {
    expect(summaryMarkdown(checkedReport(config, [granted], PRINCIPAL, presented, 1, 0))).toContain('| OIDC subject | `repo:contoso/app:ref:refs/heads/main` |');
  });

  it('explains a run that stopped before any resource', () => {
    const md = summaryMarkdown(failedReport('federated-credential-mismatch', { ...presented, clientId: config.clientId }, presented));
    expect(md.split('\n')[0]).toBe('## ⚠️ Foundry access could not be checked');
    expect(md).toContain('az ad app federated-credential create --id 11111111-2222-3333-4444-555555555555');
  });

  it('keeps table cells intact whatever a service said', () => {
    const odd = decideResource({ resourceId: ACCOUNT('odd'), required: [MAAS], permissions: { kind: 'unusable', reason: 'a|b\nc' } });
    const row = summaryMarkdown(checkedReport(config, [odd], PRINCIPAL, presented, 1, 0)).split('\n').find((l) => l.startsWith('| `odd`'));
    expect(row).toContain('a\\|b c');
  });
});

describe('reportJson', () => {
  it('has one entry per resource with its verdict and evidence', () => {
    const json = JSON.parse(reportJson(checkedReport(config, [granted, denied], PRINCIPAL, presented, 1, 0))) as {
      granted: boolean;
      resources: { resourceId: string; granted: boolean; diagnosis: string; evidence: { permissions: { status: string } } }[];
    };
    expect(json.granted).toBe(false);
    expect(json.resources.map((r) => [r.resourceId, r.granted, r.diagnosis, r.evidence.permissions.status])).toEqual([
      [ACCOUNT('granted'), true, 'ok', 'read'],
      [ACCOUNT('denied'), false, 'control-plane-role-only', 'read'],
    ]);
  });
});

describe('shortName', () => {
  it('names accounts and projects', () => {
    expect(shortName(ACCOUNT('a'))).toBe('a');
    expect(shortName(`${ACCOUNT('a')}/projects/p`)).toBe('a/p');
  });
});

describe('rolesEvidence', () => {
  const base = decideResource({ resourceId: ACCOUNT('acct'), required: [MAAS], permissions: { kind: 'read', permissions: [] }, facts: { principalId: PRINCIPAL, requiredDataActions: [MAAS] } });
  const withAssignments = (assignments: AssignmentsEvidence | undefined): ResourceVerdict => ({ ...base, assignments: attributed(assignments, [MAAS]) });

  it('says why assignments could not be read, and which role would show them', () => {
    expect(rolesEvidence(withAssignments({ kind: 'unreadable', reason: 'HTTP 403 AuthorizationFailed' }), PRINCIPAL)).toEqual([
      'not readable (HTTP 403 AuthorizationFailed; Reader on the resource would show them)',
    ]);
    expect(rolesEvidence(withAssignments(undefined), PRINCIPAL)).toEqual(['not read']);
  });

  it('does not nudge a granted run to add a role', () => {
    const unreadable = { kind: 'unreadable', reason: 'HTTP 403 AuthorizationFailed' } as const;
    expect(rolesEvidence({ ...granted, assignments: unreadable }, PRINCIPAL)).toEqual(['not readable (HTTP 403 AuthorizationFailed)']);
    const md = summaryMarkdown(checkedReport(config, [{ ...granted, assignments: unreadable }], PRINCIPAL, presented, 1, 0));
    expect(md).not.toMatch(/az role assignment|Reader on the resource|Assign /);
  });

  it('lists granting roles first, then the others, with how and where each was assigned', () => {
    const assignment = {
      id: 'a',
      roleDefinitionId: '/x/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
      roleName: 'Owner',
      principalId: 'g1',
      principalType: 'Group',
      scope: '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333',
      createdOn: '2026-01-02T03:04:05.000Z',
      permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }],
    };
    const granting = { ...assignment, id: 'b', roleName: 'Cognitive Services User', principalId: PRINCIPAL, principalType: 'ServicePrincipal', scope: ACCOUNT('acct'), permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }] };
    expect(rolesEvidence(withAssignments({ kind: 'read', assignments: [assignment, granting] }), PRINCIPAL)).toEqual([
      '✓ Cognitive Services User (direct, at this resource, 2026-01-02)',
      '✗ Owner (through group g1, at /subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333, 2026-01-02)',
    ]);
  });
});
