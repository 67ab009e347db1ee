/**
 * ABAC conditions on role assignments, end to end through the bundle: a conditional grant is never plain access;
 * only a model call that succeeds proves the condition held.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useEmulator } from '../support/use-emulator.js';

const startEmulator = useEmulator();
const conditional = (holds: boolean): ScenarioInput => {
  const base = scenarioInput('conditional-grant');
  return { ...base, roleAssignments: base.roleAssignments?.map((a) => ({ ...a, conditionHolds: holds })) };
};

async function check(scenario: ScenarioInput, probe: boolean) {
  const emulator = await startEmulator(scenario);
  const model: Record<string, string> = probe ? { model: 'gpt-4o-mini', endpoint: `${emulator.urls.data}/contoso-foundry/` } : {};
  return runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...model }, { env: emulator.runnerEnv() });
}

describe('conditional grants', () => {
  it('a model call that succeeds proves the condition held for it: granted', async () => {
    const run = await check(conditional(true), true);
    expect(run.outputs.diagnosis, run.stdout).toBe('ok');
    expect(run.exitCode).toBe(0);
  });

  it('a model call the condition refuses keeps it conditional', async () => {
    const run = await check(conditional(false), true);
    expect(run.outputs.diagnosis, run.stdout).toBe('conditional-grant');
    expect(run.summary).toContain('refused: HTTP 401 PermissionDenied');
  });

  it('without a model call the condition is reported, whatever it would say', async () => {
    const run = await check(conditional(true), false);
    expect(run.outputs.diagnosis).toBe('conditional-grant');
    const report = JSON.parse(run.outputs.report ?? '{}') as { resources: { evidence: { permissions: { conditional: { condition: string }[] } } }[] };
    expect(report.resources[0]?.evidence.permissions.conditional[0]?.condition).toContain('gpt-4o-mini-eval');
  });

  it('the 2022-05-01-preview permissions shape with a condition, replayed, is conditional-grant', async () => {
    const { body } = JSON.parse(readFileSync(new URL('../fixtures/arm/permissions-conditional.json', import.meta.url), 'utf8')) as { body: unknown };
    const scenario = { ...scenarioInput('granted-builtin'), faults: [{ service: 'arm' as const, pathPattern: '/permissions$', kind: 'status' as const, status: 200, body }] };
    const run = await check(scenario, false);
    expect(run.outputs.diagnosis, run.stdout).toBe('conditional-grant');
    expect(run.summary).toContain("StringEqualsIgnoreCase 'foo_storage_container'");
  });

  it('asks for the permissions in the api-version that carries conditions', async () => {
    const emulator = await startEmulator(scenarioInput('granted-builtin'));
    await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0' }, { env: emulator.runnerEnv() });
    const permissions = emulator.requests.filter((r) => r.service === 'arm' && r.path.endsWith('/permissions'));
    expect(permissions.length).toBeGreaterThan(0);
    expect(permissions.every((r) => r.query['api-version'] === '2022-05-01-preview')).toBe(true);
  });
});
