import { describe, expect, it } from 'vitest';
import { armScope, CLOUD_NAMES, cloudFor } from '../../src/config/clouds.js';

describe('the cloud table', () => {
  it.each([
    ['AzureCloud', 'https://login.microsoftonline.com', 'https://management.azure.com', 'api://AzureADTokenExchange', '.services.ai.azure.com'],
    ['AzureUSGovernment', 'https://login.microsoftonline.us', 'https://management.usgovcloudapi.net', 'api://AzureADTokenExchangeUSGov', '.openai.azure.us'],
    ['AzureChinaCloud', 'https://login.chinacloudapi.cn', 'https://management.chinacloudapi.cn', 'api://AzureADTokenExchangeChina', '.openai.azure.cn'],
  ] as const)('%s signs in at %s and reads from %s', (name, authority, arm, audience, dataSuffix) => {
    const cloud = cloudFor(name);
    expect(cloud).toMatchObject({ authorityHost: authority, resourceManagerEndpoint: arm, oidcAudience: audience, knownAuthority: true });
    expect(cloud.dataPlaneHostSuffixes).toContain(dataSuffix);
    expect(armScope(cloud)).toBe(`${arm}/.default`);
  });

  it('keeps every data-plane suffix of a cloud inside that cloud', () => {
    const suffixes = CLOUD_NAMES.filter((n) => n !== 'Custom').map((n) => cloudFor(n).dataPlaneHostSuffixes);
    const all = suffixes.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const suffix of all) expect(suffix.startsWith('.')).toBe(true);
  });

  it('takes a custom cloud from its endpoints and trusts no data-plane host by default', () => {
    const cloud = cloudFor('Custom', { authorityHost: 'https://login.stack.test', resourceManagerEndpoint: 'https://arm.stack.test' });
    expect(cloud).toMatchObject({ authorityHost: 'https://login.stack.test', resourceManagerEndpoint: 'https://arm.stack.test', knownAuthority: false, dataPlaneHostSuffixes: [] });
    expect(() => cloudFor('Custom')).toThrow();
  });
});
