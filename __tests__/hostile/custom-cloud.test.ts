/**
 * Custom clouds (issue 10, point 7): with `cloud: Custom` and OIDC, the audience must be named. Defaulting to the
 * public audience would mint a GitHub token that public Entra accepts, and hand it to the authority the inputs name.
 */
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/config/inputs.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();

const CUSTOM: Record<string, string> = {
  'client-id': '1b6e4f2a-9c3d-4e7f-8a5b-6c2d1e0f9a8b',
  'tenant-id': '3f9a1c2e-6b4d-4e8f-9a7c-1d2e3f4a5b6c',
  'resource-id': '/subscriptions/8c1d5e2f-7a3b-4c9d-8e6f-2a1b3c4d5e6f/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/contoso-foundry',
  cloud: 'Custom',
  'authority-host': 'https://login.cloud.example',
  'resource-manager-endpoint': 'https://management.cloud.example',
};

describe('cloud: Custom', () => {
  it('without an audience, the bundle refuses the inputs before any request', async () => {
    const { run, emulator } = await hostile.run(scenarioInput('granted-builtin'), [], { inputs: () => ({ audience: '' }) });
    expect(run.outputs.diagnosis).toBe('invalid-input');
    expect(run.stdout).toContain('required with cloud: Custom');
    expect(emulator.requests).toEqual([]);
  });

  it('requires the audience input with auth: oidc', () => {
    const parsed = parseInputs((name) => CUSTOM[name] ?? '');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContainEqual({ input: 'audience', reason: expect.stringContaining('required with cloud: Custom') as string });
  });

  it('accepts the audience the private cloud names', () => {
    const parsed = parseInputs((name) => ({ ...CUSTOM, audience: 'api://AzureADTokenExchangeContoso' })[name] ?? '');
    expect(parsed.ok && parsed.value.audience).toBe('api://AzureADTokenExchangeContoso');
  });

  it('does not require it for the default chain, which presents no GitHub token', () => {
    expect(parseInputs((name) => ({ ...CUSTOM, auth: 'default' })[name] ?? '').ok).toBe(true);
  });
});
