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
    expect(report(r).resources[0]?.evidence.account).toEqual({ status: 'read', provisioningState: 'Succeeded', customSubDomain: 'contoso-foundry', network: { kind: 'open' }, keylessEnforced: true });
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

describe("the account's provisioning state", () => {
  const accountReads = (e: Emulator) => e.requests.filter((q) => q.service === 'arm' && /\/accounts\/contoso-foundry$/.test(q.path));

  /**
   * A run against an account in `state` that turns Succeeded on its third read: the emulator's clock jumps past
   * succeededAfterSeconds when the third account read arrives, so the first two reads say `state` and the third
   * Succeeded, however slowly the runner starts. Expects the grant after exactly three attempts; gives the log.
   */
  async function grantedOnThirdRead(settings: Record<string, unknown>): Promise<ActionRun> {
    const started: { emulator?: Emulator } = {};
    const clock = () => Date.now() + (started.emulator && accountReads(started.emulator).length >= 3 ? 10_000 : 0);
    const emulator = await startEmulator(withAccount({ ...settings, succeededAfterSeconds: 8 }), { clock });
    started.emulator = emulator;
    try {
      const r = await runAction({ ...emulator.actionInputs(), 'wait-timeout': '60' }, { env: emulator.runnerEnv() });
      expect(r.outputs.diagnosis, r.stdout).toBe('ok');
      expect(r.exitCode).toBe(0);
      expect(r.outputs.attempts).toBe('3');
      expect(accountReads(emulator)).toHaveLength(3);
      expect(report(r).resources[0]?.evidence.account).toMatchObject({ status: 'read', provisioningState: 'Succeeded' });
      return r;
    } finally {
      await emulator.close();
    }
  }

  it('Creating, then Succeeded during the wait: waits with a progress line, reads the account again, then grants', async () => {
    const r = await grantedOnThirdRead({ provisioningState: 'Creating' });
    expect(r.stdout).toMatch(/Attempt 1: contoso-foundry account-not-ready \(the account is still provisioning, state Creating; waiting up to the wait timeout \(60 s\)\); next check in/);
  });

  it('still Creating at the deadline: account-not-ready, with the state, the resource ID and the command, and the roles said to be fine', async () => {
    // Long enough for a second attempt on a busy machine: the first must not be the last.
    const { run: r, emulator } = await run(withAccount({ provisioningState: 'Creating' }), () => ({ 'wait-timeout': '8' }));
    const id = emulator.scenario.resources[0]?.id ?? '';
    expect(r.outputs.diagnosis, r.stdout).toBe('account-not-ready');
    expect(r.exitCode).toBe(1);
    expect(Number(r.outputs.attempts)).toBeGreaterThan(1);
    expect(accountReads(emulator).length).toBe(Number(r.outputs.attempts));
    expect(r.stdout).toMatch(/^::error title=account-not-ready%3A /m);
    expect(r.summary).toContain(`${id} was still provisioning (state \`Creating\`) when the check ended, after waiting up to 8 seconds`);
    expect(r.summary).toContain('The roles are not the problem');
    expect(r.summary).toContain(`az cognitiveservices account show --ids ${id} --query properties.provisioningState -o tsv`);
    expect(r.summary).toContain('✗ provisioning state Creating: not serving calls yet');
    expect(report(r).resources[0]?.evidence.account).toMatchObject({ status: 'read', provisioningState: 'Creating' });
  });

  it('Failed: reported at once, without waiting, with where to look and how to recreate it', async () => {
    const { run: r, emulator } = await run(withAccount({ provisioningState: 'Failed' }), () => ({ 'wait-timeout': '60' }));
    const id = emulator.scenario.resources[0]?.id ?? '';
    expect(r.outputs.diagnosis, r.stdout).toBe('account-not-ready');
    expect(r.exitCode).toBe(1);
    expect(r.outputs.attempts).toBe('1');
    expect(accountReads(emulator)).toHaveLength(1);
    expect(r.stdout).toContain('contoso-foundry account-not-ready; not waiting: waiting cannot change this verdict.');
    expect(r.summary).toContain(`az monitor activity-log list --resource-id ${id} --status Failed --offset 7d -o table`);
    expect(r.summary).toContain('az cognitiveservices account purge --name contoso-foundry --resource-group rg-foundry --location <location>');
  });

  it('Failed on an account modified just now: waited for, and granted when it turns Succeeded (Azure/azure-rest-api-specs#20335)', async () => {
    const r = await grantedOnThirdRead({ provisioningState: 'Failed', modifiedSecondsAgo: 0 });
    expect(r.stdout).toMatch(/Attempt 1: contoso-foundry account-not-ready \(the account, changed just now, is in state Failed, which ARM has been seen to turn into Succeeded; waiting/);
  });

  it('Failed on an account modified an hour ago: reported at once', async () => {
    const { run: r, emulator } = await run(withAccount({ provisioningState: 'Failed', modifiedSecondsAgo: 3600 }), () => ({ 'wait-timeout': '60' }));
    expect(r.outputs.diagnosis, r.stdout).toBe('account-not-ready');
    expect(r.outputs.attempts).toBe('1');
    expect(accountReads(emulator)).toHaveLength(1);
  });

  it('a provisioningState that is not a string (7) does not discard the account: not ready, never ok, on an account closed to public networks', async () => {
    const body = {
      id: granted().resources?.[0]?.id,
      name: 'contoso-foundry',
      type: 'Microsoft.CognitiveServices/accounts',
      properties: { provisioningState: 7, customSubDomainName: 'contoso-foundry', publicNetworkAccess: 'Disabled', disableLocalAuth: true },
    };
    const { run: r } = await run({ ...granted(), faults: [{ service: 'arm', method: 'GET', pathPattern: '/accounts/contoso-foundry$', kind: 'status', status: 200, body }] });
    expect(r.outputs.diagnosis, r.stdout).toBe('account-not-ready');
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('✗ provisioning state not a state (a number) (not a state the REST spec lists): not serving calls yet');
    expect(r.summary).toContain('✗ public network access disabled: private endpoints only');
    expect(report(r).resources[0]?.evidence.account).toMatchObject({ status: 'read', provisioningState: 'not a state (a number)' });
  });

  it('a blank provisioningState is not Succeeded: not ready, and shown as blank', async () => {
    const { run: r } = await run(withAccount({ provisioningState: '  ' }));
    expect(r.outputs.diagnosis, r.stdout).toBe('account-not-ready');
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('(state `blank`)');
  });

  it('a state no spec lists, with markup and a workflow command in it, is not ready and reaches no output as written', async () => {
    const hostile = 'Creating`\n::error title=pwned::injected <img src=x onerror=alert(1)>';
    const { run: r } = await run(withAccount({ provisioningState: hostile }), () => ({ 'wait-timeout': '1' }));
    expect(r.outputs.diagnosis, r.stdout).toBe('account-not-ready');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toMatch(/^::error title=pwned/m);
    for (const text of [r.stdout, r.summary, r.outputs.report ?? '']) {
      expect(text).not.toContain('<img');
      expect(text).not.toContain('::error title=pwned');
    }
  });
});
