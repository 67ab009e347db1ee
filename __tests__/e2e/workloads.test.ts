/**
 * Workload presets end to end through the bundle: what is being called decides which roles are enough.
 */
import { describe, expect, it } from 'vitest';
import { runAction } from '../../emulator/run-action.js';
import { useEmulator } from '../support/use-emulator.js';

const scenario = (name: string): string => new URL(`../../emulator/scenarios/${name}.json`, import.meta.url).pathname;
const startEmulator = useEmulator();

async function check(name: string, inputs: Record<string, string>) {
  const emulator = await startEmulator(scenario(name));
  return runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...inputs }, { env: emulator.runnerEnv() });
}

describe('workload presets', () => {
  it('openai: Cognitive Services OpenAI User is enough', async () => {
    const run = await check('denied-openai-only', { workload: 'openai' });
    expect(run.outputs.diagnosis, run.stdout).toBe('ok');
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action via');
  });

  it('agents: the OpenAI role is not, and the fix names Azure AI User', async () => {
    const run = await check('denied-openai-only', { workload: 'agents' });
    expect(run.outputs.diagnosis, run.stdout).toBe('openai-role-only');
    expect(run.summary).toContain('--role 53ca6127-db72-4b80-b1b0-d745d6d5456d --scope');
    expect(run.summary).toContain('# Azure AI User');
    expect(run.summary).toContain('Microsoft.CognitiveServices/accounts/AIServices/agents/*');
  });

  it('all: Cognitive Services User grants every preset', async () => {
    const run = await check('granted-builtin', { workload: 'all' });
    expect(run.outputs.diagnosis, run.stdout).toBe('ok');
    const report = JSON.parse(run.outputs.report ?? '{}') as { resources: { evidence: { permissions: { grantedBy: { action: string }[] } } }[] };
    expect(report.resources[0]?.evidence.permissions.grantedBy.map((g) => g.action)).toHaveLength(4);
  });

  it('a workload and custom data actions are both required', async () => {
    const run = await check('granted-custom-maas', { workload: 'models', 'required-data-actions': 'Microsoft.CognitiveServices/accounts/AIServices/agents/*' });
    expect(run.outputs.diagnosis, run.stdout).toBe('partial-data-actions');
  });

  it('an unknown workload is an invalid input, before anything is sent', async () => {
    const run = await check('granted-builtin', { workload: 'everything' });
    expect(run.outputs.diagnosis).toBe('invalid-input');
    expect(run.summary).toContain('`workload`');
  });
});
