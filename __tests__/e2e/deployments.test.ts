/**
 * A model the endpoint calls unknown, end to end through the bundle: the account's deployments, read from the
 * emulated ARM only then, tell a deployment still on its way (waited for) from a name nothing answers to (reported
 * at once, with the names that do exist), and an account whose deployments cannot be read keeps the old answer.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type FaultInput, type ScenarioInput } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';

const withResource = (settings: Record<string, unknown>, faults: FaultInput[] = []): ScenarioInput => {
  const base = scenarioInput('granted-builtin');
  return { ...base, resources: base.resources?.map((r) => ({ ...r, ...settings })), faults };
};
const probe = (e: Emulator, model: string): Record<string, string> => ({ model, endpoint: `${e.urls.data}/contoso-foundry/` });

const deploymentReadsOf = (e: Emulator): number => e.requests.filter((q) => q.service === 'arm' && /\/accounts\/contoso-foundry\/deployments$/.test(q.path)).length;

/**
 * The bundle against an emulator of the scenario. `jumpAfterReads`: the emulator's clock moves 1,900 s on (past servedAfterSeconds 1800) once that
 * many deployment lists have been read, so a deployment "made as the run starts" comes of age after that many
 * attempts, however slowly this machine runs them.
 */
async function run(
  scenario: ScenarioInput,
  inputs: (e: Emulator) => Record<string, string>,
  jumpAfterReads?: number,
): Promise<{ run: ActionRun; deploymentReads: number; calls: number }> {
  const started: { emulator?: Emulator } = {};
  const clock = jumpAfterReads === undefined ? undefined : () => Date.now() + (started.emulator && deploymentReadsOf(started.emulator) >= jumpAfterReads ? 1_900_000 : 0);
  const emulator = await startEmulator(scenario, clock ? { clock } : {});
  started.emulator = emulator;
  try {
    const result = await runAction({ ...emulator.actionInputs(), ...inputs(emulator) }, { env: emulator.runnerEnv(), killAfterMs: 90_000 });
    return { run: result, deploymentReads: deploymentReadsOf(emulator), calls: emulator.requests.filter((q) => q.service === 'data').length };
  } finally {
    await emulator.close();
  }
}

const attempts = (r: ActionRun): number => (JSON.parse(r.outputs.report ?? '{}') as { attempts?: number }).attempts ?? 0;

describe.concurrent('a model the endpoint does not know', () => {
  it('a granted run reads no deployments', async () => {
    const { run: r, deploymentReads } = await run(withResource({}), (e) => ({ ...probe(e, 'gpt-4o-mini'), 'wait-timeout': '5' }));
    expect([r.outputs.diagnosis, r.exitCode]).toEqual(['ok', 0]);
    expect(deploymentReads).toBe(0);
  });

  it('a deployment made as the run starts is waited for, then granted once the endpoint serves it', async () => {
    const scenario = withResource({ newDeployments: [{ name: 'fresh-chat', servedAfterSeconds: 1800 }] });
    const { run: r, deploymentReads, calls } = await run(scenario, (e) => ({ ...probe(e, 'fresh-chat'), 'wait-timeout': '60' }), 2);
    expect([r.outputs.diagnosis, r.exitCode], r.stdout).toEqual(['ok', 0]);
    expect(attempts(r)).toBe(3);
    expect(calls).toBe(attempts(r));
    // Read on every attempt the call named the model unknown, and not on the one that succeeded.
    expect(deploymentReads).toBe(attempts(r) - 1);
    expect(r.stdout).toContain('deployment-not-served (Azure lists the deployment fresh-chat (Creating), which the endpoint does not serve yet; waiting up to the wait timeout (60 s))');
  });

  it('a deployment still not served at the deadline is reported as such, not as missing', async () => {
    const scenario = withResource({ newDeployments: [{ name: 'slow-chat', servedAfterSeconds: 3600 }] });
    // Long enough for a second attempt on a busy machine: the first must not be the last.
    const { run: r } = await run(scenario, (e) => ({ ...probe(e, 'slow-chat'), 'wait-timeout': '8' }));
    expect([r.outputs.diagnosis, r.exitCode], r.stdout).toEqual(['deployment-not-served', 1]);
    expect(attempts(r)).toBeGreaterThan(1);
    expect(r.summary).toContain('lists the deployment slow-chat');
    expect(r.summary).toContain('did not serve it yet within 8 seconds');
  });

  it('a deployment that failed is reported at once', async () => {
    const scenario = withResource({ newDeployments: [{ name: 'broken-chat', provisioningState: 'Failed' }] });
    const { run: r } = await run(scenario, (e) => ({ ...probe(e, 'broken-chat'), 'wait-timeout': '30' }));
    expect([r.outputs.diagnosis, r.exitCode], r.stdout).toEqual(['deployment-not-served', 1]);
    expect(attempts(r)).toBe(1);
    expect(r.summary).toContain('provisioning state Failed');
  });

  it('a typo is reported at once, naming the deployments that exist', async () => {
    const scenario = withResource({ deployments: ['gpt-4o-mini', 'Phi-4'] });
    const { run: r, deploymentReads } = await run(scenario, (e) => ({ ...probe(e, 'gpt-4o-mni'), 'wait-timeout': '30' }));
    expect([r.outputs.diagnosis, r.exitCode], r.stdout).toEqual(['model-not-found', 1]);
    expect(attempts(r)).toBe(1);
    expect(deploymentReads).toBe(1);
    expect(r.summary).toContain("as Azure Resource Manager lists them: `gpt-4o-mini`, `Phi-4`.");
  });

  it('a name that differs only in case is suggested', async () => {
    const scenario = withResource({ deployments: ['Phi-4'], newDeployments: [{ name: 'phi-4-mini', provisioningState: 'Failed' }] });
    // The emulated endpoint routes names case-insensitively, so the differing name is made unknown to it by a replay.
    const unknown: FaultInput = { route: 'data-plane-chat', kind: 'replay', status: 404, headers: { 'content-type': 'application/json' }, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } } };
    const { run: r } = await run({ ...scenario, faults: [unknown] }, (e) => ({ ...probe(e, 'PHI-4'), 'wait-timeout': '30' }));
    expect([r.outputs.diagnosis, attempts(r)], r.stdout).toEqual(['model-not-found', 1]);
    expect(r.summary).toContain('lists `Phi-4`, which differs only in upper and lower case');
    expect(r.summary).toContain('Set `model` to `Phi-4`: deployment names must match exactly.');
  });

  it('hostile deployment names are listed inert: escaped in Markdown, and capped', async () => {
    const names = ['<img src=x onerror=alert(1)>', '@octocat | [x](https://evil.example)', ...Array.from({ length: 12 }, (_, i) => `d${i}`)];
    const scenario = withResource({ deployments: names });
    const { run: r } = await run(scenario, (e) => ({ ...probe(e, 'nothing-like-it'), 'wait-timeout': '0' }));
    expect(r.outputs.diagnosis, r.stdout).toBe('model-not-found');
    expect(r.summary).not.toContain('<img');
    expect(r.summary).not.toContain('@octocat');
    expect(r.summary).not.toContain('[x](https://evil.example)');
    expect(r.summary).toContain('\\[x\\](https://evil.example)');
    expect(r.summary).toContain('and 4 more');
  });

  it.each<[string, FaultInput, string]>([
    ['refused (403)', { route: 'arm-deployments', kind: 'status', status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no read' } } }, 'HTTP 403 AuthorizationFailed'],
    ['malformed', { route: 'arm-deployments', kind: 'status', status: 200, body: { value: [{ properties: {} }] } }, 'without a short "name"'],
  ])('deployments %s: reported at once as before, saying they could not be read', async (_, fault, reason) => {
    const scenario = withResource({ newDeployments: [{ name: 'fresh-chat', servedAfterSeconds: 3600 }] }, [fault]);
    const { run: r, deploymentReads } = await run(scenario, (e) => ({ ...probe(e, 'fresh-chat'), 'wait-timeout': '30' }));
    expect([r.outputs.diagnosis, r.exitCode, attempts(r)], r.stdout).toEqual(['model-not-found', 1, 1]);
    expect(deploymentReads).toBe(1);
    expect(r.summary).toContain('could not be read from Azure Resource Manager');
    expect(r.summary).toContain(reason);
  });

  it.each<[string, FaultInput]>([
    ['ARM in trouble (503)', { route: 'arm-deployments', kind: 'status', status: 503, times: 1 }],
    ['ARM throttling (429)', { route: 'arm-deployments', kind: 'status', status: 429, times: 1 }],
  ])('deployments read once refused by %s: asked again, and the deployment on its way is waited for', async (_, fault) => {
    const scenario = withResource({ newDeployments: [{ name: 'fresh-chat', servedAfterSeconds: 1800 }] }, [fault]);
    const { run: r, deploymentReads } = await run(scenario, (e) => ({ ...probe(e, 'fresh-chat'), 'wait-timeout': '60' }), 3);
    expect([r.outputs.diagnosis, r.exitCode], r.stdout).toEqual(['ok', 0]);
    expect(attempts(r)).toBe(4);
    expect(deploymentReads).toBe(3);
    expect(r.stdout).toMatch(/Attempt 1: contoso-foundry (service-unavailable|throttled)/);
    expect(r.stdout).toMatch(/Attempt 2: contoso-foundry deployment-not-served/);
  });
});
