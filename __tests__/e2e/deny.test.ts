/**
 * Deny assignments end to end through the bundle: the permissions list cannot show them, so they are read on their
 * own, and one that blocks a required action denies access whatever the roles grant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../../emulator/index.js';
import { runAction } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useEmulator } from '../support/use-emulator.js';

const startEmulator = useEmulator();

async function check(scenario: ScenarioInput, inputs: Record<string, string> = {}) {
  const emulator = await startEmulator(scenario);
  const run = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...inputs }, { env: emulator.runnerEnv() });
  return { run, emulator };
}

describe('deny assignments', () => {
  it('overrule the grant ARM lists, even when the model call is made', async () => {
    const { run, emulator } = await check(scenarioInput('denied-by-deny-assignment'), { model: 'gpt-4o-mini' });
    expect(run.outputs.diagnosis, run.stdout).toBe('deny-assignment');
    expect(run.exitCode).toBe(1);
    const denyReads = emulator.requests.filter((r) => r.service === 'arm' && r.path.endsWith('/denyAssignments'));
    expect(denyReads).toHaveLength(1);
    expect(denyReads[0]?.query.$filter).toBe('atScope()');
  });

  it('the deny list of the REST shape, replayed, blocks an identity it does not exclude', async () => {
    const { body } = JSON.parse(readFileSync(new URL('../fixtures/arm/deny-assignments-everyone.json', import.meta.url), 'utf8')) as { body: unknown };
    const base = scenarioInput('denied-by-deny-assignment');
    const { run } = await check({ ...base, denyAssignments: [], faults: [{ service: 'arm', pathPattern: '/denyAssignments$', kind: 'status', status: 200, body }] });
    expect(run.outputs.diagnosis, run.stdout).toBe('deny-assignment');
    expect(run.summary).toContain('everyone');
  });

  it('when they cannot be read, nothing is claimed and the summary says so', async () => {
    const { run } = await check(scenarioInput('granted-builtin'));
    expect(run.outputs.diagnosis).toBe('ok');
    expect(run.summary).toContain('deny assignments not readable (HTTP 403 AuthorizationFailed)');
  });
});
