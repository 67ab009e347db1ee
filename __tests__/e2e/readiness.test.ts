/**
 * The resource's own readiness for keyless calls, end to end through the bundle: the account's custom subdomain,
 * network rules and keys, read from the emulated account or from answers built from the REST spec's shapes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type ScenarioInput } from '../../emulator/index.js';
import { runAction, type ActionRun } from '../../emulator/run-action.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';

const granted = (): ScenarioInput => scenarioInput('granted-builtin');
const withAccount = (settings: Record<string, unknown>): ScenarioInput => {
  const base = granted();
  return { ...base, resources: base.resources?.map((r) => ({ ...r, ...settings })) };
};
const probe = (e: Emulator): Record<string, string> => ({ model: 'gpt-4o-mini', endpoint: `${e.urls.data}/contoso-foundry/` });

async function run(scenario: ScenarioInput, inputs: (e: Emulator) => Record<string, string> = () => ({})): Promise<{ run: ActionRun; emulator: Emulator }> {
  const emulator = await startEmulator(scenario);
  try {
    const result = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '0', ...inputs(emulator) }, { env: emulator.runnerEnv() });
    return { run: result, emulator };
  } finally {
    await emulator.close();
  }
}

/** The account answer of a fixture in __tests__/fixtures/arm, replayed for the scenario's account. */
function replayAccount(name: string, scenario: ScenarioInput): ScenarioInput {
  const { body } = JSON.parse(readFileSync(new URL(`../fixtures/arm/${name}.json`, import.meta.url), 'utf8')) as { body: unknown };
  return { ...scenario, faults: [{ service: 'arm', method: 'GET', pathPattern: '/accounts/contoso-foundry$', kind: 'status', status: 200, body }] };
}

const report = (r: ActionRun) => JSON.parse(r.outputs.report ?? '{}') as { resources: { diagnosis: string; evidence: { account: unknown } }[] };

describe('keyless readiness of the resource', () => {
  it('reads the account once per run, shared with the probe', async () => {
    const { run: r, emulator } = await run(granted(), probe);
    expect(r.outputs.diagnosis).toBe('ok');
    const accountReads = emulator.requests.filter((q) => q.service === 'arm' && /\/accounts\/contoso-foundry$/.test(q.path));
    expect(accountReads).toHaveLength(1);
    expect(report(r).resources[0]?.evidence.account).toEqual({ status: 'read', customSubDomain: 'contoso-foundry', network: { kind: 'open' }, keylessEnforced: true });
    expect(r.summary).toContain('✓ custom subdomain contoso-foundry');
  });

  it('the REST spec GetAccount example (regional endpoint only) is custom-subdomain-missing', async () => {
    const { run: r } = await run(replayAccount('account-regional-only', granted()));
    expect(r.outputs.diagnosis, r.stdout).toBe('custom-subdomain-missing');
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('--custom-domain contoso-foundry');
  });

  it('a private-only account from the spec shapes is network-blocked without a model call', async () => {
    const { run: r } = await run(replayAccount('account-private-only', granted()));
    expect(r.outputs.diagnosis, r.stdout).toBe('network-blocked');
    expect(r.stdout).toMatch(/^::error title=network-blocked%3A /m);
  });

  it('the firewall 403 of the model call confirms network-blocked, at once (no waiting on a 403)', async () => {
    const { run: r } = await run(withAccount({ networkAcls: { defaultAction: 'Deny', ipRules: ['124.56.78.0/24'] } }), (e) => ({ ...probe(e), 'wait-timeout': '30' }));
    expect(r.outputs.diagnosis, r.stdout).toBe('network-blocked');
    expect(r.outputs.attempts).toBe('1');
    expect(r.summary).toContain('Access denied due to Virtual Network/Firewall rules.');
    expect(r.summary).toContain('124.56.78.0/24');
  });

  it('a model call that gets through the firewall (this runner is allowed) grants, and the restriction is still shown', async () => {
    const { run: r } = await run(withAccount({ networkAcls: { defaultAction: 'Deny', ipRules: ['127.0.0.1'] } }), probe);
    expect(r.outputs.diagnosis, r.stdout).toBe('ok');
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('✗ selected networks only (1 IP rule, 0 virtual network rules)');
  });

  it('keys still enabled pass, with a note on how to enforce keyless', async () => {
    const { run: r, emulator } = await run(scenarioInput('granted-keys-enabled'));
    expect(r.outputs.diagnosis).toBe('ok');
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('**Keyless is not enforced**');
    expect(r.summary).toContain(`az resource update --ids ${emulator.scenario.resources[0]?.id} --set properties.disableLocalAuth=true`);
    expect(r.stdout).not.toMatch(/^::error/m);
  });

  it('an account it may not read changes nothing and says so', async () => {
    const { run: r } = await run({ ...granted(), faults: [{ service: 'arm', method: 'GET', pathPattern: '/accounts/contoso-foundry$', kind: 'status', status: 403 }] });
    expect(r.outputs.diagnosis).toBe('ok');
    expect(r.summary).toContain('account not readable (HTTP 403');
  });
});
