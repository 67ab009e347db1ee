/**
 * The local command and `auth: default`: the same check signed in through the Azure Identity default chain.
 * The chain is pinned to its workload-identity source (a federated token in a file, as on Kubernetes-hosted
 * runners), so no test can wander off to a managed-identity endpoint or to the Azure CLI.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFile, type Emulator } from '../../emulator/index.js';
import { githubIdToken } from '../../emulator/test-client.js';
import { BIN, runAction } from '../../emulator/run-action.js';
import { useTempDirs } from '../support/temp-dirs.js';
import { useEmulator } from '../support/use-emulator.js';

const tempDir = useTempDirs('fkc-wi-');
const startEmulator = useEmulator();

/** The environment a workload-identity runner has: client, tenant, and a federated token in a file. */
async function workloadIdentity(e: Emulator): Promise<Record<string, string>> {
  const file = join(tempDir(), 'token');
  writeFileSync(file, await githubIdToken(e));
  return {
    PATH: process.env.PATH ?? '',
    NODE_EXTRA_CA_CERTS: e.caFile,
    AZURE_CLIENT_ID: e.scenario.apps[0]?.clientId ?? '',
    AZURE_TENANT_ID: e.scenario.tenantId,
    AZURE_FEDERATED_TOKEN_FILE: file,
    AZURE_TOKEN_CREDENTIALS: 'WorkloadIdentityCredential',
  };
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function cliAgainst(name: string, extra: string[] = []) {
  const emulator = await startEmulator(scenarioFile(name));
  const env = await workloadIdentity(emulator);
  const args = [
    ...emulator.scenario.resources.flatMap((r) => ['--resource-id', r.id]),
    '--cloud', 'Custom',
    '--authority-host', emulator.urls.entra,
    '--resource-manager-endpoint', emulator.urls.arm,
    ...extra,
  ];
  return { result: await cli(args, env), emulator };
}

describe('the local command', () => {
  it('exits 0 and prints the verdict when access is granted', async () => {
    const { result, emulator: e } = await cliAgainst('granted-builtin');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('✔ Foundry access verified');
    expect(result.stdout).toContain('✔ contoso-foundry  ok');
    // One GitHub token: the test's own, written to the federated-token file. The command asked for none.
    expect(e.requests.filter((r) => r.service === 'github').length).toBe(1);
  });

  it('exits 1 with the diagnosis and the filled-in fix when access is denied', async () => {
    const { result, emulator: e } = await cliAgainst('denied-owner-only');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✘ contoso-foundry  control-plane-role-only');
    expect(result.stdout).toContain(`$ az role assignment create --assignee-object-id ${e.scenario.apps[0]?.objectId} --assignee-principal-type ServicePrincipal`);
  });

  it('exits 2 when it cannot check', async () => {
    const { result } = await cliAgainst('granted-builtin', ['--wait-timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('`wait-timeout`');
  });

  it('exits 2 on an unknown option, with the usage', async () => {
    const result = await cli(['--resource', 'x'], { PATH: process.env.PATH ?? '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: foundry-keyless-check');
  });

  it('prints the same report as the action with --json', async () => {
    const { result, emulator: e } = await cliAgainst('demo', ['--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { resources: { resourceId: string; granted: boolean }[] };
    expect(report.resources.map((r) => [r.resourceId, r.granted])).toEqual(e.scenario.resources.map((r, i) => [r.id, i === 0]));
  });
});

describe('nobody signed in', () => {
  it('says at once to run az login, without waiting or calling Azure unreachable', async () => {
    const emulator = await startEmulator(scenarioFile('granted-builtin'));
    const args = [...emulator.scenario.resources.flatMap((r) => ['--resource-id', r.id]), '--cloud', 'Custom', '--authority-host', emulator.urls.entra, '--resource-manager-endpoint', emulator.urls.arm];
    // The chain pinned to the Azure CLI, and no `az` to be found: as on a desk where nobody ran az login.
    const result = await cli(args, { PATH: '/nonexistent', NODE_EXTRA_CA_CERTS: emulator.caFile, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' });
    expect(result.stdout).toContain('Not signed in to Azure');
    expect(result.stdout).toContain('az login');
    expect(result.stdout).not.toMatch(/trying again|service-unavailable/);
    expect(emulator.requests).toEqual([]);
  });
});

describe('auth: default in the action', () => {
  it('signs in through the default chain and requests no GitHub token', async () => {
    const emulator = await startEmulator(scenarioFile('granted-builtin'));
    const env = await workloadIdentity(emulator);
    const inputs = { ...emulator.actionInputs(), auth: 'default', 'client-id': '', 'tenant-id': '', 'wait-timeout': '0' };
    const run = await runAction(inputs, { env: { ...env, ACTIONS_ID_TOKEN_REQUEST_URL: `${emulator.urls.github}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'unused' } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.granted).toBe('true');
    expect(run.outputs['principal-id']).toBe(emulator.scenario.apps[0]?.objectId);
    // The federated token came from the file; the action itself asked GitHub for nothing.
    expect(emulator.requests.filter((r) => r.service === 'github').length).toBe(1);
  });
});
