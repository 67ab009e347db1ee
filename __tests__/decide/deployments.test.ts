import { describe, expect, it } from 'vitest';
import { RECENT_CHANGE_WINDOW_MS } from '../../src/decide/provisioning.js';
import { onItsWay, withDeployments, type Deployment, type DeploymentsEvidence } from '../../src/decide/deployments.js';
import { plainText, render } from '../../src/decide/diagnosis.js';
import type { ArmFailure } from '../../src/decide/planes/arm.js';
import type { Classified } from '../../src/decide/planes/transport.js';
import type { AccountEvidence } from '../../src/decide/readiness.js';
import { decideResource, deploymentsCanMatter, type PermissionsEvidence, type ProbeEvidence } from '../../src/decide/verdict.js';
import { waitRule } from '../../src/decide/wait-rule.js';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const unknown: Classified = { diagnosis: 'model-not-found', facts: { httpStatus: 404, serviceCode: 'DeploymentNotFound' } };
const listed = (...deployments: Deployment[]): DeploymentsEvidence => ({ kind: 'read', deployments, readAtMs: NOW });
const minutesAgo = (minutes: number): string => new Date(NOW - minutes * 60_000).toISOString();

describe('withDeployments', () => {
  it.each([
    ['Creating, of unknown age', { name: 'chat', provisioningState: 'Creating' }],
    ['Accepted', { name: 'chat', provisioningState: 'Accepted', changedAt: minutesAgo(1) }],
    ['Succeeded a minute ago', { name: 'chat', provisioningState: 'Succeeded', changedAt: minutesAgo(1) }],
    ['Succeeded, of unknown age', { name: 'chat', provisioningState: 'Succeeded' }],
  ])('listed under the name called, %s: on its way, so time may cure it', (_, deployment) => {
    const classified = withDeployments(unknown, 'chat', listed(deployment));
    expect(classified).toEqual({ diagnosis: 'deployment-not-served', facts: { ...unknown.facts, deploymentState: deployment.provisioningState } });
  });

  it.each(['Failed', 'Canceled', 'Disabled', 'Deleting', 'Deleted', ' canceled '])('listed as %j: ended, never served, reported at once', (state) => {
    expect(withDeployments(unknown, 'chat', listed({ name: 'chat', provisioningState: state }))).toMatchObject({ diagnosis: 'deployment-not-served', final: true, facts: { deploymentState: state.trim().replace(/^c/, 'C') } });
  });

  it('listed in a state not listed, or blank: not known to be final, so waited for like one on its way (within the window)', () => {
    for (const state of ['SomethingNew', '', '  ']) {
      const young = withDeployments(unknown, 'chat', listed({ name: 'chat', provisioningState: state, changedAt: minutesAgo(2) }));
      expect(young, state).toMatchObject({ diagnosis: 'deployment-not-served', facts: { deploymentState: state === 'SomethingNew' ? state : 'blank' } });
      expect(young.final, state).toBeUndefined();
      expect(withDeployments(unknown, 'chat', listed({ name: 'chat', provisioningState: state, changedAt: minutesAgo(90) })).final, state).toBe(true);
    }
  });

  it('listed without a state: its state not stated, waited for like an unlisted one', () => {
    const classified = withDeployments(unknown, 'chat', listed({ name: 'chat' }));
    expect(classified).toMatchObject({ diagnosis: 'deployment-not-served', facts: { deploymentState: 'not stated' } });
    expect(classified.final).toBeUndefined();
  });

  it('listed, Succeeded, but changed longer ago than the endpoint takes: waiting will not help', () => {
    const old = withDeployments(unknown, 'chat', listed({ name: 'chat', provisioningState: 'Succeeded', changedAt: minutesAgo(90) }));
    expect(old).toMatchObject({ diagnosis: 'deployment-not-served', final: true, facts: { deploymentAgeMinutes: 90 } });
    const edge = withDeployments(unknown, 'chat', listed({ name: 'chat', provisioningState: 'Succeeded', changedAt: new Date(NOW - RECENT_CHANGE_WINDOW_MS).toISOString() }));
    expect(edge.final).toBeUndefined();
  });

  it('not listed: model-not-found as before, naming the deployments that exist', () => {
    const classified = withDeployments(unknown, 'gpt4o', listed({ name: 'gpt-4o', provisioningState: 'Succeeded' }, { name: 'embed', provisioningState: 'Failed' }));
    expect(classified).toEqual({ diagnosis: 'model-not-found', facts: { ...unknown.facts, deploymentsListed: ['gpt-4o', 'embed'] } });
    expect(withDeployments(unknown, 'gpt4o', listed()).facts.deploymentsListed).toEqual([]);
  });

  it('a name that differs only in case is not the deployment called, and is suggested', () => {
    const classified = withDeployments(unknown, 'GPT-4o', listed({ name: 'gpt-4o', provisioningState: 'Succeeded' }));
    expect(classified).toMatchObject({ diagnosis: 'model-not-found', facts: { similarDeployment: 'gpt-4o' } });
    const text = plainText(render({ code: classified.diagnosis, facts: { ...classified.facts, model: 'GPT-4o' } }));
    expect(text).toContain('differs only in upper and lower case');
    expect(text).toContain('Set `model` to `gpt-4o`');
  });

  it('caps how many names it keeps, and how long each is: the list is service text', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ name: `deployment-${i}` }));
    const classified = withDeployments(unknown, 'x', listed(...many, { name: 'y'.repeat(500) }));
    expect(classified.facts.deploymentsListed).toHaveLength(10);
    expect(classified.facts.deploymentsNotShown).toBe(16);
    const long = withDeployments(unknown, 'x', listed({ name: 'y'.repeat(500) })).facts.deploymentsListed?.[0] ?? '';
    expect([...long].length).toBe(64);
  });

  it('unreadable: model-not-found as before, saying the deployments could not be read', () => {
    const classified = withDeployments(unknown, 'chat', { kind: 'unreadable', reason: 'HTTP 403 AuthorizationFailed' });
    expect(classified).toEqual({ diagnosis: 'model-not-found', facts: { ...unknown.facts, deploymentsUnread: 'HTTP 403 AuthorizationFailed' } });
    expect(plainText(render({ code: 'model-not-found', facts: classified.facts }))).toContain('could not be read from Azure Resource Manager (HTTP 403 AuthorizationFailed)');
  });

  it.each<[string, ArmFailure, string]>([
    ['ARM throttling (429)', { kind: 'refused', status: 429, code: 'TooManyRequests' }, 'throttled'],
    ['ARM in trouble (503)', { kind: 'refused', status: 503 }, 'service-unavailable'],
    ['a lost connection', { kind: 'unusable', reason: 'socket hang up', transport: 'connection-reset' }, 'service-unavailable'],
  ])('unreadable because of %s: what time cures is waited out, not reported as a missing model', (_, failure, diagnosis) => {
    const classified = withDeployments(unknown, 'chat', { kind: 'unreadable', reason: 'the deployment list failed', failure });
    expect(classified.diagnosis).toBe(diagnosis);
    expect(classified.final).toBeUndefined();
    expect(classified.facts.deploymentsUnread).toBe('the deployment list failed');
  });

  it.each<[string, ArmFailure]>([
    ['refused (403)', { kind: 'refused', status: 403, code: 'AuthorizationFailed' }],
    ['malformed', { kind: 'unusable', reason: 'page 1 of the deployment list has an entry without a short "name"' }],
    ['paged to another host', { kind: 'unusable', reason: 'the deployment list points its next page at another host' }],
  ])('unreadable because %s: the same next time, so model-not-found at once', (_, failure) => {
    expect(withDeployments(unknown, 'chat', { kind: 'unreadable', reason: 'x', failure }).diagnosis).toBe('model-not-found');
  });

  it('a name listed twice: the entry still on its way is the one waited for, whatever the order', () => {
    const failed = { name: 'chat', provisioningState: 'Failed', changedAt: minutesAgo(300) };
    const creating = { name: 'chat', provisioningState: 'Creating', changedAt: minutesAgo(1) };
    expect(withDeployments(unknown, 'chat', listed(failed, creating)).final).toBeUndefined();
    expect(withDeployments(unknown, 'chat', listed(creating, failed)).final).toBeUndefined();
  });

  it('a hostile name or state is shown as one short line without control characters', () => {
    const classified = withDeployments(unknown, 'x', listed({ name: 'a\u202e\n::error::b' }));
    expect(classified.facts.deploymentsListed).toEqual(['a ::error::b']);
    const state = withDeployments(unknown, 'chat', listed({ name: 'chat', provisioningState: `Failed\r\n\u001b[31m${'x'.repeat(300)}` }));
    // Odd characters are replaced, so the text shown never reads as a listed state (here: not as Failed).
    expect(state.facts.deploymentState).toMatch(/^Failed\?{4}31mx+…$/);
    expect(state.final).toBeUndefined();
    expect([...(state.facts.deploymentState ?? '')].length).toBe(40);
  });

  it('leaves every other answer, and a run without a model, as they are', () => {
    const denied: Classified = { diagnosis: 'data-plane-denied', facts: {} };
    expect(withDeployments(denied, 'chat', listed({ name: 'chat', provisioningState: 'Creating' }))).toBe(denied);
    expect(withDeployments(unknown, undefined, listed({ name: 'chat', provisioningState: 'Creating' }))).toBe(unknown);
    expect(withDeployments(unknown, 'chat', undefined)).toBe(unknown);
  });

  it('knows which states are on their way', () => {
    expect(['Accepted', 'creating', 'Updating', 'Moving', 'Succeeded'].every(onItsWay)).toBe(true);
    expect(['Failed', 'Canceled', 'Disabled', 'Deleting', 'Deleted'].some(onItsWay)).toBe(false);
    // Not known to be final: waited for, within the window.
    expect([undefined, 'SomethingNew', 'not stated'].every(onItsWay)).toBe(true);
  });
});

const RESOURCE_ID = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a';
const ENDPOINT = 'https://a.services.ai.azure.com/';
const granting: PermissionsEvidence = { kind: 'read', permissions: [{ actions: [], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }] };
const account: AccountEvidence = { kind: 'read', settings: { customSubDomainName: 'a', ipRules: [], virtualNetworkRules: 0, disableLocalAuth: true, endpoints: [ENDPOINT] } };
const answered = (status: number, code?: string, endpoint = ENDPOINT): ProbeEvidence => ({ kind: 'answered', status, code, endpoint, chatCompletion: status === 200 });
const MAAS = 'Microsoft.CognitiveServices/accounts/MaaS/*';
const facts = { principalId: 'p', model: 'chat', waitTimeoutSeconds: 60 };

describe('the account deployments in the verdict', () => {
  it('are read only when the call to this account named the model unknown', () => {
    expect(deploymentsCanMatter(answered(404, 'DeploymentNotFound'), account)).toBe(true);
    expect(deploymentsCanMatter(answered(400, 'unknown_model'), account)).toBe(true);
    expect(deploymentsCanMatter(answered(200), account)).toBe(false);
    expect(deploymentsCanMatter(answered(401, 'PermissionDenied'), account)).toBe(false);
    // A bare 404 (a path the endpoint does not have) says nothing of deployments.
    expect(deploymentsCanMatter(answered(404, '404'), account)).toBe(false);
    expect(deploymentsCanMatter(answered(404, 'DeploymentNotFound', 'https://other.services.ai.azure.com/'), account)).toBe(false);
    expect(deploymentsCanMatter(answered(404, 'DeploymentNotFound'), { kind: 'unreadable', reason: 'HTTP 403' })).toBe(false);
    expect(deploymentsCanMatter(undefined, account)).toBe(false);
  });

  const gathered = (deployments: DeploymentsEvidence, probe = answered(404, 'DeploymentNotFound')) =>
    decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: granting, facts, probe, account, deployments });

  it('a deployment on its way is waited for, with its own reason, and never granted', () => {
    const verdict = gathered(listed({ name: 'chat', provisioningState: 'Creating' }));
    expect(verdict).toMatchObject({ granted: false, diagnosis: 'deployment-not-served' });
    expect(verdict.final).toBeUndefined();
    const rule = waitRule(verdict, { elapsedMs: 0, nowEpochMs: NOW, waitTimeoutMs: 60_000, waitForAssignment: false, requiredDataActions: [MAAS] });
    expect(rule).toMatchObject({ kind: 'wait', untilMs: 60_000 });
    expect(rule.reason).toBe('Azure lists the deployment chat (Creating), which the endpoint does not serve yet; waiting up to the wait timeout (60 s)');
    expect(plainText(render({ code: verdict.diagnosis, facts: verdict.facts }))).toContain('did not serve it yet within 60 seconds');
  });

  it('a failed deployment is reported at once, with how to see why', () => {
    const verdict = gathered(listed({ name: 'chat', provisioningState: 'Failed' }));
    expect(verdict).toMatchObject({ granted: false, diagnosis: 'deployment-not-served', final: true });
    expect(waitRule(verdict, { elapsedMs: 0, nowEpochMs: NOW, waitTimeoutMs: 60_000, waitForAssignment: false, requiredDataActions: [MAAS] }).kind).toBe('stop');
    const text = plainText(render({ code: verdict.diagnosis, facts: verdict.facts }));
    expect(text).toContain('provisioning state Failed');
    expect(text).toContain('az cognitiveservices account deployment show --name a --resource-group rg --deployment-name chat');
  });

  it('a name nothing answers to is reported at once', () => {
    const verdict = gathered(listed({ name: 'gpt-4o', provisioningState: 'Succeeded' }));
    expect(verdict).toMatchObject({ granted: false, diagnosis: 'model-not-found' });
    expect(waitRule(verdict, { elapsedMs: 0, nowEpochMs: NOW, waitTimeoutMs: 60_000, waitForAssignment: false, requiredDataActions: [MAAS] }).kind).toBe('stop');
    expect(plainText(render({ code: verdict.diagnosis, facts: verdict.facts }))).toContain("The account's deployments, as Azure Resource Manager lists them: `gpt-4o`.");
  });

  it('deployments of this account say nothing of a call that went to another', () => {
    const elsewhere = answered(404, 'DeploymentNotFound', 'https://other.services.ai.azure.com/');
    const verdict = gathered(listed({ name: 'chat', provisioningState: 'Creating' }), elsewhere);
    expect(verdict.diagnosis).toBe('model-not-found');
    expect(verdict.facts.deploymentState).toBeUndefined();
  });

  it('stand behind a denial of the roles: the control plane speaks first', () => {
    const verdict = decideResource({ resourceId: RESOURCE_ID, required: [MAAS], permissions: { kind: 'read', permissions: [] }, facts, probe: answered(404, 'DeploymentNotFound'), account, deployments: listed({ name: 'chat', provisioningState: 'Creating' }) });
    expect(verdict.diagnosis).toBe('role-missing');
  });
});
