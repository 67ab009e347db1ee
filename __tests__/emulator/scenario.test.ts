import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, ROLE, ScenarioError, loadScenario, resolveScenario, scenarioFile } from '../../emulator/index.js';
import type { ScenarioInput } from '../../emulator/index.js';
import { useEmulator } from '../support/use-emulator.js';

const SUB = '8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f';
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct`;
const SP = '2c7f5a3b-0d4e-4f8a-9b6c-7d3e2f1a0b9c';

function problemsOf(input: unknown): string[] {
  try {
    resolveScenario(input as ScenarioInput);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

describe('scenario defaults', () => {
  it('fill in everything an empty scenario leaves out', () => {
    const s = resolveScenario({}, { now: Date.UTC(2025, 0, 1) });
    expect(s.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.github).toMatchObject({
      tokenLifetimeSeconds: 300,
      tokenAgeSeconds: 0,
      idTokenUnavailable: false,
      claims: { repository: 'contoso/foundry-app', repository_owner: 'contoso', ref: 'refs/heads/main', sub: 'repo:contoso/foundry-app:ref:refs/heads/main' },
    });
    expect(s.entra.accessTokenLifetimeSeconds).toBe(3599);
    expect(s.arm).toEqual({ permissionsReadRequiresAction: false, pageSize: 100 });
    expect(s.data).toEqual({ legacyDenyMessage: false, lagSeconds: 0 });
    expect(s.roleDefinitions.map((d) => d.id)).toEqual(BUILTIN_ROLES.map((d) => d.id));
    expect(s.roleDefinitions).toHaveLength(11);
  });

  it('fill in app, resource and assignment defaults', () => {
    const s = resolveScenario(
      {
        apps: [{ clientId: '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b', objectId: SP, federatedCredentials: [{ subject: 'repo:o/r:ref:refs/heads/main' }] }],
        resources: [{ id: ACCOUNT }],
        roleAssignments: [{ principalId: SP, principalType: 'ServicePrincipal', roleDefinitionId: ROLE.cognitiveServicesUser.toUpperCase(), scope: `${ACCOUNT}/` }],
      },
      { now: Date.UTC(2025, 0, 1) },
    );
    expect(s.apps[0]?.federatedCredentials[0]).toEqual({
      name: 'fic-0',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:o/r:ref:refs/heads/main',
      audiences: ['api://AzureADTokenExchange'],
    });
    expect(s.resources[0]).toMatchObject({ name: 'acct', kind: 'AIServices', deployments: ['gpt-4o-mini'], endpoint: '{data}/acct/' });
    expect(s.roleAssignments[0]).toMatchObject({
      roleDefinitionId: ROLE.cognitiveServicesUser,
      scope: ACCOUNT,
      createdOn: '2025-01-01T00:00:00.000Z',
      effectiveAfterSeconds: 0,
    });
    // A derived name is stable from run to run.
    expect(s.roleAssignments[0]?.id).toBe(resolveScenario(s).roleAssignments[0]?.id);
  });

  it('resolving a resolved scenario changes nothing', () => {
    const once = loadScenario(scenarioFile('granted-via-group'));
    expect(resolveScenario(once)).toEqual(once);
  });
});

describe('scenario validation', () => {
  it('reports every problem with its JSON path', () => {
    const problems = problemsOf({
      tenantId: 'not-a-guid',
      apps: [{ clientId: '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b' }],
      resources: [{ id: '/subscriptions/x/resourceGroups/rg' }],
      roleAssignments: [{ principalId: SP, principalType: 'Robot', roleDefinitionId: '12345678-1234-4234-8234-123456789012', scope: 'subscriptions/x', effectiveAfterSecond: 5 }],
      faults: [{ service: 'arm', kind: 'explode', pathPattern: '(' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.tenantId: 'not-a-guid' is not a GUID/),
        expect.stringMatching(/^\$\.apps\[0\]\.objectId: is required/),
        expect.stringMatching(/^\$\.resources\[0\]\.id: .*not a resource ID/),
        expect.stringMatching(/^\$\.roleAssignments\[0\]\.principalType: must be one of/),
        expect.stringMatching(/^\$\.roleAssignments\[0\]\.roleDefinitionId: .*neither a built-in role/),
        expect.stringMatching(/^\$\.roleAssignments\[0\]\.scope: a scope must start with '\/'/),
        expect.stringMatching(/^\$\.roleAssignments\[0\]\.effectiveAfterSecond: unknown field/),
        expect.stringMatching(/^\$\.faults\[0\]\.kind: must be one of/),
        expect.stringMatching(/^\$\.faults\[0\]\.pathPattern: not a valid regular expression/),
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  it('refuses two resources with the same account name, which the data plane could not tell apart', () => {
    const other = ACCOUNT.replace('/rg/', '/rg2/');
    expect(problemsOf({ resources: [{ id: ACCOUNT }, { id: other }] })).toEqual([expect.stringContaining("duplicate account name 'acct'")]);
  });

  it('refuses a custom role that reuses a built-in GUID', () => {
    const problems = problemsOf({ roleDefinitions: [{ id: ROLE.owner, roleName: 'Fake Owner', permissions: [{ actions: ['*'] }] }] });
    expect(problems).toEqual([expect.stringContaining('duplicate id')]);
  });

  it('names the file when loading fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-test-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "tenantId": ');
    expect(() => loadScenario(broken)).toThrow(/Invalid scenario .*broken\.json:\n {2}- not valid JSON/);
    expect(() => loadScenario(join(dir, 'missing.json'))).toThrow(/cannot read the file/);
    expect(() => scenarioFile('no-such-scenario')).toThrow(/granted-builtin/);
  });
});

describe('emulator helpers', () => {
  const startEmulator = useEmulator();

  it('suggests action inputs that aim the action at the emulator', async () => {
    const emulator = await startEmulator(scenarioFile('demo'));
    expect(emulator.actionInputs()).toEqual({
      'client-id': emulator.scenario.apps[0]?.clientId,
      'tenant-id': emulator.scenario.tenantId,
      'resource-id': emulator.scenario.resources.map((r) => r.id).join('\n'),
      cloud: 'Custom',
      'authority-host': emulator.urls.entra,
      'resource-manager-endpoint': emulator.urls.arm,
      audience: 'api://AzureADTokenExchange',
    });
    const { github, entra, arm, data } = emulator.urls;
    const urls = [github, entra, arm, data];
    expect(new Set(urls.map((u) => new URL(u).port)).size).toBe(4);
    for (const url of urls) expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives every runner variable for a run with id-token permission', async () => {
    const emulator = await startEmulator({});
    const env = emulator.runnerEnv();
    expect(env.ACTIONS_ID_TOKEN_REQUEST_URL).toBe(`${emulator.urls.github}/token?api-version=2.0`);
    expect(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.length).toBeGreaterThanOrEqual(32);
    expect(env.NODE_EXTRA_CA_CERTS).toBe(emulator.caFile);
  });
});
