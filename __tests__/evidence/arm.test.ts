import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeploymentsPage, parsePermissionsPage } from '../../src/evidence/arm.js';
import { serviceError } from '../../src/evidence/service-error.js';

describe('parsePermissionsPage', () => {
  it('reads the documented shape and fills absent lists', () => {
    expect(parsePermissionsPage({ value: [{ actions: ['*/read'], dataActions: ['Microsoft.CognitiveServices/*'] }], nextLink: null })).toEqual({
      value: [{ actions: ['*/read'], notActions: [], dataActions: ['Microsoft.CognitiveServices/*'], notDataActions: [] }],
    });
  });

  it('keeps a nextLink', () => {
    expect(parsePermissionsPage({ value: [], nextLink: 'https://arm/next' })).toEqual({ value: [], nextLink: 'https://arm/next' });
  });

  it.each([
    [null, 'not a JSON object'],
    [[], 'not a JSON object'],
    [{}, 'no "value" array'],
    [{ value: {} }, 'no "value" array'],
    [{ value: [1] }, 'not an object'],
    [{ value: [{ dataActions: 'Microsoft.CognitiveServices/*' }] }, '"dataActions" is not a list of strings'],
    [{ value: [{ notDataActions: [1] }] }, '"notDataActions" is not a list of strings'],
    [{ value: [], nextLink: 5 }, '"nextLink"'],
  ])('rejects %j whole', (body, reason) => {
    const parsed = parsePermissionsPage(body);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
  });
});

describe('serviceError', () => {
  it('reads the error body', () => {
    expect(serviceError('{"error":{"code":"AuthorizationFailed","message":"no"}}')).toEqual({ code: 'AuthorizationFailed', message: 'no' });
  });

  it('keeps the message of a body without the error wrapper', () => {
    expect(serviceError('{"statusCode":401,"message":"Unauthorized. Access token is missing"}')).toEqual({ message: 'Unauthorized. Access token is missing' });
    expect(serviceError('{"code":"403","message":"A Virtual Network is configured for this resource."}')).toEqual({ code: '403', message: 'A Virtual Network is configured for this resource.' });
    expect(serviceError('{"error":"invalid_request","error_description":"AADSTS90002: Tenant not found"}')).toEqual({ code: 'invalid_request', message: 'AADSTS90002: Tenant not found' });
  });

  it('copes with a body that is not JSON', () => {
    expect(serviceError('<html>')).toEqual({});
    expect(serviceError('[1]')).toEqual({});
  });
});

describe('parsePermissionsPage: ABAC conditions', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/arm/permissions-conditional.json', import.meta.url), 'utf8')) as { source: string; body: unknown };

  it('keeps the condition of each entry (2022-05-01-preview shape), and none where it is null', () => {
    expect(fixture.source).toMatch(/2022-05-01-preview/);
    const parsed = parsePermissionsPage(fixture.body);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.value[0]).not.toHaveProperty('condition');
    expect(parsed.value[1]).toMatchObject({ dataActions: ['Microsoft.CognitiveServices/*'], conditionVersion: '2.0' });
    expect(parsed.value[1]?.condition).toContain("StringEqualsIgnoreCase 'foo_storage_container'");
  });

  it.each([
    [{ value: [{ dataActions: ['*'], condition: 7 }] }, '"condition"'],
    [{ value: [{ dataActions: ['*'], condition: 'x'.repeat(9000) }] }, '"condition"'],
    [{ value: [{ dataActions: ['*'], condition: 'c', conditionVersion: 2 }] }, '"conditionVersion"'],
  ])('rejects a condition it cannot read, rather than drop it and grant outright: %j', (body, reason) => {
    expect(parsePermissionsPage(body)).toContain(reason);
  });
});

describe('parseDeploymentsPage', () => {
  const spec = JSON.parse(readFileSync(new URL('../corpus/arm-deployments-spec-list-deployments.json', import.meta.url), 'utf8')) as { answer: { body: unknown } };

  it('reads the REST spec example (ListDeployments.json, 2024-10-01)', () => {
    expect(parseDeploymentsPage(spec.answer.body)).toEqual({ value: [{ name: 'deploymentName', provisioningState: 'Succeeded' }] });
  });

  it('takes the later of systemData createdAt and lastModifiedAt, and a nextLink', () => {
    const body = {
      value: [{ name: 'chat', properties: { provisioningState: 'Creating' }, systemData: { createdAt: '2026-01-01T00:00:00Z', lastModifiedAt: '2026-03-01T00:00:00Z' } }, { name: 'bare' }],
      nextLink: 'https://management.azure.com/next',
    };
    expect(parseDeploymentsPage(body)).toEqual({
      value: [{ name: 'chat', provisioningState: 'Creating', changedAt: '2026-03-01T00:00:00Z' }, { name: 'bare' }],
      nextLink: 'https://management.azure.com/next',
    });
    // A time that is no time is no age: the deployment counts as new.
    expect(parseDeploymentsPage({ value: [{ name: 'x', systemData: { createdAt: 'yesterday' } }] })).toEqual({ value: [{ name: 'x' }] });
  });

  it.each([
    ['not an object', []],
    ['no value', {}],
    ['an entry without a name', { value: [{ properties: { provisioningState: 'Succeeded' } }] }],
    ['a name that is not a string', { value: [{ name: 7 }] }],
    ['a name too long to be one', { value: [{ name: 'x'.repeat(300) }] }],
    ['properties that are not an object', { value: [{ name: 'x', properties: 'Succeeded' }] }],
    ['a state that is not a string', { value: [{ name: 'x', properties: { provisioningState: 1 } }] }],
    ['systemData that is not an object', { value: [{ name: 'x', systemData: [] }] }],
  ])('refuses a page with %s', (_, body) => {
    expect(typeof parseDeploymentsPage(body)).toBe('string');
  });
});
