import { describe, expect, it } from 'vitest';
import type { Assignment, AssignmentsEvidence } from '../../src/decide/attribution.js';
import { attribute, attributed, grantingRoleNames, propagationWindowMs, reach, roleName } from '../../src/decide/attribution.js';
import { KNOWN_ROLES } from '../../src/decide/roles.js';
import { decideResource, type PermissionsEvidence, type ResourceVerdict } from '../../src/decide/verdict.js';
import { settle, waitRule, type WaitContext } from '../../src/decide/wait-rule.js';

const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const RESOURCE = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct';
const NOW = Date.parse('2026-11-27T12:00:00Z');
const CONTEXT: WaitContext = { elapsedMs: 0, nowEpochMs: NOW, waitTimeoutMs: 300_000, waitForAssignment: false, requiredDataActions: [MAAS] };

const assignment = (over: Partial<Assignment>): Assignment => ({
  id: 'a1',
  roleDefinitionId: '/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/a97b65f3-24c7-4388-baec-2e87135dc908',
  roleName: 'Cognitive Services User',
  principalId: 'sp',
  principalType: 'ServicePrincipal',
  scope: RESOURCE,
  createdOn: new Date(NOW - 60_000).toISOString(),
  permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }],
  ...over,
});
const OWNER = assignment({ roleName: 'Owner', permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }] });
const read = (...assignments: Assignment[]): AssignmentsEvidence => ({ kind: 'read', assignments });
const verdict = (evidence: PermissionsEvidence) => decideResource({ resourceId: RESOURCE, required: [MAAS], permissions: evidence });
const NOTHING = verdict({ kind: 'read', permissions: [] });
/** The verdict as if its assignments had been read alongside it: the verdict sorts them once. */
const seen = (v: ResourceVerdict, assignments: AssignmentsEvidence): ResourceVerdict => ({ ...v, assignments: attributed(assignments, [MAAS]) });

describe('attribution', () => {
  it('sorts assignments into granting, other and unknown', () => {
    const unknown = assignment({ id: 'u', permissions: undefined });
    const result = attribute([assignment({}), OWNER, unknown], [MAAS]);
    expect(result.granting.map((a) => a.roleName)).toEqual(['Cognitive Services User']);
    expect(result.other.map((a) => a.roleName)).toEqual(['Owner']);
    expect(result.unknown.map((a) => a.id)).toEqual(['u']);
  });

  it('names roles by the definition, else by the built-in GUID table, else by GUID', () => {
    expect(roleName('/x/roleDefinitions/a97b65f3-24c7-4388-baec-2e87135dc908', 'Custom Name')).toBe('Custom Name');
    expect(roleName('/x/roleDefinitions/A97B65F3-24C7-4388-BAEC-2E87135DC908', undefined)).toBe('Cognitive Services User');
    expect(roleName('/x/roleDefinitions/00000000-0000-0000-0000-000000000001', undefined)).toBe('00000000-0000-0000-0000-000000000001');
  });

  it('tells direct assignments from group ones', () => {
    expect(reach(assignment({}), 'SP')).toBe('direct');
    expect(reach(assignment({ principalId: 'g1', principalType: 'Group' }), 'sp')).toBe('through group g1');
  });

  it('lists each granting role once over all resources', () => {
    expect(grantingRoleNames([attributed(read(assignment({}), OWNER), [MAAS]), attributed(read(assignment({ id: 'a2' })), [MAAS]), undefined])).toEqual(['Cognitive Services User']);
  });

  it('gives management-group assignments the longer window', () => {
    expect(propagationWindowMs('/providers/Microsoft.Management/managementGroups/mg')).toBe(30 * 60_000);
    expect(propagationWindowMs(RESOURCE)).toBe(10 * 60_000);
  });
});

describe('waitRule', () => {
  it('stops for a granted or unfixable verdict', () => {
    expect(waitRule(verdict({ kind: 'read', permissions: [{ actions: [], notActions: [], dataActions: [MAAS], notDataActions: [] }] }), CONTEXT).kind).toBe('stop');
    expect(waitRule(verdict({ kind: 'refused', status: 404 }), CONTEXT).kind).toBe('stop');
  });

  it('waits out a transient fault up to the timeout', () => {
    expect(waitRule(verdict({ kind: 'refused', status: 503 }), CONTEXT)).toMatchObject({ kind: 'wait', untilMs: 300_000 });
  });

  it('waits up to the timeout when assignments cannot be read', () => {
    expect(waitRule(seen(NOTHING, { kind: 'unreadable', reason: 'HTTP 403' }), CONTEXT)).toMatchObject({ kind: 'wait', untilMs: 300_000, propagating: false });
  });

  it('does not wait when the assignments show nothing on its way', () => {
    expect(waitRule(seen(NOTHING, read(OWNER)), CONTEXT)).toEqual({
      kind: 'stop',
      reason: 'no role assignment grants the required data actions, so nothing is on its way',
      propagating: false,
    });
  });

  it('waits for an assignment to appear with wait-for-assignment', () => {
    expect(waitRule(seen(NOTHING, read(OWNER)), { ...CONTEXT, waitForAssignment: true })).toMatchObject({ kind: 'wait', untilMs: 300_000 });
  });

  it('waits while a granting assignment is within its window', () => {
    // Made a minute ago: nine minutes of its ten-minute window remain, capped by the five-minute timeout.
    expect(waitRule(seen(NOTHING, read(assignment({}))), CONTEXT)).toMatchObject({ kind: 'wait', untilMs: 300_000, propagating: true });
    expect(waitRule(seen(NOTHING, read(assignment({}))), { ...CONTEXT, waitTimeoutMs: 3_600_000, elapsedMs: 5000 })).toMatchObject({ untilMs: 545_000 });
  });

  it('stops when the granting assignment is older than its window', () => {
    const old = assignment({ createdOn: new Date(NOW - 11 * 60_000).toISOString() });
    expect(waitRule(seen(NOTHING, read(old)), CONTEXT)).toMatchObject({ kind: 'stop', propagating: true });
  });

  it('counts an assignment whose definition is unreadable as possibly granting', () => {
    expect(waitRule(seen(NOTHING, read(assignment({ permissions: undefined }))), CONTEXT)).toMatchObject({ kind: 'wait', propagating: true });
  });
});

describe('settle', () => {
  it('turns a denial behind a granting assignment into propagation-timeout', () => {
    const rule = waitRule(seen(NOTHING, read(assignment({ createdOn: new Date(NOW - 11 * 60_000).toISOString() }))), CONTEXT);
    expect(settle(NOTHING, rule).diagnosis).toBe('propagation-timeout');
    expect(settle(NOTHING, rule).granted).toBe(false);
  });

  it('leaves other verdicts alone', () => {
    expect(settle(NOTHING, waitRule(seen(NOTHING, read(OWNER)), CONTEXT)).diagnosis).toBe('role-missing');
    const notFound = verdict({ kind: 'refused', status: 404 });
    expect(settle(notFound, { kind: 'stop', reason: '', propagating: true }).diagnosis).toBe('resource-not-found');
  });
});

describe('built-in roles, known without reading their definitions', () => {
  const builtin = (name: string): Assignment => {
    const role = KNOWN_ROLES.find((r) => r.name === name);
    if (!role) throw new Error(name);
    return assignment({ roleName: name, roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${role.id}`, permissions: role.permissions });
  };

  it.each([
    ['Contributor', false],
    ['Owner', false],
    ['Reader', false],
    ['Cognitive Services Contributor', false],
    ['Azure AI Account Owner', false],
    ['Cognitive Services OpenAI User', false],
    ['Cognitive Services User', true],
    ['Azure AI User', true],
  ])('%s grants Foundry Models inference: %s', (name, grants) => {
    expect(attribute([builtin(name)], [MAAS]).granting.length).toBe(grants ? 1 : 0);
  });

  it('an identity with only Contributor, whose definition it cannot read, is not waited on', () => {
    const denied = verdict({ kind: 'read', permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }] });
    expect(waitRule(seen(denied, read(builtin('Contributor'))), CONTEXT)).toMatchObject({ kind: 'stop' });
  });
});

describe('an answer time will not cure', () => {
  it('is not waited on, whatever its row says', () => {
    const failed = { ...verdict({ kind: 'unusable', reason: 'getaddrinfo ENOTFOUND', transport: 'dns-not-found' }) };
    expect(failed.diagnosis).toBe('service-unavailable');
    expect(failed.final).toBe(true);
    expect(waitRule(failed, CONTEXT)).toMatchObject({ kind: 'stop' });
  });
});

describe('an account that is not provisioned', () => {
  const granting: PermissionsEvidence = { kind: 'read', permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }] };
  const onAccount = (provisioningState: string) =>
    decideResource({ resourceId: RESOURCE, required: [MAAS], permissions: granting, account: { kind: 'read', settings: { provisioningState, customSubDomainName: 'acct', ipRules: [], virtualNetworkRules: 0 } } });

  it.each(['Accepted', 'Creating', 'ResolvingDNS', 'Moving', 'Upgrading'])('%s is waited out to the wait timeout, saying the account is still provisioning', (state) => {
    const rule = waitRule(onAccount(state), { ...CONTEXT, elapsedMs: 10_000 });
    expect(rule).toEqual({ kind: 'wait', untilMs: 300_000, reason: `the account is still provisioning, state ${state}; waiting up to the wait timeout (300 s)`, propagating: false });
    // At the deadline it stays account-not-ready: it is not a role on its way.
    expect(settle(onAccount(state), rule).diagnosis).toBe('account-not-ready');
  });

  it.each(['Failed', 'Deleting'])('%s is not waited on', (state) => {
    expect(waitRule(onAccount(state), CONTEXT)).toMatchObject({ kind: 'stop' });
  });
});
