/**
 * One run report per row of the troubleshooting table, built the way the check builds it (decideResource,
 * settle, failedReport), and the link of the access chain each one must break. Keyed by code, so a new row
 * fails type-check here until it has a fixture.
 */
import { parseInputs } from '../../src/config/inputs.js';
import type { Assignment, AssignmentsEvidence } from '../../src/decide/attribution.js';
import type { ChainLink } from '../../src/decide/chain.js';
import type { DiagnosisCode, Facts } from '../../src/decide/diagnosis.js';
import type { Permission } from '../../src/decide/permissions.js';
import type { DeploymentsEvidence } from '../../src/decide/deployments.js';
import type { AccountEvidence } from '../../src/decide/readiness.js';
import type { DenyEvidence } from '../../src/decide/deny.js';
import { decideResource, type PermissionsEvidence, type ProbeEvidence } from '../../src/decide/verdict.js';
import { settle } from '../../src/decide/wait-rule.js';
import type { Presented } from '../../src/decide/diagnosis.js';
import { checkedReport, failedReport, invalidInputReport, type RunReport } from '../../src/report/run-report.js';

export const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
export const SUBSCRIPTION = '/subscriptions/8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f';
export const GROUP_SCOPE = `${SUBSCRIPTION}/resourceGroups/rg-foundry`;
export const account = (name: string): string => `${GROUP_SCOPE}/providers/Microsoft.CognitiveServices/accounts/${name}`;
export const RESOURCE = account('contoso-foundry');
export const CLIENT_ID = '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b';
export const TENANT_ID = '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c';
export const PRINCIPAL = '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c';
export const GROUP = '4e1a7c3d-2b5f-4d8e-a9c6-3f2e1d0c9b8a';
export const CHECKED_AT = Date.parse('2026-11-27T12:00:00Z');
export const ENDPOINT = 'https://contoso-foundry.services.ai.azure.com/';

export const PRESENTED: Presented = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:contoso/foundry-app:ref:refs/heads/main',
  audience: 'api://AzureADTokenExchange',
  workflowRef: 'contoso/foundry-app/.github/workflows/ci.yml@refs/heads/main',
};

export function config(resources: readonly string[] = [RESOURCE], extra: Record<string, string> = {}) {
  const inputs: Record<string, string> = { 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, 'resource-id': resources.join('\n'), ...extra };
  const parsed = parseInputs((name) => inputs[name] ?? '');
  if (!parsed.ok) throw new Error('fixture inputs are invalid');
  return parsed.value;
}

export const entry = (p: Partial<Permission>): Permission => ({ actions: [], notActions: [], dataActions: [], notDataActions: [], ...p });
export const readPermissions = (...permissions: Permission[]): PermissionsEvidence => ({ kind: 'read', permissions });
export const readAssignments = (...assignments: Assignment[]): AssignmentsEvidence => ({ kind: 'read', assignments });

export const COGNITIVE_SERVICES_USER = [entry({ dataActions: ['Microsoft.CognitiveServices/*'] })];
export const CONTRIBUTOR = [entry({ actions: ['*'], notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write'] })];

export const assignment = (over: Partial<Assignment>): Assignment => ({
  id: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/7a5f9b3d-0c8e-4bcf-a460-8f9e0d1c2b3a`,
  roleDefinitionId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/a97b65f3-24c7-4388-baec-2e87135dc908`,
  roleName: 'Cognitive Services User',
  principalId: PRINCIPAL,
  principalType: 'ServicePrincipal',
  scope: RESOURCE,
  createdOn: '2025-06-02T09:14:27.0000000Z',
  permissions: COGNITIVE_SERVICES_USER,
  ...over,
});
export const CONTRIBUTOR_ASSIGNMENT = assignment({
  roleDefinitionId: `${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
  roleName: 'Contributor',
  scope: GROUP_SCOPE,
  permissions: CONTRIBUTOR,
});


const BASE: Facts = { clientId: CLIENT_ID, tenantId: TENANT_ID, principalId: PRINCIPAL, principalType: 'ServicePrincipal', waitTimeoutSeconds: 300 };
const answered = (status: number, code?: string, message?: string): ProbeEvidence => ({ kind: 'answered', status, code, message, endpoint: ENDPOINT, chatCompletion: status < 300, tokenAudience: 'https://ai.azure.com' });

/** A checked run over one resource, as check() reports it. */
export function checked(
  permissions: PermissionsEvidence,
  assignments?: AssignmentsEvidence,
  probe?: ProbeEvidence,
  options: { readonly resourceId?: string; readonly propagating?: boolean; readonly model?: string; readonly account?: AccountEvidence; readonly denies?: DenyEvidence; readonly deployments?: DeploymentsEvidence } = {},
): RunReport {
  const resourceId = options.resourceId ?? RESOURCE;
  const facts: Facts = { ...BASE, model: probe ? (options.model ?? 'gpt-4o-mini') : undefined };
  const decided = decideResource({ resourceId, required: [MAAS], permissions, facts, assignments, probe, account: options.account, denies: options.denies, deployments: options.deployments });
  const verdict = settle(decided, options.propagating ? { kind: 'stop', reason: 'waited', propagating: true } : undefined);
  return checkedReport(config([resourceId]), [verdict], PRINCIPAL, PRESENTED, 3, 12, CHECKED_AT);
}

const signInFailed = (code: DiagnosisCode, facts: Facts = {}, presented: Presented | undefined = PRESENTED): RunReport =>
  failedReport(code, { clientId: CLIENT_ID, tenantId: TENANT_ID, ...presented, ...facts }, presented, 1);

export interface ChainFixture {
  readonly report: RunReport;
  /** The link the row's cause must sit on, as a person reading the troubleshooting table would place it. */
  readonly link: ChainLink | null;
}

export const FRESH = new Date(CHECKED_AT - 3 * 60_000).toISOString();

export const FIXTURES: Record<DiagnosisCode, ChainFixture> = {
  ok: { report: checked(readPermissions(...COGNITIVE_SERVICES_USER), readAssignments(assignment({ principalId: GROUP, principalType: 'Group', scope: GROUP_SCOPE })), answered(200)), link: null },
  'role-missing': { report: checked(readPermissions(), readAssignments()), link: 'assignment' },
  'control-plane-role-only': { report: checked(readPermissions(...CONTRIBUTOR), readAssignments(CONTRIBUTOR_ASSIGNMENT)), link: 'data-actions' },
  'openai-role-only': { report: checked(readPermissions(entry({ dataActions: ['Microsoft.CognitiveServices/accounts/OpenAI/*'] }))), link: 'data-actions' },
  'partial-data-actions': { report: checked(readPermissions(entry({ dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [MAAS] }))), link: 'data-actions' },
  'propagation-timeout': { report: checked(readPermissions(), readAssignments(assignment({ createdOn: FRESH })), undefined, { propagating: true }), link: 'assignment' },
  'data-plane-denied': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, answered(401, 'PermissionDenied', 'Principal does not have access to API/Operation.')),
    link: 'model',
  },
  'model-not-found': { report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, answered(404, 'DeploymentNotFound')), link: 'model' },
  'deployment-not-served': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, answered(404, 'DeploymentNotFound'), {
      account: { kind: 'read', settings: { customSubDomainName: 'a', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true, endpoints: [ENDPOINT] } },
      deployments: { kind: 'read', deployments: [{ name: 'gpt-4o-mini', provisioningState: 'Creating' }], readAtMs: CHECKED_AT },
    }),
    link: 'model',
  },
  'conditional-grant': { report: checked(readPermissions(entry({ dataActions: ['Microsoft.CognitiveServices/*'], condition: "@Resource[x] StringEquals 'y'" }))), link: 'assignment' },
  'deny-assignment': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, undefined, {
      denies: {
        kind: 'read',
        denyAssignments: [
          { name: 'stack deny', scope: GROUP_SCOPE, permissions: COGNITIVE_SERVICES_USER, principals: [{ id: '00000000-0000-0000-0000-000000000000', type: 'SystemDefined' }], excludePrincipals: [], doNotApplyToChildScopes: false },
        ],
      },
    }),
    link: 'data-actions',
  },
  'endpoint-unknown': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, { kind: 'no-endpoint', reason: 'the account lists no endpoint on an allowed host' }),
    link: 'resource',
  },
  'token-rejected': { report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, answered(401, undefined, 'Invalid audience')), link: 'model' },
  'id-token-unavailable': { report: signInFailed('id-token-unavailable', { eventName: 'pull_request' }, undefined), link: 'run' },
  'federated-credential-mismatch': { report: signInFailed('federated-credential-mismatch', { entraCode: '700213' }), link: 'federation' },
  'app-not-found': { report: signInFailed('app-not-found', { entraCode: '700016' }), link: 'identity' },
  'service-principal-missing': { report: signInFailed('service-principal-missing', { entraCode: '7000229' }), link: 'identity' },
  'not-signed-in': { report: signInFailed('not-signed-in', { serviceMessage: 'ChainedTokenCredential authentication failed.' }, undefined), link: 'identity' },
  'network-blocked': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, answered(403, '403', 'Access denied due to Virtual Network/Firewall rules.')),
    link: 'resource',
  },
  'custom-subdomain-missing': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, answered(400, 'BadRequest', 'Please provide an authentication key.')),
    link: 'resource',
  },
  'account-not-ready': {
    report: checked(readPermissions(...COGNITIVE_SERVICES_USER), undefined, undefined, {
      account: { kind: 'read', settings: { provisioningState: 'Creating', customSubDomainName: 'contoso-foundry', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true } },
    }),
    link: 'resource',
  },
  'tenant-not-found': { report: signInFailed('tenant-not-found', { entraCode: '90002' }), link: 'identity' },
  'assertion-expired': { report: signInFailed('assertion-expired', { entraCode: '700024' }), link: 'subject' },
  'entra-error': { report: signInFailed('entra-error', { entraCode: '7000112', serviceMessage: 'Application is disabled.' }), link: 'federation' },
  'resource-not-found': { report: checked({ kind: 'refused', status: 404, code: 'ResourceNotFound' }), link: 'resource' },
  'cannot-verify': { report: checked({ kind: 'refused', status: 403, code: 'AuthorizationFailed' }, { kind: 'unreadable', reason: 'HTTP 403 AuthorizationFailed' }), link: 'data-actions' },
  throttled: { report: checked({ kind: 'refused', status: 429, code: 'TooManyRequests' }), link: 'data-actions' },
  'service-unavailable': { report: signInFailed('service-unavailable', { serviceMessage: 'connect ECONNRESET' }), link: 'federation' },
  'request-refused': { report: checked({ kind: 'refused', status: 400, code: 'InvalidApiVersionParameter', message: "The api-version '2022-05-01-preview' is invalid." }), link: 'data-actions' },
  'invalid-input': { report: invalidInputReport([{ input: 'wait-timeout', reason: 'must be a whole number of seconds, got "forever"' }]), link: 'run' },
};
