import { describe, expect, it } from 'vitest';
import { cloudFor } from '../../src/config/clouds.js';
import { chatCompletionsUrl, endpointFromAccount, probeProves } from '../../src/decide/endpoint.js';
import { dataPlaneHostAllowed } from '../../src/config/origin-policy.js';

const PUBLIC = cloudFor('AzureCloud');
const CUSTOM = cloudFor('Custom', { authorityHost: 'https://login.test', resourceManagerEndpoint: 'https://arm.test' });

describe('dataPlaneHostAllowed', () => {
  it.each([
    ['https://contoso.services.ai.azure.com/', true],
    ['https://contoso.openai.azure.com/', true],
    ['https://contoso.cognitiveservices.azure.com/', true],
    ['https://services.ai.azure.com/', false],
    ['https://contoso.services.ai.azure.com.evil.test/', false],
    ['https://evil.test/contoso.services.ai.azure.com/', false],
    ['http://contoso.services.ai.azure.com/', false],
    ['https://user:pw@contoso.services.ai.azure.com/', false],
    ['https://contoso.services.ai.azure.com/?x=1', false],
    ['https://contoso.openai.azure.us/', false],
    ['not a url', false],
  ])('public cloud: %s → %s', (url, allowed) => {
    expect(dataPlaneHostAllowed(url, PUBLIC, undefined)).toBe(allowed);
  });

  it('keeps each sovereign cloud to its own domains', () => {
    expect(dataPlaneHostAllowed('https://x.openai.azure.us/', cloudFor('AzureUSGovernment'), undefined)).toBe(true);
    expect(dataPlaneHostAllowed('https://x.openai.azure.com/', cloudFor('AzureUSGovernment'), undefined)).toBe(false);
    expect(dataPlaneHostAllowed('https://x.cognitiveservices.azure.cn/', cloudFor('AzureChinaCloud'), undefined)).toBe(true);
  });

  it('allows only the configured origin in a custom cloud', () => {
    expect(dataPlaneHostAllowed('https://127.0.0.1:8443/acct/', CUSTOM, 'https://127.0.0.1:8443')).toBe(true);
    expect(dataPlaneHostAllowed('https://127.0.0.1:9443/acct/', CUSTOM, 'https://127.0.0.1:8443')).toBe(false);
    expect(dataPlaneHostAllowed('https://contoso.services.ai.azure.com/', CUSTOM, undefined)).toBe(false);
  });
});

describe('endpointFromAccount', () => {
  const allowed = (url: string): boolean => dataPlaneHostAllowed(url, PUBLIC, undefined);

  it('prefers the Foundry Models host among allowed endpoints', () => {
    const account = {
      properties: {
        endpoint: 'https://contoso.cognitiveservices.azure.com/',
        endpoints: { OpenAI: 'https://contoso.openai.azure.com/', 'AI Foundry API': 'https://contoso.services.ai.azure.com/', Evil: 'https://evil.test/' },
      },
    };
    expect(endpointFromAccount(account, allowed)).toBe('https://contoso.services.ai.azure.com/');
  });

  it('gives nothing when no endpoint is allowed or the body is odd', () => {
    expect(endpointFromAccount({ properties: { endpoint: 'https://evil.test/' } }, allowed)).toBeUndefined();
    expect(endpointFromAccount(null, allowed)).toBeUndefined();
    expect(endpointFromAccount({ properties: { endpoints: [1, 2] } }, allowed)).toBeUndefined();
  });
});

describe('probeProves', () => {
  it('proves model inference requirements only', () => {
    expect(probeProves('Microsoft.CognitiveServices/accounts/MaaS/*')).toBe(true);
    expect(probeProves('Microsoft.CognitiveServices/accounts/MaaS/chat/completions/action')).toBe(true);
    expect(probeProves('Microsoft.CognitiveServices/*')).toBe(false);
    expect(probeProves('Microsoft.CognitiveServices/accounts/AIServices/agents/write')).toBe(false);
  });
});

describe('chatCompletionsUrl', () => {
  it.each([
    ['https://contoso.services.ai.azure.com/models', 'https://contoso.services.ai.azure.com/models/chat/completions?api-version=2025-04-01'],
    ['https://contoso.services.ai.azure.com/models/', 'https://contoso.services.ai.azure.com/models/chat/completions?api-version=2025-04-01'],
    ['https://contoso.services.ai.azure.com/', 'https://contoso.services.ai.azure.com/models/chat/completions?api-version=2025-04-01'],
    ['https://contoso.services.ai.azure.com', 'https://contoso.services.ai.azure.com/models/chat/completions?api-version=2025-04-01'],
    ['https://contoso.openai.azure.com/openai/v1/', 'https://contoso.openai.azure.com/models/chat/completions?api-version=2025-04-01'],
    ['https://contoso.services.ai.azure.com/api/projects/proj', 'https://contoso.services.ai.azure.com/models/chat/completions?api-version=2025-04-01'],
    ['https://127.0.0.1:4443/contoso/', 'https://127.0.0.1:4443/contoso/models/chat/completions?api-version=2025-04-01'],
  ])('%s: /models once', (endpoint, url) => {
    expect(chatCompletionsUrl(endpoint, '2025-04-01')).toBe(url);
  });
});
