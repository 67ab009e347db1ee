import { describe, expect, it } from 'vitest';
import { armError, parsePermissionsPage } from '../../src/evidence/arm.js';

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

describe('armError', () => {
  it('reads the error body', () => {
    expect(armError('{"error":{"code":"AuthorizationFailed","message":"no"}}')).toEqual({ code: 'AuthorizationFailed', message: 'no' });
  });

  it('copes with a body that is not JSON', () => {
    expect(armError('<html>')).toEqual({});
  });
});
