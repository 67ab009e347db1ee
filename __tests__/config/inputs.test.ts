import { describe, expect, it } from 'vitest';
import * as core from '@actions/core';
import { inputLines, parseEndpoint, parseInputs, runnerInputs } from '../../src/config/inputs.js';

const BASE: Record<string, string> = {
  'client-id': '11111111-2222-3333-4444-555555555555',
  'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'resource-id': '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct',
};
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('parseInputs', () => {
  it('applies the documented defaults', () => {
    const parsed = parseInputs(reader(BASE));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.requiredDataActions).toEqual(['Microsoft.CognitiveServices/accounts/MaaS/*']);
    expect(parsed.value.cloud.name).toBe('AzureCloud');
    expect(parsed.value.cloud.resourceManagerEndpoint).toBe('https://management.azure.com');
    expect(parsed.value.audience).toBe('api://AzureADTokenExchange');
    expect(parsed.value.waitTimeoutSeconds).toBe(300);
    expect(parsed.value.failOnDenied).toBe(true);
  });

  it('reads several resources and data actions, one per line, ignoring blanks and repeats', () => {
    const second = BASE['resource-id']!.replace('acct', 'acct2');
    const parsed = parseInputs(
      reader({ ...BASE, 'resource-id': `${BASE['resource-id']}\n\n  ${second}\n${second}\n`, 'required-data-actions': 'A.B/c/*\r\nA.B/d/action' }),
    );
    expect(parsed.ok && parsed.value.resources.map((r) => r.account)).toEqual(['acct', 'acct2']);
    expect(parsed.ok && parsed.value.requiredDataActions).toEqual(['A.B/c/*', 'A.B/d/action']);
  });

  it.each<[Record<string, string>, string[], string[]]>([
    [{}, ['models'], ['Microsoft.CognitiveServices/accounts/MaaS/*']],
    [{ workload: 'agents' }, ['agents'], ['Microsoft.CognitiveServices/accounts/AIServices/agents/*']],
    [{ workload: 'OpenAI' }, ['openai'], ['Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action', 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action']],
    [{ workload: 'models\nagents\nmodels' }, ['models', 'agents'], ['Microsoft.CognitiveServices/accounts/MaaS/*', 'Microsoft.CognitiveServices/accounts/AIServices/agents/*']],
    [{ workload: 'all' }, ['models', 'openai', 'agents'], [
      'Microsoft.CognitiveServices/accounts/MaaS/*',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
      'Microsoft.CognitiveServices/accounts/AIServices/agents/*',
    ]],
    // Custom data actions alone replace the default preset; with a workload, both are required.
    [{ 'required-data-actions': 'A.B/c/*' }, [], ['A.B/c/*']],
    [{ workload: 'agents', 'required-data-actions': 'A.B/c/*\nMicrosoft.CognitiveServices/accounts/AIServices/agents/*' }, ['agents'], ['Microsoft.CognitiveServices/accounts/AIServices/agents/*', 'A.B/c/*']],
  ])('workload and required-data-actions %j', (inputs, workloads, actions) => {
    const parsed = parseInputs(reader({ ...BASE, ...inputs }));
    expect(parsed.ok && parsed.value.workloads).toEqual(workloads);
    expect(parsed.ok && parsed.value.requiredDataActions).toEqual(actions);
  });

  it('takes the sovereign clouds and their audiences from the cloud table', () => {
    const parsed = parseInputs(reader({ ...BASE, cloud: 'azureusgovernment' }));
    expect(parsed.ok && parsed.value.cloud.resourceManagerEndpoint).toBe('https://management.usgovcloudapi.net');
    expect(parsed.ok && parsed.value.audience).toBe('api://AzureADTokenExchangeUSGov');
  });

  it.each([
    ['azurecloud', 'AzureCloud'],
    ['AZUREUSGOVERNMENT', 'AzureUSGovernment'],
    ['azurechinacloud', 'AzureChinaCloud'],
    [' AzureChinaCloud ', 'AzureChinaCloud'],
  ])("accepts azure/login's environment name %j as the cloud %s", (text, name) => {
    const parsed = parseInputs(reader({ ...BASE, cloud: text }));
    expect(parsed.ok && parsed.value.cloud.name).toBe(name);
  });

  it.each(['azurestack', 'AzureGermanCloud', 'azure'])("refuses azure/login's other environments and unknown names: %s", (text) => {
    const parsed = parseInputs(reader({ ...BASE, cloud: text }));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toEqual([{ input: 'cloud', reason: expect.stringContaining('is not one of AzureCloud') as string }]);
  });

  describe('client-id and tenant-id from the environment, as azure/login reads them', () => {
    const ENV = { AZURE_CLIENT_ID: 'aaaaaaaa-2222-3333-4444-555555555555', AZURE_TENANT_ID: 'contoso.onmicrosoft.com' };
    const withoutIds = { 'resource-id': BASE['resource-id'] ?? '' };

    it('takes AZURE_CLIENT_ID and AZURE_TENANT_ID when the inputs are empty', () => {
      const parsed = parseInputs(reader(withoutIds), ENV);
      expect(parsed.ok && [parsed.value.clientId, parsed.value.tenantId]).toEqual([ENV.AZURE_CLIENT_ID, ENV.AZURE_TENANT_ID]);
    });

    it('prefers the inputs when they are set', () => {
      const parsed = parseInputs(reader(BASE), ENV);
      expect(parsed.ok && [parsed.value.clientId, parsed.value.tenantId]).toEqual([BASE['client-id'], BASE['tenant-id']]);
    });

    it('validates a value from the environment as it validates the input, and says where it came from', () => {
      const parsed = parseInputs(reader(withoutIds), { AZURE_CLIENT_ID: 'my-app', AZURE_TENANT_ID: 'not a tenant' });
      expect(!parsed.ok && parsed.error).toEqual([
        { input: 'client-id', reason: '"my-app" (from AZURE_CLIENT_ID) is not a GUID' },
        { input: 'tenant-id', reason: '"not a tenant" (from AZURE_TENANT_ID) is neither a GUID nor a domain name' },
      ]);
    });

    it('still requires them when neither the inputs nor the environment give them (blank counts as absent)', () => {
      const parsed = parseInputs(reader(withoutIds), { AZURE_CLIENT_ID: '  ' });
      expect(!parsed.ok && parsed.error.map((p) => p.input)).toEqual(['client-id', 'tenant-id']);
      expect(!parsed.ok && parsed.error[0]?.reason).toContain('AZURE_CLIENT_ID');
    });

    it('reads nothing from the environment unless given it', () => {
      expect(parseInputs(reader(withoutIds)).ok).toBe(false);
    });
  });

  it('needs both endpoints for a custom cloud and normalises them', () => {
    const parsed = parseInputs(
      reader({ ...BASE, cloud: 'Custom', 'authority-host': 'https://login.example.test/', 'resource-manager-endpoint': 'https://arm.example.test:8443', audience: 'api://contoso' }),
    );
    expect(parsed.ok && parsed.value.cloud).toMatchObject({
      name: 'Custom',
      authorityHost: 'https://login.example.test',
      resourceManagerEndpoint: 'https://arm.example.test:8443',
      knownAuthority: false,
    });
  });

  it.each([
    [{ 'client-id': '' }, 'client-id', 'is required'],
    [{ 'client-id': 'my-app' }, 'client-id', 'not a GUID'],
    [{ 'tenant-id': 'not a tenant' }, 'tenant-id', 'neither a GUID'],
    [{ 'resource-id': '' }, 'resource-id', 'is required'],
    [{ 'resource-id': '/subscriptions/x' }, 'resource-id', 'subscription'],
    [{ 'required-data-actions': 'Microsoft.CognitiveServices accounts' }, 'required-data-actions', 'is not a data action'],
    [{ cloud: 'Mars' }, 'cloud', 'not one of'],
    [{ workload: 'embeddings' }, 'workload', 'not one of models, openai, agents, all'],
    [{ cloud: 'Custom' }, 'authority-host', 'required with cloud: Custom'],
    [{ 'authority-host': 'https://login.example.test' }, 'authority-host', 'only used with cloud: Custom'],
    [{ cloud: 'Custom', 'authority-host': 'http://login.example.test', 'resource-manager-endpoint': 'https://arm' }, 'authority-host', 'https'],
    [{ 'wait-timeout': '-1' }, 'wait-timeout', 'whole number'],
    [{ 'wait-timeout': '3601' }, 'wait-timeout', 'whole number'],
    [{ 'wait-timeout': '1e3' }, 'wait-timeout', 'whole number'],
    [{ 'fail-on-denied': 'yes' }, 'fail-on-denied', 'true or false'],
    [{ audience: 'has space' }, 'audience', 'without spaces'],
  ])('refuses %j naming %s', (override, input, reason) => {
    const parsed = parseInputs(reader({ ...BASE, ...override }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContainEqual({ input, reason: expect.stringContaining(reason) as string });
  });

  it('reports every bad input at once', () => {
    const parsed = parseInputs(reader({ 'client-id': 'x', 'wait-timeout': 'soon' }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.map((p) => p.input)).toEqual(['client-id', 'tenant-id', 'resource-id', 'wait-timeout']);
  });
});

describe('parseEndpoint', () => {
  it.each([
    ['https://user:pw@arm.example.test', 'user name or password'],
    ['https://arm.example.test/?x=1', 'query'],
    ['https://arm.example.test/#x', 'fragment'],
    ['ftp://arm.example.test', 'https'],
    ['arm.example.test', 'not a URL'],
  ])('refuses %s', (text, reason) => {
    const parsed = parseEndpoint(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(reason);
  });
});

describe('inputLines', () => {
  it('drops case-insensitive repeats', () => {
    expect(inputLines('A\na\n B ')).toEqual(['A', 'B']);
  });
});

describe('runnerInputs', () => {
  it("reads each input as @actions/core's getInput does, before it is loaded", () => {
    const env: Record<string, string> = { INPUT_AUTH: 'oidc', 'INPUT_RESOURCE-ID': ' /a \n /b ', INPUT_MY_INPUT: 'spaced', INPUT_EMPTY: '' };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      for (const name of ['auth', 'resource-id', 'my input', 'empty', 'absent', 'AUTH']) {
        // parseInputs trims what it reads; getInput trims too.
        expect(runnerInputs(env)(name).trim(), name).toBe(core.getInput(name));
      }
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
