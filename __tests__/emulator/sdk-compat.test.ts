import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROLE, loadScenario, scenarioFile } from '../../emulator/index.js';
import { useEmulator } from '../support/use-emulator.js';

/**
 * The Azure SDK the action is built on, pointed at the emulator in a child process: the proof that
 * msal-node accepts the discovery document and token answers, and that the arm-authorization client
 * reads the permission and assignment pages. A child process because NODE_EXTRA_CA_CERTS is only read
 * at start-up, exactly as it is for the action.
 */
const SCRIPT = `
import { ClientAssertionCredential } from '@azure/identity';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
const env = process.env;
const getAssertion = async () => {
  const res = await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL + '&audience=api://AzureADTokenExchange', {
    headers: { authorization: 'Bearer ' + env.ACTIONS_ID_TOKEN_REQUEST_TOKEN },
  });
  return (await res.json()).value;
};
const credential = new ClientAssertionCredential(env.TENANT_ID, env.CLIENT_ID, getAssertion, {
  authorityHost: env.AUTHORITY_HOST,
  disableInstanceDiscovery: true,
});
const client = new AuthorizationManagementClient(credential, env.SUBSCRIPTION_ID, {
  endpoint: env.ARM, $host: env.ARM, credentialScopes: [env.ARM + '/.default'],
});
const permissions = [];
for await (const p of client.permissions.listForResourceGroup(env.RESOURCE_GROUP)) permissions.push(p);
const assignments = [];
for await (const a of client.roleAssignments.listForResourceGroup(env.RESOURCE_GROUP)) assignments.push(a);
const denied = await credential.getToken('https://storage.azure.com/.default').then(() => 'no error', (e) => e.message);
console.log(JSON.stringify({ permissions, assignments, denied }));
`;

const startEmulator = useEmulator();

describe('Azure SDK against the emulator', () => {
  it('ClientAssertionCredential and AuthorizationManagementClient work end to end, across pages', async () => {
    const scenario = loadScenario(scenarioFile('granted-via-group'));
    const resourceId = scenario.resources[0]?.id ?? '';
    const [, , subscriptionId = '', , resourceGroup = ''] = resourceId.split('/');
    const reader = {
      principalId: scenario.apps[0]?.objectId ?? '',
      principalType: 'ServicePrincipal' as const,
      roleDefinitionId: ROLE.reader,
      scope: `/subscriptions/${subscriptionId}`,
    };
    // Reader lets the identity list assignments; one entry per page makes the client follow nextLink.
    const emulator = await startEmulator({ ...scenario, roleAssignments: [...scenario.roleAssignments, reader], arm: { pageSize: 1 } });

    const stdout = await runNode(SCRIPT, {
      ...emulator.runnerEnv(),
      TENANT_ID: emulator.scenario.tenantId,
      CLIENT_ID: emulator.scenario.apps[0]?.clientId ?? '',
      AUTHORITY_HOST: emulator.urls.entra,
      ARM: emulator.urls.arm,
      SUBSCRIPTION_ID: subscriptionId,
      RESOURCE_GROUP: resourceGroup,
    });
    const result = JSON.parse(stdout) as { permissions: { dataActions: string[] }[]; assignments: { principalType: string }[]; denied: string };
    expect(result.permissions.map((p) => p.dataActions)).toEqual([['Microsoft.CognitiveServices/*'], []]);
    expect(result.assignments.map((a) => a.principalType)).toEqual(['Group', 'ServicePrincipal']);
    expect(result.denied).toContain('AADSTS500011');
    const pages = emulator.requests.filter((r) => r.service === 'arm' && r.path.endsWith('/permissions'));
    expect(pages.map((r) => r.query.$skiptoken)).toEqual([undefined, '1']);
    expect(emulator.requests.some((r) => r.service === 'entra' && r.path.endsWith('/v2.0/.well-known/openid-configuration'))).toBe(true);
  });
});

function runNode(source: string, env: Record<string, string>): Promise<string> {
  const cwd = fileURLToPath(new URL('../../', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', source],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}
