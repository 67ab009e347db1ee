/**
 * The bundled action (dist/index.js) against the HTTPS emulator, run as the GitHub runner runs it.
 * Covers the control-plane path: who the identity is, what ARM says it may do, and the verdict and report.
 */
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import type { Emulator } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../emulator/run-action.js';
import { useEmulator } from '../support/use-emulator.js';

const scenario = (name: string): string => new URL(`../../emulator/scenarios/${name}.json`, import.meta.url).pathname;

const startEmulator = useEmulator();

async function check(name: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<{ run: ActionRun; emulator: Emulator }> {
  const emulator = await startEmulator(scenario(name));
  const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...inputs }, { env: { ...emulator.runnerEnv(), ...env } });
  return { run, emulator };
}

const PERMISSIONS_PATH = (resourceId: string): string => `${resourceId}/providers/Microsoft.Authorization/permissions`;

describe('granted', () => {
  it.each(['granted-builtin', 'granted-via-group', 'granted-custom-maas'])('%s: exits 0 with granted outputs', async (name) => {
    const { run, emulator } = await check(name);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.granted).toBe('true');
    expect(run.outputs.diagnosis).toBe('ok');
    expect(run.outputs['principal-id']).toBe(emulator.scenario.apps[0]?.objectId);
    expect(run.summary.split('\n')[0]).toBe('## ✅ Foundry access verified');
    const report = JSON.parse(run.outputs.report ?? '{}') as { resources: { granted: boolean; diagnosis: string }[] };
    expect(report.resources).toEqual([expect.objectContaining({ granted: true, diagnosis: 'ok' })]);
  });

  it('takes the client and tenant from AZURE_CLIENT_ID and AZURE_TENANT_ID when the inputs are empty, as azure/login does', async () => {
    const emulator = await startEmulator(scenario('granted-builtin'));
    const inputs = { ...emulator.actionInputs(), 'client-id': '', 'tenant-id': '', cloud: 'custom', 'wait-timeout': '0' };
    const env = { ...emulator.runnerEnv(), AZURE_CLIENT_ID: emulator.scenario.apps[0]?.clientId ?? '', AZURE_TENANT_ID: emulator.scenario.tenantId };
    const run = await runAction(inputs, { env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.granted).toBe('true');
    expect(run.outputs['principal-id']).toBe(emulator.scenario.apps[0]?.objectId);
  });

  it('names itself and the version in package.json to Azure Resource Manager', async () => {
    const { run, emulator } = await check('granted-builtin');
    expect(run.exitCode).toBe(0);
    const arm = emulator.requests.filter((r) => r.service === 'arm');
    expect(arm.length).toBeGreaterThan(0);
    for (const request of arm) expect(request.userAgent, request.path).toMatch(new RegExp(`^foundry-keyless-check/${pkg.version.replace(/\./g, '\\.')} `));
  });

  it('asks ARM for exactly the resource ID plus the permissions suffix, with the ARM token only', async () => {
    const { run, emulator } = await check('granted-builtin');
    expect(run.exitCode).toBe(0);
    const resourceId = emulator.scenario.resources[0]?.id ?? '';
    const principal = emulator.scenario.apps[0]?.objectId;
    const arm = emulator.requests.filter((r) => r.service === 'arm');
    const permissions = arm.filter((r) => r.path.endsWith('/permissions'));
    expect(permissions.map((r) => [r.method, r.path, r.query['api-version'], r.status])).toEqual([['GET', PERMISSIONS_PATH(resourceId), '2022-05-01-preview', 200]]);
    expect(permissions[0]?.principalId).toBe(principal);
    // Attribution asks for the identity's assignments at the resource; Cognitive Services User may not read them.
    const assignments = arm.filter((r) => r.path.endsWith('/roleAssignments'));
    expect(assignments.map((r) => [r.path, r.query.$filter, r.status])).toEqual([
      [`${resourceId}/providers/Microsoft.Authorization/roleAssignments`, `assignedTo('${principal}')`, 403],
    ]);
    // The account (its keyless readiness) and the deny assignments at the resource, once each.
    expect(arm.filter((r) => r.path === resourceId).map((r) => r.status)).toEqual([200]);
    expect(arm.filter((r) => r.path.endsWith('/denyAssignments')).map((r) => [r.query.$filter, r.status])).toEqual([['atScope()', 403]]);
    expect(arm.length).toBe(4);
    expect(emulator.requests.filter((r) => r.service === 'data')).toEqual([]);
    // One GitHub token, one Entra exchange: the rest is served from the credential's cache.
    expect(emulator.requests.filter((r) => r.service === 'github').length).toBe(1);
    expect(emulator.requests.filter((r) => r.service === 'entra' && r.method === 'POST').length).toBe(1);
  });

  it('shows the presented OIDC subject in the log and the summary', async () => {
    const { run, emulator } = await check('granted-builtin');
    const subject = emulator.scenario.github.claims.sub;
    expect(run.stdout).toContain(`Subject:  ${subject}`);
    expect(run.summary).toContain(`| OIDC subject | \`${subject}\` |`);
  });
});

describe('denied', () => {
  it.each([
    ['denied-no-role', 'role-missing'],
    ['denied-owner-only', 'control-plane-role-only'],
    ['denied-openai-only', 'openai-role-only'],
    ['denied-not-data-actions', 'partial-data-actions'],
  ])('%s: fails with %s, an annotation and the filled-in fix', async (name, diagnosis) => {
    const { run, emulator } = await check(name);
    const principal = emulator.scenario.apps[0]?.objectId ?? '';
    const resourceId = emulator.scenario.resources[0]?.id ?? '';
    expect(run.exitCode).toBe(1);
    expect(run.outputs.granted).toBe('false');
    expect(run.outputs.diagnosis).toBe(diagnosis);
    expect(run.stdout).toMatch(new RegExp(`^::error title=${diagnosis}%3A `, 'm'));
    expect(run.summary.split('\n')[0]).toBe('## ❌ Foundry access denied');
    expect(run.summary).toContain(
      `az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role a97b65f3-24c7-4388-baec-2e87135dc908 --scope ${resourceId}  # Cognitive Services User`,
    );
  });

  it('names the notDataActions exclusion', async () => {
    const { run } = await check('denied-not-data-actions');
    expect(run.summary).toContain('Excluded by notDataActions: `Microsoft.CognitiveServices/accounts/MaaS/*`');
  });

  it('succeeds with fail-on-denied: false and reports through outputs only', async () => {
    const { run } = await check('denied-no-role', { 'fail-on-denied': 'false' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.granted).toBe('false');
    expect(run.outputs.diagnosis).toBe('role-missing');
  });
});

describe('sign-in failures', () => {
  it('shows the presented subject and the federated credential to create', async () => {
    const { run, emulator } = await check('fc-mismatch');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.diagnosis).toBe('federated-credential-mismatch');
    const subject = emulator.scenario.github.claims.sub;
    expect(run.summary).toContain(subject);
    expect(run.summary).toContain(`az ad app federated-credential create --id ${emulator.scenario.apps[0]?.clientId}`);
    expect(run.summary).toMatch(/AADSTS70021/);
    expect(emulator.requests.filter((r) => r.service === 'arm')).toEqual([]);
  });

  it('explains a job without an OIDC token and asks nobody for anything', async () => {
    const { run, emulator } = await check('no-id-token');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.diagnosis).toBe('id-token-unavailable');
    expect(run.summary).toContain('id-token: write');
    expect(emulator.requests).toEqual([]);
  });

  it('refuses invalid inputs before any request', async () => {
    const { run, emulator } = await check('granted-builtin', { 'resource-id': '/subscriptions/../x?y', 'fail-on-denied': 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.diagnosis).toBe('invalid-input');
    expect(run.summary).toContain('`resource-id`');
    expect(emulator.requests).toEqual([]);
  });
});

describe('several resources', () => {
  it('gives one verdict per resource and is granted only when all are', async () => {
    const { run, emulator } = await check('demo');
    const ids = emulator.scenario.resources.map((r) => r.id);
    expect(ids.length).toBe(2);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.outputs.report ?? '{}') as { resources: { resourceId: string; granted: boolean }[] };
    expect(report.resources.map((r) => [r.resourceId, r.granted])).toEqual([
      [ids[0], true],
      [ids[1], false],
    ]);
  });
});

describe('token hygiene', () => {
  it('requests no data-plane token for, and sends nothing to, a host it may not trust', async () => {
    // In a custom cloud the endpoint input names the one trusted data-plane origin; without it, none is trusted.
    const { run, emulator } = await check('granted-builtin', { model: 'gpt-4o-mini' });
    expect(run.outputs.diagnosis).toBe('endpoint-unknown');
    expect(emulator.requests.filter((r) => r.service === 'data')).toEqual([]);
    const exchanges = emulator.requests.filter((r) => r.service === 'entra' && r.method === 'POST');
    expect(exchanges.length).toBe(1);
  });

  it('sends the data-plane token to the data plane only, and the ARM token to ARM only', async () => {
    const emulator = await startEmulator(scenario('granted-builtin'));
    const run = await runAction(
      { ...emulator.actionInputs(), 'wait-timeout': '0', model: 'gpt-4o-mini', endpoint: `${emulator.urls.data}/contoso-foundry/` },
      { env: emulator.runnerEnv() },
    );
    expect(run.outputs.diagnosis, run.stdout).toBe('ok');
    const bearers = (service: string): Set<string> =>
      new Set(emulator.requests.filter((r) => r.service === service && r.bearer).map((r) => r.bearer ?? ''));
    const arm = bearers('arm');
    const data = bearers('data');
    expect(arm.size).toBeGreaterThan(0);
    expect(data.size).toBe(1);
    for (const token of data) expect(arm.has(token)).toBe(false);
    const audience = (token: string): unknown => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { aud?: unknown }).aud;
    expect([...data].map(audience)).toEqual(['https://ai.azure.com']);
    expect([...arm].map(audience).every((aud) => aud === emulator.urls.arm)).toBe(true);
    // Entra and GitHub never see a bearer access token.
    expect(emulator.requests.filter((r) => (r.service === 'entra' || r.service === 'github') && r.bearer && emulator.issuedTokens.includes(r.bearer))).toEqual([]);
  });

  it('prints no issued token anywhere but in its own mask command', async () => {
    const { run, emulator } = await check('granted-builtin');
    expect(emulator.issuedTokens.length).toBeGreaterThanOrEqual(2);
    const streams = { stdout: run.stdout, stderr: run.stderr, outputs: run.outputFile, summary: run.summary };
    for (const token of emulator.issuedTokens) {
      expect(run.stdout).toContain(`::add-mask::${token}`);
      for (const [name, text] of Object.entries(streams)) {
        const withoutMasks = text.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
        expect(withoutMasks.includes(token), `${name} leaks a token`).toBe(false);
      }
    }
  });
});
