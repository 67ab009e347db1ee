/**
 * Foundry projects end to end through the bundle: a project's resource ID is checked at the project's scope; a role
 * at the account reaches its projects, and a role at a project reaches that project only, which the diagnosis says.
 */
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useEmulator } from '../support/use-emulator.js';

const startEmulator = useEmulator();
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

/** granted-builtin with two projects, Cognitive Services User at `at` (a path under the account, or '' for it), Reader at the group. */
function withRoleAt(at: string): ScenarioInput {
  const base = scenarioInput('granted-builtin');
  const account = base.resources?.[0]?.id ?? '';
  const [csu] = base.roleAssignments ?? [];
  if (!csu) throw new Error('granted-builtin has no assignment');
  const group = account.replace(/\/providers\/.*$/, '');
  return {
    ...base,
    resources: base.resources?.map((r) => ({ ...r, projects: ['evals', 'agents-prod'] })),
    roleAssignments: [
      { ...csu, id: undefined, scope: `${account}${at}` },
      { principalId: csu.principalId, principalType: 'ServicePrincipal', roleDefinitionId: READER, scope: group },
    ],
  };
}

async function check(scenario: ScenarioInput, resource: (account: string) => string) {
  const emulator = await startEmulator(scenario);
  const account = emulator.scenario.resources[0]?.id ?? '';
  const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', 'resource-id': resource(account) }, { env: emulator.runnerEnv() });
  return { run, emulator, account };
}

describe('Foundry projects', () => {
  it('a project ID is checked at the project; the account role reaches it', async () => {
    const { run, emulator, account } = await check(withRoleAt(''), (a) => `${a}/projects/evals`);
    expect(run.outputs.diagnosis, run.stdout).toBe('ok');
    expect(emulator.requests.some((r) => r.path === `${account}/projects/evals/providers/Microsoft.Authorization/permissions`)).toBe(true);
    expect(run.summary).toContain('`contoso-foundry/evals`');
  });

  it('a role at the project grants the project', async () => {
    const { run } = await check(withRoleAt('/projects/evals'), (a) => `${a}/projects/evals`);
    expect(run.outputs.diagnosis, run.stdout).toBe('ok');
  });

  it('a role at a project does not reach the account, and the diagnosis says so', async () => {
    const { run, account } = await check(withRoleAt('/projects/evals'), (a) => a);
    expect(run.outputs.diagnosis, run.stdout).toBe('control-plane-role-only');
    expect(run.summary).toContain(`\`Cognitive Services User at ${account}/projects/evals\` would grant it, but a role assigned at a Foundry project covers that project only`);
    // Nothing is on its way to the account: the check stops at once.
    expect(run.outputs.attempts).toBe('1');
  });

  it('nor another project', async () => {
    const { run } = await check(withRoleAt('/projects/evals'), (a) => `${a}/projects/agents-prod`);
    expect(run.outputs.diagnosis, run.stdout).toBe('control-plane-role-only');
    expect(run.summary).toContain('covers that project only');
  });
});
